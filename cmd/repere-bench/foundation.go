package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/app"
	"github.com/repere-spie/repere/internal/directory"
)

// benchFoundationCmd prints the figures of the foundation: geography import,
// bulk insert of demo services, get-by-id and conditional update latencies on
// the configured store (the embedded one unless REPERE_MONGODB_URI is set),
// and the peak resident memory of the process.
func benchFoundationCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	n := fs.Int("n", 100_000, "nombre de services de démonstration")
	gets := fs.Int("gets", 5000, "nombre de lectures par id mesurées")
	updates := fs.Int("updates", 1000, "nombre de mises à jour conditionnelles mesurées")
	return func(ctx context.Context, m *app.Main) error {
		dir, err := os.MkdirTemp("", "repere-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		m.Config.DataDir = dir
		m.Config.DemoServices = *n
		if m.Config.MongoURI != "" {
			m.Config.MongoDatabase = fmt.Sprintf("repere_bench_%d", time.Now().Unix())
		}
		t0 := time.Now()
		if err := m.OpenStore(ctx); err != nil {
			return err
		}
		storeStart := time.Since(t0)
		t0 = time.Now()
		if err := m.ImportGeography(ctx, true); err != nil {
			return err
		}
		geoImport := time.Since(t0)
		t0 = time.Now()
		if err := m.LoadGeography(ctx); err != nil {
			return err
		}
		geoLoad := time.Since(t0)
		t0 = time.Now()
		if err := m.GenerateDemo(ctx); err != nil {
			return err
		}
		insert := time.Since(t0)

		var ids []string
		if err := m.Store.EachService(ctx, func(s *directory.Service) error {
			ids = append(ids, s.ID)
			return nil
		}); err != nil {
			return err
		}
		rng := rand.New(rand.NewPCG(1, 2))
		getDur := make([]time.Duration, *gets)
		for i := range getDur {
			id := ids[rng.IntN(len(ids))]
			t := time.Now()
			if _, err := m.Store.Service(ctx, id); err != nil {
				return err
			}
			getDur[i] = time.Since(t)
		}
		updDur := make([]time.Duration, *updates)
		for i := range updDur {
			s, err := m.Store.Service(ctx, ids[rng.IntN(len(ids))])
			if err != nil {
				return err
			}
			s.Description += " Mis à jour."
			t := time.Now()
			if err := m.Store.UpdateService(ctx, s); err != nil {
				return err
			}
			updDur[i] = time.Since(t)
		}
		backend := "FerretDB v1.24 embarqué (SQLite)"
		if !m.Store.Embedded() {
			backend = "MongoDB " + m.Config.MongoURI
		}
		fmt.Printf("\nRepère – mesures de la fondation (%s, %d cœurs, %s)\n", backend, runtime.NumCPU(), runtime.Version())
		row := func(name, value string) { fmt.Printf("  %-42s %s\n", name, value) }
		row("démarrage de la base", storeStart.Round(time.Millisecond).String())
		row(fmt.Sprintf("import de la géographie (%d communes)", len(m.Geography.Communes)), geoImport.Round(time.Millisecond).String())
		row("chargement de la géographie en mémoire", geoLoad.Round(time.Millisecond).String())
		row(fmt.Sprintf("insertion de %d services (et structures)", len(ids)), fmt.Sprintf("%s (%.0f services/s)", insert.Round(time.Millisecond), float64(len(ids))/insert.Seconds()))
		row(fmt.Sprintf("lecture par id, %d tirages", *gets), percentiles(getDur))
		row(fmt.Sprintf("mise à jour conditionnelle, %d tirages", *updates), percentiles(updDur))
		row("mémoire résidente maximale (VmHWM)", procStatus("VmHWM:"))
		return nil
	}
}

func percentiles(d []time.Duration) string {
	s := slices.Clone(d)
	slices.Sort(s)
	at := func(q float64) time.Duration { return s[int(q*float64(len(s)-1))] }
	return fmt.Sprintf("p50 %s  p95 %s  p99 %s", fmtDur(at(0.5)), fmtDur(at(0.95)), fmtDur(at(0.99)))
}

func fmtDur(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// procStatus reads a memory figure of this process from Linux.
func procStatus(key string) string { return procStatusOf("self", key) }

// procStatusOf reads a line of /proc/<proc>/status: "self" or a pid.
func procStatusOf(proc, key string) string {
	b, err := os.ReadFile("/proc/" + proc + "/status")
	if err != nil {
		return "inconnue"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, key); ok {
			return strings.TrimSpace(v)
		}
	}
	return "inconnue"
}

// cpuProfile writes the CPU profile of what follows to path until stop is
// called; an empty path profiles nothing.
func cpuProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
