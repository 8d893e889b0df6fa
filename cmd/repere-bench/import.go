package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/repere-spie/repere/internal/app"
	"github.com/repere-spie/repere/internal/importer"
)

// benchImportCmd prints the figures of the imports: the demo data exported
// as data·inclusion v1 imported into an empty embedded store, the same file
// imported again (a sync with nothing to write), and the three real files of
// ../shared/realdata (time, counts, rejection reasons).
func benchImportCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	n := fs.Int("n", 100_000, "nombre de services de démonstration exportés puis importés")
	dir := fs.String("bench-dir", "/tmp/repere-bench-import", "dossier de mesure (l’export y est gardé d’une fois sur l’autre)")
	real := fs.String("realdata", "", "dossier des fichiers réels (défaut : $REPERE_SHARED_DIR/realdata)")
	profile := fs.String("cpuprofile", "", "écrit le profil CPU du premier import dans FICHIER.import, du nouvel import dans FICHIER.reimport, des fichiers réels dans FICHIER.reel1 à 3")
	return func(ctx context.Context, m *app.Main) error {
		export := filepath.Join(*dir, fmt.Sprintf("export-%d", *n))
		if _, err := os.Stat(filepath.Join(export, "services.json")); err != nil {
			m.Config.DataDir = filepath.Join(*dir, "geo")
			m.Config.DemoServices = *n
			if err := m.OpenBase(ctx); err != nil {
				return err
			}
			if err := m.ExportDemo(export); err != nil {
				return err
			}
			m.Close()
		}
		data := filepath.Join(*dir, "data")
		if err := os.RemoveAll(data); err != nil {
			return err
		}
		m.Config.DataDir, m.Config.IndexDir = data, filepath.Join(data, "index")
		if err := m.OpenBase(ctx); err != nil {
			return err
		}
		im, err := m.Importer(ctx)
		if err != nil {
			return err
		}
		run := func(profileSuffix string, r importer.Reader) (*importer.Report, time.Duration, error) {
			path := ""
			if *profile != "" {
				path = *profile + "." + profileSuffix
			}
			stop, err := cpuProfile(path)
			if err != nil {
				return nil, 0, err
			}
			defer stop()
			t0 := time.Now()
			rep, err := im.Run(ctx, r, importer.Options{Grace: m.Config.ImportGrace})
			return rep, time.Since(t0), err
		}
		app.LimitImportMemory() // as the import commands do
		resetPeak()
		first, d1, err := run("import", &importer.DirReader{Dir: export})
		if err != nil {
			return err
		}
		peak := procStatus("VmHWM:")
		second, d2, err := run("reimport", &importer.DirReader{Dir: export})
		if err != nil {
			return err
		}
		fmt.Printf("\nRepère – mesures des imports (FerretDB embarqué, %d cœurs, %s)\n", runtime.NumCPU(), runtime.Version())
		row := func(name, value string) { fmt.Printf("  %-48s %s\n", name, value) }
		row(fmt.Sprintf("import de l’export de démonstration (%d services)", first.New), fmt.Sprintf("%s (%.0f services/s)", d1.Round(time.Millisecond), float64(first.New)/d1.Seconds()))
		row("mémoire résidente maximale pendant l’import", peak)
		row("nouvel import du même fichier", fmt.Sprintf("%s, %d écritures (%d inchangés)", d2.Round(time.Millisecond), second.New+second.Updated+second.Unpublished+second.Missing, second.Unchanged))
		if *real == "" {
			*real = filepath.Join(os.Getenv("REPERE_SHARED_DIR"), "realdata")
		}
		for i, r := range []importer.Reader{
			&importer.DirReader{Dir: filepath.Join(*real, "gip-inclusion-fluo-proto")},
			&importer.DirReader{Dir: filepath.Join(*real, "gip-inclusion-offre-inclusion")},
			&importer.FranceServicesReader{Path: filepath.Join(*real, "anct-carto-france_services", "liste-fs-20240801.csv")},
		} {
			rep, d, err := run(fmt.Sprintf("reel%d", i+1), r)
			if err != nil {
				return err
			}
			fmt.Println()
			row(r.Describe(), d.Round(time.Millisecond).String())
			rep.Print(os.Stdout, 0)
		}
		return nil
	}
}

// resetPeak resets the peak resident memory Linux reports (VmHWM), so that
// it measures the import and not what came before.
func resetPeak() {
	f, err := os.OpenFile("/proc/self/clear_refs", os.O_WRONLY, 0)
	if err != nil {
		return
	}
	defer f.Close()
	_, _ = io.WriteString(f, "5")
}
