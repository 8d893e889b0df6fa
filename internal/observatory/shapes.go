package observatory

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"

	"github.com/repere-spie/repere/internal/directory"
)

// Map is a territory drawn for a choropleth: one shape per area (the
// départements for France and a région, the communes for a département or
// an EPCI), projected into a box of Width × Height units and simplified to
// about half a unit, the detail a page shows.
type Map struct {
	Width, Height int
	Areas         []MapArea
	// Insets frame the overseas départements on the map of France, each
	// drawn at its own scale.
	Insets []Inset
}

// MapArea is one shape: the code of its commune or département and its
// SVG path.
type MapArea struct {
	Code string
	Path string
}

// Inset is the frame of an area drawn apart.
type Inset struct {
	X, Y, Width, Height int
	Label               string
}

// Size is an estimate of the memory a map holds, for caches.
func (m *Map) Size() int {
	n := 64
	for _, a := range m.Areas {
		n += len(a.Code) + len(a.Path) + 32
	}
	return n + 64*len(m.Insets)
}

// mapWidth is the width of every map, in SVG units.
const mapWidth = 640

// tolerance of the simplification, in SVG units.
const tolerance = 0.5

// overseas are the départements drawn in insets on the map of France.
var overseas = []string{"971", "972", "973", "974", "976"}

// Map returns the map of a territory; ENOTFOUND for an unknown one.
func (o *Observatory) Map(z directory.Zone) (*Map, error) {
	t := o.t
	switch z.Kind {
	case directory.ZoneFrance:
		return o.franceMap(), nil
	case directory.ZoneRegion:
		var areas []shape
		for i := range t.geo.Departements {
			if d := &t.geo.Departements[i]; d.Region == z.Code {
				areas = append(areas, shape{d.Code, o.outline(d.Code)})
			}
		}
		if len(areas) == 0 {
			break
		}
		m := &Map{}
		m.Height = draw(m, areas, 0, 0, mapWidth, mapWidth)
		m.Width = mapWidth
		return m, nil
	case directory.ZoneDepartement, directory.ZoneEPCI:
		communes, err := t.communesIn(z)
		if err != nil {
			return nil, err
		}
		var areas []shape
		for _, ci := range communes {
			c := &t.communes[ci]
			if rings := polygonRings(c.Contour); len(rings) > 0 {
				areas = append(areas, shape{c.Code, rings})
			}
		}
		m := &Map{Width: mapWidth}
		m.Height = draw(m, areas, 0, 0, mapWidth, mapWidth)
		return m, nil
	}
	return nil, directory.Errorf(directory.ENOTFOUND, "Territoire inconnu : %s.", z.Key())
}

// franceMap draws the départements of mainland France and Corsica, and the
// overseas ones in insets down the left side; computed once.
func (o *Observatory) franceMap() *Map {
	o.franceOnce.Do(func() {
		t := o.t
		var main []shape
		insets := map[string][]orb.Ring{}
		for i := range t.geo.Departements {
			d := &t.geo.Departements[i]
			rings := o.outline(d.Code)
			switch {
			case len(rings) == 0:
			case slices.Contains(overseas, d.Code):
				insets[d.Code] = rings
			case len(d.Code) == 2: // mainland and Corsica; other overseas collectivities have no contours
				main = append(main, shape{d.Code, rings})
			}
		}
		const side = 110 // the insets' column
		m := &Map{Width: mapWidth + side}
		m.Height = draw(m, main, side, 0, mapWidth, mapWidth)
		h := m.Height / len(overseas)
		for i, code := range overseas {
			if rings := insets[code]; rings != nil {
				y := i * h
				draw(m, []shape{{code, rings}}, 5, y+5, side-15, h-10)
				label := code
				if d := t.departement(code); d != nil {
					label = d.Name
				}
				m.Insets = append(m.Insets, Inset{X: 2, Y: y + 2, Width: side - 9, Height: h - 4, Label: label})
			}
		}
		o.france = m
	})
	return o.france
}

// shape is an area before projection: rings of [longitude, latitude].
type shape struct {
	code  string
	rings []orb.Ring
}

