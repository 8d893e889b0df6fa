package geo

import (
	"math"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
)

// Locate returns the commune whose contour holds p or, when none does, the
// nearest commune within directory.NearbyKm: the simplified contours miss
// some coasts and islets (the abbey of Mont-Saint-Michel), and the overseas
// collectivities have no contour at all (their main towns are known by the
// points of overseasTowns).
func (z *Gazetteer) Locate(p orb.Point) (*directory.Commune, bool) {
	if c, ok := z.grid.at(p); ok {
		return c, true
	}
	limit := float64(directory.NearbyKm) * 1000
	best, bestD := (*directory.Commune)(nil), math.Inf(1)
	for _, i := range z.grid.near(p, limit) {
		if d := distanceToContour(p, z.grid.communes[i].Contour); d < bestD {
			best, bestD = &z.grid.communes[i], d
		}
	}
	for _, t := range overseasTowns {
		if d := Distance(p, t.at); d < bestD {
			if c, ok := z.communes[t.code]; ok {
				best, bestD = c, d
			}
		}
	}
	return best, best != nil && bestD <= limit
}

// overseasTowns are the main towns of the overseas collectivities, whose
// communes the reference gives without contour or centre.
var overseasTowns = []struct {
	code string
	at   orb.Point
}{
	{"97501", orb.Point{-56.3814, 47.0975}},   // Miquelon-Langlade
	{"97502", orb.Point{-56.1773, 46.7791}},   // Saint-Pierre
	{"97701", orb.Point{-62.8497, 17.8964}},   // Saint-Barthélemy (Gustavia)
	{"97801", orb.Point{-63.0846, 18.0679}},   // Saint-Martin (Marigot)
	{"98613", orb.Point{-176.1745, -13.2825}}, // Uvea (Mata-Utu)
	{"98735", orb.Point{-149.5696, -17.5350}}, // Papeete
	{"98818", orb.Point{166.4580, -22.2758}},  // Nouméa
}

// near returns the communes whose bounding box comes within dist metres of
// p.
func (g *grid) near(p orb.Point, dist float64) []int32 {
	dLat := dist / 111_000 // degrees
	dLon := dLat / math.Max(math.Cos(p[1]*math.Pi/180), 0.1)
	lo, hi := cellOf(orb.Point{p[0] - dLon, p[1] - dLat}), cellOf(orb.Point{p[0] + dLon, p[1] + dLat})
	seen := map[int32]bool{}
	var out []int32
	for x := lo.x; x <= hi.x; x++ {
		for y := lo.y; y <= hi.y; y++ {
			for _, i := range g.cells[cell{x, y}] {
				b := g.bounds[i]
				if !seen[i] && p[0] >= b.Min[0]-dLon && p[0] <= b.Max[0]+dLon && p[1] >= b.Min[1]-dLat && p[1] <= b.Max[1]+dLat {
					seen[i] = true
					out = append(out, i)
				}
			}
		}
	}
	return out
}

// distanceToContour is the distance in metres from p to the nearest edge
// of a contour, in a local flat projection around p (exact enough over a
// few kilometres).
func distanceToContour(p orb.Point, g orb.Geometry) float64 {
	kx := 111_320 * math.Cos(p[1]*math.Pi/180) // metres per degree of longitude here
	const ky = 110_574                         // metres per degree of latitude
	best := math.Inf(1)
	ring := func(r orb.Ring) {
		for i := 1; i < len(r); i++ {
			ax, ay := (r[i-1][0]-p[0])*kx, (r[i-1][1]-p[1])*ky
			bx, by := (r[i][0]-p[0])*kx, (r[i][1]-p[1])*ky
			best = math.Min(best, segmentDistance(ax, ay, bx, by))
		}
	}
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			ring(r)
		}
	case orb.MultiPolygon:
		for _, poly := range g {
			for _, r := range poly {
				ring(r)
			}
		}
	}
	return best
}

// segmentDistance is the distance from the origin to the segment a–b.
func segmentDistance(ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l))
	}
	return math.Hypot(ax+t*dx, ay+t*dy)
}
