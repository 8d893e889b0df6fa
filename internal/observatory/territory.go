package observatory

import (
	"math"
	"slices"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
)

// territories numbers the geography for the coverage pass: communes by
// their index in the geography, and one zone number per territory a
// service's zone may name. Zone numbers are: the communes' indexes, then
// the EPCIs, the départements, the régions, and France last.
type territories struct {
	geo      *directory.Geography
	communes []directory.Commune // geo.Communes
	zone     map[string]int32    // zone key -> zone number
	keys     []directory.Zone    // zone number -> zone
	// up holds, for each commune, the zone numbers of its EPCI (-1 when
	// none), département and région (-1 when unknown).
	up [][3]int32
	// members lists the communes of each zone number above the communes,
	// France excepted (all of them).
	members [][]int32
	france  int32
	grid    centreGrid
}

func newTerritories(g *directory.Geography) *territories {
	t := &territories{geo: g, communes: g.Communes, zone: make(map[string]int32, len(g.Communes)+len(g.EPCIs)+200)}
	add := func(z directory.Zone) int32 {
		n := int32(len(t.keys))
		t.keys = append(t.keys, z)
		t.zone[z.Key()] = n
		return n
	}
	for i := range g.Communes {
		add(directory.Zone{Kind: directory.ZoneCommune, Code: g.Communes[i].Code})
	}
	for i := range g.EPCIs {
		add(directory.Zone{Kind: directory.ZoneEPCI, Code: g.EPCIs[i].Code})
	}
	for i := range g.Departements {
		add(directory.Zone{Kind: directory.ZoneDepartement, Code: g.Departements[i].Code})
	}
	for i := range g.Regions {
		add(directory.Zone{Kind: directory.ZoneRegion, Code: g.Regions[i].Code})
	}
	t.france = add(directory.France)
	nc := int32(len(g.Communes))
	t.members = make([][]int32, int(t.france-nc))
	t.up = make([][3]int32, nc)
	lookup := func(z directory.Zone) int32 {
		if n, ok := t.zone[z.Key()]; ok {
			return n
		}
		return -1
	}
	for i := range g.Communes {
		c := &g.Communes[i]
		u := [3]int32{-1, -1, -1}
		if c.EPCI != "" {
			u[0] = lookup(directory.Zone{Kind: directory.ZoneEPCI, Code: c.EPCI})
		}
		u[1] = lookup(directory.Zone{Kind: directory.ZoneDepartement, Code: c.Departement})
		u[2] = lookup(directory.Zone{Kind: directory.ZoneRegion, Code: c.Region})
		t.up[i] = u
		for _, z := range u {
			if z >= 0 {
				t.members[z-nc] = append(t.members[z-nc], int32(i))
			}
		}
	}
	t.grid = newCentreGrid(g.Communes)
	return t
}

// covers reports whether zone number z covers commune ci, as a search of
// that commune selects zones: the commune, its EPCI, département, région,
// or France.
func (t *territories) covers(z, ci int32) bool {
	if z == ci || z == t.france {
		return true
	}
	u := &t.up[ci]
	return z == u[0] || z == u[1] || z == u[2]
}

// communesOf returns the communes of zone number z.
func (t *territories) communesOf(z int32) []int32 {
	nc := int32(len(t.communes))
	switch {
	case z < nc:
		return []int32{z}
	case z == t.france:
		all := make([]int32, nc)
		for i := range all {
			all[i] = int32(i)
		}
		return all
	}
	return t.members[z-nc]
}

// size is the number of communes of zone number z.
func (t *territories) size(z int32) int {
	nc := int32(len(t.communes))
	switch {
	case z < nc:
		return 1
	case z == t.france:
		return int(nc)
	}
	return len(t.members[z-nc])
}

// centreGrid finds the communes whose centre lies near a point: cells of
// gridLat × gridLon degrees, each listing the communes centred in it.
type centreGrid struct {
	start map[[2]int32]int32 // cell -> first index in order
	count map[[2]int32]int32
	order []int32 // commune indexes grouped by cell
}

const gridLat, gridLon = 0.2, 0.3 // about 22 × 23 km in mainland France

func gridCell(p orb.Point) [2]int32 {
	return [2]int32{int32(math.Floor(p[1] / gridLat)), int32(math.Floor(p[0] / gridLon))}
}

func newCentreGrid(communes []directory.Commune) centreGrid {
	g := centreGrid{start: map[[2]int32]int32{}, count: map[[2]int32]int32{}}
	for i := range communes {
		if p := communes[i].Center; p != nil {
			g.order = append(g.order, int32(i))
		}
	}
	slices.SortStableFunc(g.order, func(a, b int32) int {
		ca, cb := gridCell(*communes[a].Center), gridCell(*communes[b].Center)
		if ca[0] != cb[0] {
			return int(ca[0] - cb[0])
		}
		return int(ca[1] - cb[1])
	})
	for k, i := range g.order {
		c := gridCell(*communes[i].Center)
		if _, ok := g.start[c]; !ok {
			g.start[c] = int32(k)
		}
		g.count[c]++
	}
	return g
}

// near calls fn with every commune whose centre may lie within radius
// metres of p (a superset: the caller measures).
func (g *centreGrid) near(p orb.Point, radius float64, fn func(ci int32)) {
	dLat := radius / 110_000
	maxLat := math.Min(89, math.Abs(p[1])+dLat)
	dLon := math.Min(180, radius/(110_000*math.Cos(maxLat*math.Pi/180)))
	lo := gridCell(orb.Point{p[0] - dLon, p[1] - dLat})
	hi := gridCell(orb.Point{p[0] + dLon, p[1] + dLat})
	for i := lo[0]; i <= hi[0]; i++ {
		for j := lo[1]; j <= hi[1]; j++ {
			c := [2]int32{i, j}
			s, ok := g.start[c]
			if !ok {
				continue
			}
			for _, ci := range g.order[s : s+g.count[c]] {
				fn(ci)
			}
		}
	}
}
