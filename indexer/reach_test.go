package indexer

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// destination is the point at metres from p along the bearing (degrees
// clockwise from north), on the sphere of geo.Distance: spherical
// trigonometry written independently of the haversine the engine uses.
func destination(p orb.Point, bearing, metres float64) orb.Point {
	rad := math.Pi / 180
	lat1, lon1, theta, delta := p[1]*rad, p[0]*rad, bearing*rad, metres/geo.EarthRadius
	lat2 := math.Asin(math.Sin(lat1)*math.Cos(delta) + math.Cos(lat1)*math.Sin(delta)*math.Cos(theta))
	lon2 := lon1 + math.Atan2(math.Sin(theta)*math.Sin(delta)*math.Cos(lat1), math.Cos(delta)-math.Sin(lat1)*math.Sin(lat2))
	return orb.Point{lon2 / rad, lat2 / rad}
}

// receivedAt receives people on site at p.
func receivedAt(p orb.Point) opt {
	return func(s *directory.Service) {
		lon, lat := p[0], p[1]
		s.Longitude, s.Latitude = &lon, &lat
		s.ReceptionModes = appendNew(s.ReceptionModes, "en-presentiel")
	}
}

func centreOf(tb testing.TB, code string) orb.Point {
	gaz, _ := gazetteer(tb)
	c, ok := gaz.Commune(code)
	if !ok || c.Center == nil {
		tb.Fatalf("commune %s unknown", code)
	}
	return *c.Center
}

