package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/repere-spie/repere/internal/app"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/importer"
)

// importFlags are the options every import command takes.
type importFlags struct {
	dryRun *bool
	listed *int
}

func newImportFlags(fs *flag.FlagSet) importFlags {
	return importFlags{
		dryRun: fs.Bool("dry-run", false, "lire et vérifier sans rien écrire, puis afficher le rapport"),
		listed: fs.Int("rejets", 50, "nombre de rejets détaillés dans le rapport"),
	}
}

func (f importFlags) run(ctx context.Context, m *app.Main, r importer.Reader) error {
	app.LimitImportMemory()
	_, err := m.Import(ctx, r, *f.dryRun, os.Stdout, *f.listed)
	return err
}

func importDataInclusionCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	dir := fs.String("dir", "", "dossier des fichiers data·inclusion (structures.json, services.json, ou .jsonl)")
	api := fs.String("api", "", "URL de l’API data·inclusion (ex. https://api.data.inclusion.gouv.fr)")
	token := fs.String("token", "", "jeton d’accès à l’API (Authorization: Bearer)")
	dep := fs.String("departement", "", "ne prendre que ce département (API)")
	source := fs.String("source", "", "ne prendre que cette source, ex. dora (API)")
	f := newImportFlags(fs)
	return func(ctx context.Context, m *app.Main) error {
		var r importer.Reader
		switch {
		case *dir != "" && *api == "":
			r = &importer.DirReader{Dir: *dir}
		case *api != "" && *dir == "":
			r = &importer.APIReader{BaseURL: *api, Token: *token, Departement: *dep, Source: *source}
		default:
			return fmt.Errorf("indiquez soit -dir DOSSIER, soit -api URL -token JETON")
		}
		return f.run(ctx, m, r)
	}
}

func importFranceServicesCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	f := newImportFlags(fs)
	return func(ctx context.Context, m *app.Main) error {
		if fs.NArg() != 1 {
			return fmt.Errorf("indiquez le fichier : repere import france-services liste-fs.csv")
		}
		return f.run(ctx, m, &importer.FranceServicesReader{Path: fs.Arg(0)})
	}
}

func importSpreadsheetCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	mapping := fs.String("mapping", "", "fichier de correspondance des colonnes : JSON {\"colonne\": \"champ\"} ou lignes « colonne;champ »")
	siret := fs.String("structure", "", "SIRET de la structure inscrite à qui sont tous les services du fichier")
	template := fs.String("modele", "", "écrire le modèle de tableur (.xlsx) dans ce fichier, sans rien importer")
	f := newImportFlags(fs)
	return func(ctx context.Context, m *app.Main) error {
		if *template != "" {
			out, err := os.Create(*template)
			if err != nil {
				return err
			}
			if err := importer.WriteTemplate(out); err != nil {
				out.Close()
				return err
			}
			return out.Close()
		}
		if fs.NArg() != 1 {
			return fmt.Errorf("indiquez le fichier : repere import tableur services.xlsx")
		}
		r := &importer.SpreadsheetReader{Path: fs.Arg(0)}
		if *mapping != "" {
			mf, err := os.Open(*mapping)
			if err != nil {
				return err
			}
			defer mf.Close()
			if r.Mapping, err = importer.ParseMapping(mf); err != nil {
				return err
			}
		}
		if *siret != "" {
			if err := m.OpenBase(ctx); err != nil {
				return err
			}
			n, err := directory.NormalizeSIRET(*siret)
			if err != nil {
				return fmt.Errorf("-structure : %s", directory.ErrorMessage(err))
			}
			id, err := m.Store.StructureIDBySIRET(ctx, n)
			if err == nil {
				r.Structure, err = m.Store.Structure(ctx, id)
			}
			if err != nil {
				return fmt.Errorf("structure %s : %s", n, directory.ErrorMessage(err))
			}
		}
		return f.run(ctx, m, r)
	}
}
