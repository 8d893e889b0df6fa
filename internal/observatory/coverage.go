// Package observatory measures where the offer is missing: for every
// commune and every thématique, the services that serve its residents under
// the search rule, on site within 5, 10, 20 or 50 km or at a distance only;
// from it, the population a territory leaves without an offer nearby, and
// the largest gaps with the nearest offer.
//
// Coverage is computed for all communes at once by one pass over the
// visible services of the search index (not one search per cell): each
// service's zone is expanded to communes through the geography, and an
// on-site service reaches the communes whose centre lies within 50 km of
// its place, found through a grid of commune centres. The counts are held in
// flat arrays of 16-bit counters, one cell per commune and column.
package observatory

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/directory"
)

// Radii are the distances, in km, coverage tells apart: a service received
// within Radii[i] km of a commune's centre is on site for it at that radius.
var Radii = [numRadii]int{5, 10, 20, 50}

const numRadii = 4

// maxRadius is the largest radius, in metres.
var maxRadius = float64(Radii[numRadii-1]) * 1000

// Column is what coverage counts services by: a thématique category, or a
// besoin.
type Column struct {
	Value    string
	Label    string
	Category string // the category of a besoin; "" for a category
}

// columns are the categories then the besoins, in the vocabularies' order.
var columns, columnOf = newColumns()

func newColumns() ([]Column, map[string]int) {
	var out []Column
	for _, t := range directory.ThematiqueCategories.Terms() {
		out = append(out, Column{Value: t.Value, Label: t.Label})
	}
	for _, t := range directory.Thematiques.Terms() {
		out = append(out, Column{Value: t.Value, Label: t.Label, Category: directory.CategoryOf(t.Value)})
	}
	of := make(map[string]int, len(out))
	for i, c := range out {
		of[c.Value] = i
	}
	return out, of
}

// Columns returns the columns, categories first.
func Columns() []Column { return append([]Column(nil), columns...) }

// ColumnOf returns the column of a category or besoin value.
func ColumnOf(value string) (int, bool) {
	i, ok := columnOf[value]
	return i, ok
}

// Source is what coverage reads: the search index.
type Source interface {
	EachOffer(ctx context.Context, now time.Time, fn func(*indexer.Offer) error) error
	Revision() uint64
}

// counts is a flat array of counters that stay small almost everywhere:
// 16 bits each, the excess of the few that overflow kept aside.
type counts struct {
	v     []uint16
	spill map[int32]uint32
}

func newCounts(n int) counts { return counts{v: make([]uint16, n), spill: map[int32]uint32{}} }

func (c *counts) add(i int32) {
	if c.v[i] == math.MaxUint16 {
		c.spill[i]++
		return
	}
	c.v[i]++
}

func (c *counts) get(i int32) int {
	n := int(c.v[i])
	if n == math.MaxUint16 {
		n += int(c.spill[i])
	}
	return n
}

// Coverage is the coverage of every commune for every column, computed from
// the offer at one time. It is read-only once built.
type Coverage struct {
	t        *territories
	Built    time.Time // when the offer was read
	Took     time.Duration
	Revision uint64 // the index revision read
	Services int    // visible services read

	// band[i] counts, per cell, the services received on site at a
	// distance in (Radii[i-1], Radii[i]] km of the commune's centre;
	// hybrid[i] those of them also offered at a distance.
	band, hybrid [numRadii]counts
	// remote counts, per cell, the services offered at a distance that
	// cover the commune by a zone of their own (a commune, or several
	// zones); zoneRemote, per zone above the communes and column, those
	// whose one zone it is.
	remote     counts
	zoneRemote []uint32
	sites      sites
}

func (cv *Coverage) cell(ci int32, col int) int32 { return ci*int32(len(columns)) + int32(col) }

// Cell is the coverage of a commune for a column.
type Cell struct {
	// OnSite[i] is the number of services received within Radii[i] km.
	OnSite [numRadii]int
	// Remote[i] is the number of services that reach the commune at a
	// distance only at radius Radii[i]: offered at a distance and not
	// received on site within it (a search then lists them as remote).
	Remote [numRadii]int
}

