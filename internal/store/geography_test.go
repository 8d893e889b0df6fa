package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

func sharedGeodata(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("REPERE_SHARED_DIR"); d != "" {
		return filepath.Join(d, "geodata")
	}
	return filepath.Join("..", "..", "..", "shared", "geodata")
}

// The whole geography survives the trip through the store, contours included.
func TestGeographyRoundTrip(t *testing.T) {
	ctx := context.Background()
	g, err := geo.Load(ctx, geo.Dir(sharedGeodata(t)))
	if err != nil {
		t.Fatal(err)
	}
	g.Former = []directory.FormerCommune{{Code: "86999", Name: "Ancienne commune", Commune: "86066"}}
	s := openTest(t)
	start := time.Now()
	if err := s.SaveGeography(ctx, g, "h1", nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("saved %d communes in %v", len(g.Communes), time.Since(start))
	start = time.Now()
	back, info, err := s.LoadGeography(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loaded in %v", time.Since(start))
	if info.Hash != "h1" || info.Generation != 1 {
		t.Errorf("info = %+v", info)
	}
	if len(back.Former) != 1 || back.Former[0] != g.Former[0] {
		t.Errorf("former communes after the round trip: %+v", back.Former)
	}
	if len(back.Communes) != len(g.Communes) || len(back.EPCIs) != len(g.EPCIs) ||
		len(back.Departements) != len(g.Departements) || len(back.Regions) != len(g.Regions) {
		t.Fatalf("counts differ: %d/%d/%d/%d", len(back.Communes), len(back.EPCIs), len(back.Departements), len(back.Regions))
	}
	want := map[string]*directory.Commune{}
	for i := range g.Communes {
		want[g.Communes[i].Code] = &g.Communes[i]
	}
	for i := range back.Communes {
		got := &back.Communes[i]
		w := want[got.Code]
		if w == nil || got.Name != w.Name || got.EPCI != w.EPCI || got.Population != w.Population ||
			(got.Center == nil) != (w.Center == nil) || (w.Center != nil && *got.Center != *w.Center) ||
			pointCount(got.Contour) != pointCount(w.Contour) {
			t.Fatalf("commune %s differs after the round trip", got.Code)
		}
	}
}

func pointCount(g orb.Geometry) int {
	switch g := g.(type) {
	case orb.Polygon:
		n := 0
		for _, r := range g {
			n += len(r)
		}
		return n
	case orb.MultiPolygon:
		n := 0
		for _, p := range g {
			n += pointCount(p)
		}
		return n
	}
	return 0
}
