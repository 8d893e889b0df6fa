package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/repere-spie/repere/internal/importer"
)

// Importer opens what an import writes through (store, geography, index)
// and returns the importer, geocoding with the BAN when configured.
func (m *Main) Importer(ctx context.Context) (*importer.Importer, error) {
	if err := m.OpenBase(ctx); err != nil {
		return nil, err
	}
	if err := m.OpenIndex(ctx, false); err != nil {
		return nil, err
	}
	im := &importer.Importer{Store: m.Store, Catalog: m.Catalog, Gazetteer: m.Gazetteer, Log: m.Logger, Now: m.Now}
	if m.Config.GeocoderURL != "" {
		im.Geocoder = importer.NewBAN(m.Config.GeocoderURL, nil)
	}
	return im, nil
}

// Import runs an operator's import and prints its report on out (listing
// the first rejections one by one).
func (m *Main) Import(ctx context.Context, r importer.Reader, dryRun bool, out io.Writer, listed int) (*importer.Report, error) {
	im, err := m.Importer(ctx)
	if err != nil {
		return nil, err
	}
	p := m.progress(ctx)
	rep, err := im.Run(ctx, r, importer.Options{DryRun: dryRun, Grace: m.Config.ImportGrace, Actor: "ligne de commande",
		Progress: func(done, total int) { p.update("enregistrements", done, total) }})
	if rep != nil {
		if out == nil {
			out = os.Stdout
		}
		rep.Print(out, listed)
	}
	if err != nil {
		return rep, fmt.Errorf("import : %w", err)
	}
	return rep, nil
}

// syncDataInclusion is the daily job that keeps the data·inclusion offer of
// the configured territory in sync; the import is a sync, so running a slot
// twice writes nothing the second time.
func (m *Main) syncDataInclusion(ctx context.Context, slot time.Time) error {
	im, err := m.Importer(ctx)
	if err != nil {
		return err
	}
	s := m.Config.Sync
	rep, err := im.Run(ctx, &importer.APIReader{BaseURL: s.URL, Token: s.Token, Departement: s.Departement, Source: s.Source},
		importer.Options{Grace: m.Config.ImportGrace, Actor: "synchronisation quotidienne"})
	if rep != nil {
		m.Logger.Info("synchronisation data·inclusion", "nouveaux", rep.New, "modifiés", rep.Updated, "inchangés", rep.Unchanged,
			"dépubliés", rep.Unpublished, "rejetés", rep.Rejected)
	}
	return err
}

// ImportMemoryLimit is the soft heap limit of the import commands: the
// garbage collector works harder near it rather than let a large file's
// garbage grow the process (GOMEMLIMIT, when set, wins).
const ImportMemoryLimit = 300 << 20

// LimitImportMemory applies ImportMemoryLimit to the process.
func LimitImportMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(ImportMemoryLimit)
	}
}
