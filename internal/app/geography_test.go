package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/repere-spie/repere/internal/app/apptest"
)

// Importing the same geography again writes nothing; a truncated file is
// refused with its name and leaves the current geography in use.
func TestGeographyImportIsIdempotentAndSafe(t *testing.T) {
	ctx := context.Background()
	m := &Main{Config: apptest.Config(t, t.TempDir()), Logger: apptest.QuietLogger()}
	defer m.Close()
	if err := m.OpenStore(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.ImportGeography(ctx, false); err != nil {
		t.Fatal(err)
	}
	first, err := m.Store.Geography(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.ImportGeography(ctx, false); err != nil {
		t.Fatal(err)
	}
	again, _ := m.Store.Geography(ctx)
	if again.Generation != first.Generation {
		t.Fatalf("re-import of identical data wrote generation %d over %d", again.Generation, first.Generation)
	}

	// A copy of the snapshot whose contours file stops mid-record.
	bad := t.TempDir()
	src := m.Config.GeoSource
	for _, name := range []string{"communes.json", "departements.json", "regions.json", "epcis.json"} {
		if err := os.Symlink(filepath.Join(src, name), filepath.Join(bad, name)); err != nil {
			t.Fatal(err)
		}
	}
	contours, err := os.ReadFile(filepath.Join(src, "communes-contours.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, "communes-contours.geojson"), contours[:len(contours)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	m.Config.GeoSource = bad
	err = m.ImportGeography(ctx, true)
	if err == nil || !strings.Contains(err.Error(), "communes-contours.geojson") {
		t.Fatalf("truncated contours: got %v, want an error naming the file", err)
	}
	after, _ := m.Store.Geography(ctx)
	if after.Generation != first.Generation || after.Hash != first.Hash {
		t.Fatalf("a failed import changed the current geography: %+v -> %+v", first, after)
	}
	g, _, err := m.Store.LoadGeography(ctx)
	if err != nil || len(g.Communes) != 34969 {
		t.Fatalf("geography after a failed import: %v, %d communes", err, len(g.Communes))
	}

	// Forcing a re-import writes a new generation and drops the old one.
	m.Config.GeoSource = src
	if err := m.ImportGeography(ctx, true); err != nil {
		t.Fatal(err)
	}
	forced, _ := m.Store.Geography(ctx)
	if forced.Generation != first.Generation+1 {
		t.Fatalf("forced import: generation %d, want %d", forced.Generation, first.Generation+1)
	}
	names, err := m.Store.CollectionNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if strings.HasPrefix(n, "geo_") && strings.HasSuffix(n, "_1") {
			t.Errorf("old generation collection %s was not dropped", n)
		}
	}
}