// Cell returns the coverage of commune ci (its index in the geography) for
// column col.
func (cv *Coverage) Cell(ci int32, col int) Cell {
	i := cv.cell(ci, col)
	remote := cv.remote.get(i)
	nc := int32(len(cv.t.communes))
	zr := func(z int32) {
		if z >= 0 {
			remote += int(cv.zoneRemote[int(z-nc)*len(columns)+col])
		}
	}
	for _, z := range cv.t.up[ci] {
		zr(z)
	}
	zr(cv.t.france)
	var c Cell
	on, hyb := 0, 0
	for r := range numRadii {
		on += cv.band[r].get(i)
		hyb += cv.hybrid[r].get(i)
		c.OnSite[r] = on
		c.Remote[r] = remote - hyb
	}
	return c
}

// Build reads the visible offer of src at now and computes the coverage of
// every commune of t.
func build(ctx context.Context, src Source, t *territories, now time.Time) (*Coverage, error) {
	start := time.Now()
	nc := len(t.communes)
	ncols := len(columns)
	cv := &Coverage{t: t, Built: now, Revision: src.Revision()}
	for r := range numRadii {
		cv.band[r] = newCounts(nc * ncols)
		cv.hybrid[r] = newCounts(nc * ncols)
	}
	cv.remote = newCounts(nc * ncols)
	cv.zoneRemote = make([]uint32, (int(t.france)+1-nc)*ncols)

	b := builder{cv: cv, t: t, seen: make([]uint32, nc)}
	err := src.EachOffer(ctx, now, func(o *indexer.Offer) error {
		cv.Services++
		b.add(o)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("observatoire : lecture de l’offre : %w", err)
	}
	cv.sites.index()
	cv.Took = time.Since(start)
	return cv, nil
}

// builder holds the scratch space of one coverage pass.
type builder struct {
	cv    *Coverage
	t     *territories
	cols  []int
	zones []int32
	seen  []uint32 // stamp of the last offer that reached each commune
	stamp uint32
}

// onSiteByZone is the number of communes under which an on-site service's
// zones are walked commune by commune rather than through the grid of
// commune centres within maxRadius (a few hundred communes).
const onSiteByZone = 300

func (b *builder) add(o *indexer.Offer) {
	t, cv := b.t, b.cv
	b.cols = b.cols[:0]
	for _, th := range o.Thematiques {
		if c, ok := columnOf[th]; ok {
			b.cols = append(b.cols, c)
		}
	}
	b.zones = b.zones[:0]
	size := 0
	for _, z := range o.Zones {
		if n, ok := t.zone[z.Key()]; ok {
			b.zones = append(b.zones, n)
			size += t.size(n)
		}
	}
	if len(b.cols) == 0 || len(b.zones) == 0 {
		return
	}
	ncols := int32(len(columns))
	nc := int32(len(t.communes))
	if o.Remote {
		if z := b.zones[0]; len(b.zones) == 1 && z >= nc {
			for _, col := range b.cols {
				cv.zoneRemote[(z-nc)*ncols+int32(col)]++
			}
		} else {
			b.eachCovered(func(ci int32) {
				for _, col := range b.cols {
					cv.remote.add(ci*ncols + int32(col))
				}
			})
		}
	}
	if o.Place == nil {
		return
	}
	place := *o.Place
	cv.sites.add(o, place, b.cols, b.zones)
	reach := func(ci int32) {
		centre := t.communes[ci].Center
		if centre == nil {
			return
		}
		d := indexer.Distance(*centre, place)
		if !(d <= maxRadius) {
			return
		}
		r := 0
		for d > float64(Radii[r])*1000 {
			r++
		}
		for _, col := range b.cols {
			cv.band[r].add(ci*ncols + int32(col))
			if o.Remote {
				cv.hybrid[r].add(ci*ncols + int32(col))
			}
		}
	}
	if size <= onSiteByZone {
		b.eachCovered(reach)
		return
	}
	t.grid.near(place, maxRadius, func(ci int32) {
		for _, z := range b.zones {
			if t.covers(z, ci) {
				reach(ci)
				return
			}
		}
	})
}

// eachCovered calls fn once with every commune the zones of the offer
// being added cover.
func (b *builder) eachCovered(fn func(ci int32)) {
	b.stamp++
	if b.stamp == 0 { // wrapped: forget every stamp
		clear(b.seen)
		b.stamp = 1
	}
	for _, z := range b.zones {
		if z == b.t.france {
			for ci := range b.t.communes {
				if b.seen[ci] != b.stamp {
					b.seen[ci] = b.stamp
					fn(int32(ci))
				}
			}
			continue
		}
		for _, ci := range b.t.communesOf(z) {
			if b.seen[ci] != b.stamp {
				b.seen[ci] = b.stamp
				fn(ci)
			}
		}
	}
}

// sites are the on-site services, for the nearest offer of a commune: their
// place, identifier, columns (a bit each) and zones, and a grid of their
// places.
type sites struct {
	place []orb.Point
	id    []string
	mask  [][2]uint64
	zone0 []int32 // start of each site's zones in zones; one more entry at the end
	zones []int32
	grid  map[[2]int32][]int32
}

func (s *sites) add(o *indexer.Offer, p orb.Point, cols []int, zones []int32) {
	var m [2]uint64
	for _, c := range cols {
		m[c/64] |= 1 << (c % 64)
	}
	if len(s.zone0) == 0 {
		s.zone0 = append(s.zone0, 0)
	}
	s.place = append(s.place, p)
	s.id = append(s.id, o.ID)
	s.mask = append(s.mask, m)
	s.zones = append(s.zones, zones...)
	s.zone0 = append(s.zone0, int32(len(s.zones)))
}

func (s *sites) index() {
	s.grid = map[[2]int32][]int32{}
	for i, p := range s.place {
		c := gridCell(p)
		s.grid[c] = append(s.grid[c], int32(i))
	}
}

// Nearest is the nearest on-site service that serves a commune.
type Nearest struct {
	ServiceID string
	Place     orb.Point
	Km        float64
}

// nearestLimit bounds how far Nearest looks, in km.
const nearestLimit = 300

// nearest returns the on-site service of column col nearest to the centre
// of commune ci among those whose zone covers it; false when none lies
// within nearestLimit km.
func (cv *Coverage) nearest(ci int32, col int) (Nearest, bool) {
	centre := cv.t.communes[ci].Center
	if centre == nil {
		return Nearest{}, false
	}
	s := &cv.sites
	p := *centre
	best, bestSite := math.Inf(1), int32(-1)
	// A ring of cells r cells away from the centre's cell lies at least
	// (r-1) cells away: stop once that exceeds the best distance.
	cellKm := math.Min(gridLat*110.5, gridLon*111.3*math.Cos(math.Min(89, math.Abs(p[1])+3)*math.Pi/180))
	home := gridCell(p)
	word, bit := col/64, uint64(1)<<(col%64)
	for r := int32(0); float64(r-1)*cellKm <= math.Min(best/1000, nearestLimit); r++ {
		for i := home[0] - r; i <= home[0]+r; i++ {
			for j := home[1] - r; j <= home[1]+r; j++ {
				if i != home[0]-r && i != home[0]+r && j != home[1]-r && j != home[1]+r {
					continue // inside the ring: seen already
				}
				for _, si := range s.grid[[2]int32{i, j}] {
					if s.mask[si][word]&bit == 0 {
						continue
					}
					d := indexer.Distance(p, s.place[si])
					if d >= best {
						continue
					}
					for _, z := range s.zones[s.zone0[si]:s.zone0[si+1]] {
						if cv.t.covers(z, ci) {
							best, bestSite = d, si
							break
						}
					}
				}
			}
		}
	}
	if bestSite < 0 || best > nearestLimit*1000 {
		return Nearest{}, false
	}
	return Nearest{ServiceID: s.id[bestSite], Place: s.place[bestSite], Km: best / 1000}, true
}