// TestHybridReception: with "en présentiel" asked around a place, a service
// received both on site and at a distance qualifies only if it receives
// people within the radius; the facet counts the same way.
func TestHybridReception(t *testing.T) {
	b := newBuilder(t)
	chat := centreOf(t, chatellerault)
	b.add("h", "hybrid-near", receivedAt(destination(chat, 45, 3_000)), remote)
	b.add("h", "hybrid-far", receivedAt(centreOf(t, marseille)), remote)
	b.add("h", "onsite-near", receivedAt(destination(chat, 200, 4_000)))
	b.add("h", "onsite-far", receivedAt(destination(chat, 200, 6_000)))
	b.add("h", "remote-only", remote)
	ix := b.build()

	search := func(q directory.SearchQuery) *directory.SearchResults {
		t.Helper()
		q.StructureID, q.Now = "h", testNow
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	got := func(res *directory.SearchResults) []string {
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		return sorted(out)
	}
	facet := func(res *directory.SearchResults) map[string]int {
		out := map[string]int{}
		for _, v := range res.Facets[directory.FacetReceptionModes] {
			out[v.Value] = v.Count
		}
		return out
	}
	around := func(modes ...string) directory.SearchQuery {
		return directory.SearchQuery{Commune: commune(chatellerault), RadiusKm: 5, ReceptionModes: modes}
	}
	wantFacet := map[string]int{"en-presentiel": 2, "a-distance": 3}
	cases := []struct {
		name  string
		q     directory.SearchQuery
		want  []string
		facet map[string]int
	}{
		{"no mode asked: on site within the radius, or remote", around(),
			[]string{"hybrid-far", "hybrid-near", "onsite-near", "remote-only"}, wantFacet},
		{"en présentiel: only on-site reception within the radius", around("en-presentiel"),
			[]string{"hybrid-near", "onsite-near"}, wantFacet},
		{"à distance: every remote service whose zone covers the place", around("a-distance"),
			[]string{"hybrid-far", "hybrid-near", "remote-only"}, wantFacet},
		{"both modes: either reach", around("en-presentiel", "a-distance"),
			[]string{"hybrid-far", "hybrid-near", "onsite-near", "remote-only"}, wantFacet},
		{"no place: the modes the services declare", directory.SearchQuery{ReceptionModes: []string{"en-presentiel"}},
			[]string{"hybrid-far", "hybrid-near", "onsite-far", "onsite-near"}, map[string]int{"en-presentiel": 4, "a-distance": 3}},
	}
	for _, c := range cases {
		res := search(c.q)
		if g := got(res); !slices.Equal(g, c.want) || res.Total != len(c.want) {
			t.Errorf("%s: %v (total %d), want %v", c.name, g, res.Total, c.want)
		}
		if f := facet(res); fmt.Sprint(f) != fmt.Sprint(c.facet) {
			t.Errorf("%s: facet %v, want %v", c.name, f, c.facet)
		}
		// The facet count of a mode is what selecting it gives.
		for mode, n := range facet(res) {
			q := c.q
			q.ReceptionModes = []string{mode}
			if total := search(q).Total; total != n {
				t.Errorf("%s: facet %s counts %d, the filter gives %d", c.name, mode, n, total)
			}
		}
	}
	// A hybrid service listed for its remote reach shows no distance.
	for _, h := range search(around()).Hits {
		if (h.DistanceMeters != nil) != (h.ID == "hybrid-near" || h.ID == "onsite-near") {
			t.Errorf("%s: distance %v", h.ID, h.DistanceMeters)
		}
	}
}

// TestRadiusBoundary: one great-circle distance decides the radius, sorts
// and is shown. Services 15 m inside a radius are found, 15 m outside are
// not, in metropolitan France and overseas, whatever the bearing (the
// former formula erred by 20 to 200 m at these radii).
func TestRadiusBoundary(t *testing.T) {
	centres := map[string]string{"Châtellerault": chatellerault, "Saint-Denis (La Réunion)": "97411", "Cayenne": "97302", "Dunkerque": "59183"}
	type placed struct {
		id     string
		metres float64
		in     bool
	}
	b := newBuilder(t)
	want := map[string][]placed{}
	for place, code := range centres {
		c := centreOf(t, code)
		for _, km := range directory.SearchRadii {
			for _, bearing := range []float64{0, 90, 135, 270} {
				for _, side := range []float64{-15, 15} {
					d := float64(km)*1000 + side
					p := placed{fmt.Sprintf("%s-%d-%v-%v", code, km, bearing, side), d, side < 0}
					b.add(code, p.id, receivedAt(destination(c, bearing, d)))
					want[place] = append(want[place], p)
				}
			}
		}
	}
	ix := b.build()
	for place, code := range centres {
		c := centreOf(t, code)
		for _, km := range directory.SearchRadii {
			res, err := ix.Search(context.Background(), directory.SearchQuery{
				StructureID: code, Commune: locate(c[1], c[0]), Position: &c, RadiusKm: km, Sort: directory.SortDistance,
				Size: directory.MaxSearchSize, Now: testNow,
			})
			if err != nil {
				t.Fatalf("%s: %v", place, err)
			}
			found := map[string]float64{}
			last := 0.0
			for _, h := range res.Hits {
				found[h.ID] = *h.DistanceMeters
				if *h.DistanceMeters < last {
					t.Errorf("%s %d km: %s at %.0f m after %.0f m", place, km, h.ID, *h.DistanceMeters, last)
				}
				last = *h.DistanceMeters
			}
			for _, p := range want[place] {
				d, ok := found[p.id]
				switch {
				case p.metres <= float64(km)*1000 != ok:
					t.Errorf("%s %d km: %s at %.0f m found %v", place, km, p.id, p.metres, ok)
				case ok && math.Abs(d-p.metres) > 2:
					t.Errorf("%s %d km: %s shown at %.0f m, placed at %.0f m", place, km, p.id, d, p.metres)
				}
			}
		}
	}
}

// TestTieBand: without text, the nearest come first; only services in the
// same 100 m band are shuffled, differently from day to day.
func TestTieBand(t *testing.T) {
	b := newBuilder(t)
	chat := centreOf(t, chatellerault)
	metres := map[string]float64{"a451": 451, "b908": 908, "c967": 967, "d1040": 1040, "e1330": 1330}
	for id, m := range metres {
		b.add("t", id, receivedAt(destination(chat, 300, m)))
	}
	ix := b.build()
	before := map[bool]bool{} // b908 before c967, over the days
	for seed := int64(1); seed <= 12; seed++ {
		got := ids(t, ix, directory.SearchQuery{StructureID: "t", Commune: commune(chatellerault), Seed: seed})
		rank := map[string]int{}
		for i, id := range got {
			rank[id] = i
		}
		if rank["a451"] != 0 || rank["d1040"] != 3 || rank["e1330"] != 4 {
			t.Fatalf("seed %d: %v, want the nearest first", seed, got)
		}
		before[rank["b908"] < rank["c967"]] = true
	}
	if !before[true] || !before[false] {
		t.Errorf("908 m and 967 m (the same 100 m band) are never shuffled: %v", before)
	}
}
