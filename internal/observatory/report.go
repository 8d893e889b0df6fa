package observatory

import (
	"cmp"
	"slices"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

// Query chooses a report: a territory (France, a région, a département or
// an EPCI), a column and a radius (one of Radii).
type Query struct {
	Territory directory.Zone
	Column    int
	RadiusKm  int
}

// Row is the coverage of one commune at the query's radius.
type Row struct {
	ci      int32
	Commune *directory.Commune
	Cell    Cell // at every radius
	OnSite  int  // services received on site within the radius
	Remote  int  // services reaching it at a distance only
	// Nearest is the nearest on-site service serving the commune, for the
	// gaps of the ranking; nil when none lies within nearestLimit km.
	Nearest *Nearest
}

// Covered reports whether some service receives the commune's residents
// on site within the radius.
func (r *Row) Covered() bool { return r.OnSite > 0 }

// Area sums the rows of a département, for the reports of France and of a
// région.
type Area struct {
	Departement *directory.Departement
	Totals
}

// Totals sum rows.
type Totals struct {
	Communes             int
	Population           int
	Uncovered            int // communes without an on-site service within the radius
	UncoveredPopulation  int
	RemoteOnlyPopulation int // of the uncovered population, the one reached at a distance
}

// UncoveredShare is the uncovered part of the population, 0 to 1.
func (t *Totals) UncoveredShare() float64 {
	if t.Population == 0 {
		return 0
	}
	return float64(t.UncoveredPopulation) / float64(t.Population)
}

func (t *Totals) add(r *Row) {
	t.Communes++
	t.Population += r.Commune.Population
	if !r.Covered() {
		t.Uncovered++
		t.UncoveredPopulation += r.Commune.Population
		if r.Remote > 0 {
			t.RemoteOnlyPopulation += r.Commune.Population
		}
	}
}

// Report is the coverage of a territory for a column at a radius.
type Report struct {
	Query
	Theme Column
	Built time.Time // when the offer was read
	Totals
	Rows  []Row  // every commune of the territory, in the geography's order
	Areas []Area // by département, for France and a région
	// Gaps are the uncovered communes, the most populated first, each with
	// its nearest offer.
	Gaps []Row
}

// MaxGaps is the length of the ranking of gaps.
const MaxGaps = 20

// Report computes the report of q; EINVALID for an unknown column or
// radius, ENOTFOUND for an unknown territory.
func (cv *Coverage) Report(q Query) (*Report, error) {
	if q.Column < 0 || q.Column >= len(columns) {
		return nil, directory.Errorf(directory.EINVALID, "Thématique inconnue.")
	}
	ri := slices.Index(Radii[:], q.RadiusKm)
	if ri < 0 {
		return nil, directory.Errorf(directory.EINVALID, "Le rayon doit être de 5, 10, 20 ou 50 km.")
	}
	communes, err := cv.t.communesIn(q.Territory)
	if err != nil {
		return nil, err
	}
	rep := &Report{Query: q, Theme: columns[q.Column], Built: cv.Built, Rows: make([]Row, len(communes))}
	byDep := map[string]*Area{}
	several := q.Territory.Kind == directory.ZoneFrance || q.Territory.Kind == directory.ZoneRegion
	for i, ci := range communes {
		c := cv.Cell(ci, q.Column)
		r := &rep.Rows[i]
		*r = Row{ci: ci, Commune: &cv.t.communes[ci], Cell: c, OnSite: c.OnSite[ri], Remote: c.Remote[ri]}
		rep.add(r)
		if several {
			a := byDep[r.Commune.Departement]
			if a == nil {
				d := cv.t.departement(r.Commune.Departement)
				if d == nil {
					continue
				}
				a = &Area{Departement: d}
				byDep[d.Code] = a
			}
			a.add(r)
		}
	}
	for i := range cv.t.geo.Departements {
		if a := byDep[cv.t.geo.Departements[i].Code]; a != nil {
			rep.Areas = append(rep.Areas, *a)
		}
	}
	var gaps []int
	for i := range rep.Rows {
		if !rep.Rows[i].Covered() {
			gaps = append(gaps, i)
		}
	}
	slices.SortFunc(gaps, func(a, b int) int {
		ra, rb := &rep.Rows[a], &rep.Rows[b]
		return cmp.Or(cmp.Compare(rb.Commune.Population, ra.Commune.Population), cmp.Compare(ra.Commune.Code, rb.Commune.Code))
	})
	for _, i := range gaps[:min(len(gaps), MaxGaps)] {
		r := rep.Rows[i]
		if n, ok := cv.nearest(communes[i], q.Column); ok {
			r.Nearest = &n
		}
		rep.Gaps = append(rep.Gaps, r)
	}
	return rep, nil
}

// FillNearest finds the nearest offer of every uncovered commune of rep,
// for downloads (the page shows the ranked gaps' only).
func (cv *Coverage) FillNearest(rep *Report) {
	for i := range rep.Rows {
		r := &rep.Rows[i]
		if !r.Covered() && r.Nearest == nil {
			if n, ok := cv.nearest(r.ci, rep.Column); ok {
				r.Nearest = &n
			}
		}
	}
}

// communesIn returns the communes of a territory, in the geography's order.
func (t *territories) communesIn(z directory.Zone) ([]int32, error) {
	switch z.Kind {
	case directory.ZoneFrance, directory.ZoneRegion, directory.ZoneDepartement, directory.ZoneEPCI:
		if n, ok := t.zone[z.Key()]; ok {
			return t.communesOf(n), nil
		}
	}
	return nil, directory.Errorf(directory.ENOTFOUND, "Territoire inconnu : %s.", z.Key())
}

func (t *territories) departement(code string) *directory.Departement {
	for i := range t.geo.Departements {
		if t.geo.Departements[i].Code == code {
			return &t.geo.Departements[i]
		}
	}
	return nil
}

// CellOf returns the coverage of the commune of INSEE code for column col;
// false for a commune the geography does not know.
func (cv *Coverage) CellOf(code string, col int) (Cell, bool) {
	n, ok := cv.t.zone[directory.Zone{Kind: directory.ZoneCommune, Code: code}.Key()]
	if !ok || n >= int32(len(cv.t.communes)) || col < 0 || col >= len(columns) {
		return Cell{}, false
	}
	return cv.Cell(n, col), true
}
