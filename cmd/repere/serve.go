package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/repere-spie/repere/internal/app"
)

func serveCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	return func(ctx context.Context, m *app.Main) error {
		if err := m.Open(ctx); err != nil {
			return err
		}
		return m.Run(ctx)
	}
}

func probeCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	return func(ctx context.Context, m *app.Main) error { return app.Probe(ctx, m.Config.Addr) }
}

func geoImportCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	force := fs.Bool("force", false, "réécrire la géographie même si la source n’a pas changé")
	return func(ctx context.Context, m *app.Main) error {
		if err := m.OpenStore(ctx); err != nil {
			return err
		}
		return m.ImportGeography(ctx, *force)
	}
}

func demoCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	n := fs.Int("n", 0, "nombre de services (défaut : REPERE_DEMO_SERVICES)")
	s := fs.Int64("seed", 0, "graine (défaut : REPERE_DEMO_SEED)")
	export := fs.String("export", "", "écrire structures.json et services.json (data·inclusion v1) dans ce dossier au lieu de la base")
	return func(ctx context.Context, m *app.Main) error {
		if *n > 0 {
			m.Config.DemoServices = *n
		}
		if *s != 0 {
			m.Config.DemoSeed = *s
		}
		if err := m.OpenBase(ctx); err != nil {
			return err
		}
		if *export != "" {
			return m.ExportDemo(*export)
		}
		if cnt, err := m.Store.CountServices(ctx); err != nil {
			return err
		} else if cnt > 0 {
			return fmt.Errorf("la base contient déjà %d services : les données de démonstration ne s’ajoutent qu’à une base vide", cnt)
		}
		return m.GenerateDemo(ctx)
	}
}

// adminCmd grants or withdraws the platform administrator role. No route can:
// it takes access to the server.
func adminCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	revoke := fs.Bool("retirer", false, "retirer le rôle au lieu de le donner")
	return func(ctx context.Context, m *app.Main) error {
		if fs.NArg() != 1 {
			return errors.New("usage : repere admin [-retirer] <adresse électronique d’un compte existant>")
		}
		if err := m.OpenBase(ctx); err != nil {
			return err
		}
		if err := m.OpenIndex(ctx, false); err != nil {
			return err
		}
		if err := m.OpenAccounts(ctx); err != nil {
			return err
		}
		email := fs.Arg(0)
		if err := m.Accounts.SetPlatformAdmin(ctx, email, !*revoke); err != nil {
			return err
		}
		if *revoke {
			fmt.Fprintf(os.Stderr, "%s n’est plus administrateur de la plateforme.\n", email)
		} else {
			fmt.Fprintf(os.Stderr, "%s est administrateur de la plateforme.\n", email)
		}
		return nil
	}
}