// draw projects shapes into the box at (x, y) of width w and height at
// most maxH, appends them to m, and returns the height used. The
// projection is equirectangular at the box's middle latitude, which is
// close enough at the scale of a département or of France.
func draw(m *Map, shapes []shape, x, y, w, maxH int) int {
	b := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, s := range shapes {
		for _, r := range s.rings {
			b = b.Union(r.Bound())
		}
	}
	if len(shapes) == 0 || b.IsEmpty() && b.Min == b.Max {
		return 0
	}
	k := math.Cos((b.Min[1] + b.Max[1]) / 2 * math.Pi / 180)
	spanX, spanY := (b.Max[0]-b.Min[0])*k, b.Max[1]-b.Min[1]
	scale := float64(w) / math.Max(spanX, 1e-9)
	if spanY*scale > float64(maxH) {
		scale = float64(maxH) / math.Max(spanY, 1e-9)
	}
	offX := float64(x) + (float64(w)-spanX*scale)/2
	dp := simplify.DouglasPeucker(tolerance)
	var sb strings.Builder
	for _, s := range shapes {
		sb.Reset()
		for _, r := range s.rings {
			proj := make(orb.Ring, len(r))
			for i, p := range r {
				proj[i] = orb.Point{offX + (p[0]-b.Min[0])*k*scale, float64(y) + (b.Max[1]-p[1])*scale}
			}
			proj = dp.Ring(proj)
			if len(proj) < 4 {
				continue // smaller than the detail shown
			}
			for i, p := range proj[:len(proj)-1] {
				if i == 0 {
					sb.WriteByte('M')
				} else {
					sb.WriteByte('L')
				}
				sb.WriteString(strconv.FormatFloat(p[0], 'f', 1, 64))
				sb.WriteByte(' ')
				sb.WriteString(strconv.FormatFloat(p[1], 'f', 1, 64))
			}
			sb.WriteByte('Z')
		}
		if sb.Len() > 0 {
			m.Areas = append(m.Areas, MapArea{Code: s.code, Path: sb.String()})
		}
	}
	return int(math.Ceil(spanY * scale))
}

// polygonRings returns the rings of a contour, exteriors counter-clockwise
// and holes clockwise.
func polygonRings(g orb.Geometry) []orb.Ring {
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	var out []orb.Ring
	for _, p := range polys {
		for i, r := range p {
			if len(r) < 4 {
				continue
			}
			want := orb.CCW
			if i > 0 {
				want = orb.CW
			}
			if r.Orientation() != want {
				r = slices.Clone(r)
				r.Reverse()
			}
			out = append(out, r)
		}
	}
	return out
}

// outline returns the contour of a département: the edges of its
// communes' contours that no two of its communes share, chained into
// rings. The reference's contours are topological (neighbours share their
// vertices), so shared edges cancel exactly; where a patched contour does
// not match its neighbour, a sliver may remain, too thin to see.
func (o *Observatory) outline(code string) []orb.Ring {
	type edge struct{ a, b orb.Point }
	count := map[edge]int{}
	var edges []edge
	t := o.t
	for _, ci := range t.members[t.zone[directory.Zone{Kind: directory.ZoneDepartement, Code: code}.Key()]-int32(len(t.communes))] {
		for _, r := range polygonRings(t.communes[ci].Contour) {
			for i := 1; i < len(r); i++ {
				if r[i-1] == r[i] {
					continue
				}
				e := edge{r[i-1], r[i]}
				key := e
				if key.b[0] < key.a[0] || key.b[0] == key.a[0] && key.b[1] < key.a[1] {
					key = edge{e.b, e.a}
				}
				if count[key]++; count[key] == 1 {
					edges = append(edges, e)
				}
			}
		}
	}
	from := map[orb.Point][]int{}
	var kept []edge
	for _, e := range edges {
		key := e
		if key.b[0] < key.a[0] || key.b[0] == key.a[0] && key.b[1] < key.a[1] {
			key = edge{e.b, e.a}
		}
		if count[key] == 1 {
			from[e.a] = append(from[e.a], len(kept))
			kept = append(kept, e)
		}
	}
	used := make([]bool, len(kept))
	var rings []orb.Ring
	for i := range kept {
		if used[i] {
			continue
		}
		ring := orb.Ring{kept[i].a}
		for j := i; j >= 0; {
			used[j] = true
			ring = append(ring, kept[j].b)
			next := -1
			for _, k := range from[kept[j].b] {
				if !used[k] {
					next = k
					break
				}
			}
			j = next
		}
		if ring[len(ring)-1] != ring[0] {
			ring = append(ring, ring[0]) // a dangling chain: close it
		}
		if len(ring) >= 4 {
			rings = append(rings, ring)
		}
	}
	return rings
}

// mapOnce guards the map of France.
type mapOnce struct {
	franceOnce sync.Once
	france     *Map
}
