package indexer

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/geo"
)

// TestCoverTerms: every point within the radius lies in a covered cell, and
// the cover stays small.
func TestCoverTerms(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	centres := []orb.Point{{0.5528, 46.81562}, {2.35, 48.85}, {9.45, 42.7}, {-61.5, 16.25}, {55.5, -21.1}, {-0.0001, 45}}
	for range 50 {
		centres = append(centres, orb.Point{-5 + 14*r.Float64(), 42 + 9*r.Float64()})
	}
	for _, c := range centres {
		for _, km := range []float64{5, 10, 20, 50} {
			radius := km * 1000
			cover := coverTerms(c, radius)
			if len(cover) == 0 || len(cover) > maxCoverCells {
				t.Fatalf("%v %v km: %d cells", c, km, len(cover))
			}
			for range 300 {
				// A point at a random bearing, up to the radius, by a local
				// flat approximation shrunk to stay inside.
				d := radius * 0.995 * math.Sqrt(r.Float64())
				a := 2 * math.Pi * r.Float64()
				p := orb.Point{
					c[0] + d*math.Sin(a)/(111_320*math.Cos(c[1]*math.Pi/180)),
					c[1] + d*math.Cos(a)/110_574,
				}
				if geo.Distance(c, p) > radius {
					continue
				}
				if !slices.ContainsFunc(cellTerms(p), func(term string) bool { return slices.Contains(cover, term) }) {
					t.Fatalf("%v %v km: %v (%.0f m away) in no covered cell %v", c, km, p, geo.Distance(c, p), cover)
				}
			}
		}
	}
}

func TestKeyTerms(t *testing.T) {
	for _, p := range []orb.Point{{0.5528, 46.81562}, {-61.53, 16.24}, {-178.1, -14.3}, {179.99999, 89.99999}, {-180, -90}} {
		got, ok := parsePlace([]byte(placeTerm(p)[1:]))
		if !ok || math.Abs(got[0]-p[0]) > 1e-5 || math.Abs(got[1]-p[1]) > 1e-5 {
			t.Errorf("%v: %v %v", p, got, ok)
		}
	}
	for _, n := range []int64{0, 1, 35, 36, 1741600000, -5} {
		if got, ok := parse36([]byte(base36(n))); !ok || got != n {
			t.Errorf("%d: %d %v", n, got, ok)
		}
	}
	if _, ok := parse36([]byte("12_")); ok {
		t.Error("parse36 accepts _")
	}
	// Every vocabulary value has its own term (newCodebook panics
	// otherwise), and the codebook holds them all.
	if len(book.codes) != 16+69+6+2+14+2 {
		t.Errorf("%d codes", len(book.codes))
	}
}
