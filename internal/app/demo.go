package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
	"github.com/repere-spie/repere/seed"
)

// EnsureDemo fills an empty store with demo data; a store with data is left alone.
func (m *Main) EnsureDemo(ctx context.Context) error {
	n, err := m.Store.CountServices(ctx)
	if err != nil || n > 0 {
		return err
	}
	m.Logger.Info("base vide : génération des données de démonstration", "services", m.Config.DemoServices)
	return m.GenerateDemo(ctx)
}

// GenerateDemo inserts the demo dataset (Config.DemoSeed and DemoServices)
// in batches and records that the store holds fictional data.
func (m *Main) GenerateDemo(ctx context.Context) error {
	start := time.Now()
	opt := seed.Options{Seed: m.Config.DemoSeed, Services: m.Config.DemoServices} // dated from seed.ReferenceDay
	p := m.progress(ctx)
	var sts []*directory.Structure
	var svcs []*directory.Service
	nSt, nSvc := 0, 0
	flush := func() error {
		if err := m.Store.InsertStructures(ctx, sts); err != nil {
			return err
		}
		if err := m.Store.InsertServices(ctx, svcs); err != nil {
			return err
		}
		nSt, nSvc = nSt+len(sts), nSvc+len(svcs)
		sts, svcs = sts[:0], svcs[:0]
		p.update("services", nSvc, opt.Services)
		return nil
	}
	err := seed.Generate(m.Geography, opt, func(st *directory.Structure, ss []*directory.Service) error {
		sts, svcs = append(sts, st), append(svcs, ss...)
		if len(svcs) >= 1000 {
			return flush()
		}
		return ctx.Err()
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return fmt.Errorf("données de démonstration : %w", err)
	}
	fmt.Fprintf(os.Stderr, "Données de démonstration : %d structures, %d services en %.1f s\n", nSt, nSvc, time.Since(start).Seconds())
	return m.Store.SetDemoInfo(ctx, store.DemoInfo{Seed: opt.Seed, Services: nSvc, Structures: nSt, GeneratedAt: start.UTC()})
}

// ExportDemo writes the demo dataset as data·inclusion v1 structures.json
// and services.json into dir.
func (m *Main) ExportDemo(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	stf, err := os.Create(filepath.Join(dir, "structures.json"))
	if err != nil {
		return err
	}
	defer stf.Close()
	svf, err := os.Create(filepath.Join(dir, "services.json"))
	if err != nil {
		return err
	}
	defer svf.Close()
	opt := seed.Options{Seed: m.Config.DemoSeed, Services: m.Config.DemoServices}
	if err := seed.WriteDataInclusion(stf, svf, m.Geography, opt); err != nil {
		return err
	}
	if err := stf.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "Export data·inclusion écrit dans %s\n", dir)
	return svf.Close()
}
