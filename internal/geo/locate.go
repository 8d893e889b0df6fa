package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/repere-spie/repere/internal/directory"
)

// cellSize in degrees: about 4 × 5.5 km in mainland France, a few communes
// per cell.
const cellSize = 0.05

type cell struct{ x, y int32 }

func cellOf(p orb.Point) cell {
	return cell{int32(math.Floor(p[0] / cellSize)), int32(math.Floor(p[1] / cellSize))}
}

// grid lists, for each cell, the communes whose bounding box overlaps it, so
// a point is tested against a handful of polygons.
type grid struct {
	communes []directory.Commune
	bounds   []orb.Bound // by index in communes
	cells    map[cell][]int32
}

func newGrid(communes []directory.Commune) grid {
	g := grid{communes: communes, bounds: make([]orb.Bound, len(communes)), cells: map[cell][]int32{}}
	for i := range communes {
		if communes[i].Contour == nil {
			continue
		}
		b := communes[i].Contour.Bound()
		g.bounds[i] = b
		lo, hi := cellOf(b.Min), cellOf(b.Max)
		for x := lo.x; x <= hi.x; x++ {
			for y := lo.y; y <= hi.y; y++ {
				g.cells[cell{x, y}] = append(g.cells[cell{x, y}], int32(i))
			}
		}
	}
	return g
}

func (g *grid) at(p orb.Point) (*directory.Commune, bool) {
	for _, i := range g.cells[cellOf(p)] {
		if !g.bounds[i].Contains(p) {
			continue
		}
		c := &g.communes[i]
		switch geom := c.Contour.(type) {
		case orb.Polygon:
			if planar.PolygonContains(geom, p) {
				return c, true
			}
		case orb.MultiPolygon:
			if planar.MultiPolygonContains(geom, p) {
				return c, true
			}
		}
	}
	return nil, false
}
