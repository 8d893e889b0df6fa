package geo

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
)

var _ directory.Places = (*Gazetteer)(nil)

// Gazetteer answers lookups on a geography held in memory. It is read-only
// once built and safe for concurrent use.
type Gazetteer struct {
	communes     map[string]*directory.Commune // INSEE code, arrondissements included
	postal       map[string][]*directory.Commune
	names        map[string][]*directory.Commune // folded name
	epcis        map[string]*directory.EPCI
	departements map[string]*directory.Departement
	regions      map[string]*directory.Region
	depList      []*directory.Departement
	byDep        map[string][]*directory.Commune
	nameKeys     []key // folded names and their inner word starts, sorted
	postalKeys   []key // postal codes, sorted
	grid         grid
}

// arrondissements of Paris, Lyon and Marseille: first and last code, commune.
var arrondissements = []struct{ first, last int }{{75101, 75120}, {69381, 69389}, {13201, 13216}}

var arrondissementCommune = []string{"75056", "69123", "13055"}

// NewGazetteer indexes g, which must not change afterwards: the gazetteer
// points into it rather than copying communes and contours.
func NewGazetteer(g *directory.Geography) *Gazetteer {
	z := &Gazetteer{
		communes:     make(map[string]*directory.Commune, len(g.Communes)+45),
		postal:       map[string][]*directory.Commune{},
		names:        make(map[string][]*directory.Commune, len(g.Communes)),
		epcis:        make(map[string]*directory.EPCI, len(g.EPCIs)),
		departements: make(map[string]*directory.Departement, len(g.Departements)),
		regions:      make(map[string]*directory.Region, len(g.Regions)),
		byDep:        map[string][]*directory.Commune{},
	}
	for i := range g.Regions {
		z.regions[g.Regions[i].Code] = &g.Regions[i]
	}
	for i := range g.Departements {
		d := &g.Departements[i]
		z.departements[d.Code] = d
		z.depList = append(z.depList, d)
	}
	slices.SortFunc(z.depList, func(a, b *directory.Departement) int {
		return strings.Compare(departementOrder(a.Code), departementOrder(b.Code))
	})
	for i := range g.EPCIs {
		z.epcis[g.EPCIs[i].Code] = &g.EPCIs[i]
	}

	folded := make(map[*directory.Commune]string, len(g.Communes))
	for i := range g.Communes {
		c := &g.Communes[i]
		name := Fold(c.Name)
		folded[c] = name
		z.communes[c.Code] = c
		z.names[name] = append(z.names[name], c)
		z.byDep[c.Departement] = append(z.byDep[c.Departement], c)
		z.nameKeys = appendNameKeys(z.nameKeys, name, c)
		for j, p := range c.PostalCodes {
			if !slices.Contains(c.PostalCodes[:j], p) {
				z.postal[p] = append(z.postal[p], c)
				z.postalKeys = append(z.postalKeys, key{text: p, c: c})
			}
		}
	}
	for _, f := range g.Former {
		if c, ok := z.communes[f.Commune]; ok {
			if _, current := z.communes[f.Code]; !current {
				z.communes[f.Code] = c
			}
		}
	}
	for i, a := range arrondissements {
		if c, ok := z.communes[arrondissementCommune[i]]; ok {
			for code := a.first; code <= a.last; code++ {
				z.communes[strconv.Itoa(code)] = c
			}
		}
	}
	for _, cs := range z.names {
		slices.SortFunc(cs, byPopulation)
	}
	for _, cs := range z.postal {
		slices.SortFunc(cs, byPopulation)
	}
	for _, cs := range z.byDep {
		slices.SortFunc(cs, func(a, b *directory.Commune) int {
			return cmp.Or(strings.Compare(folded[a], folded[b]), strings.Compare(a.Code, b.Code))
		})
	}
	slices.SortFunc(z.nameKeys, compareKeys)
	slices.SortFunc(z.postalKeys, compareKeys)
	z.grid = newGrid(g.Communes)
	return z
}

// Commune returns the commune with INSEE code code; the arrondissements of
// Paris, Lyon and Marseille, and former communes since merged, give today's
// commune.
func (z *Gazetteer) Commune(code string) (*directory.Commune, bool) {
	c, ok := z.communes[code]
	if !ok && len(code) == 5 && (code[1] == 'a' || code[1] == 'b') {
		c, ok = z.communes[strings.ToUpper(code)] // Corsica: "2a004"
	}
	return c, ok
}

// PostalCode returns the communes of a postal code, the most populated
// first.
func (z *Gazetteer) PostalCode(code string) []*directory.Commune {
	return slices.Clone(z.postal[strings.TrimSpace(code)])
}

// labelled matches "Poitiers (86)" and "Saint-Denis (97411)", the form the
// commune fields show.
var labelled = regexp.MustCompile(`^(.+?)\s*\((\w{2,5})\)$`)

// Resolve returns the communes text designates exactly: an INSEE or
// arrondissement code, a postal code (often several communes), a name
// (accents and case ignored; several communes share some names), or a name
// with its département, postal code or INSEE code in brackets ("Poitiers
// (86)"). The most populated come first.
func (z *Gazetteer) Resolve(text string) []*directory.Commune {
	text = strings.TrimSpace(text)
	if m := labelled.FindStringSubmatch(text); m != nil {
		cands := slices.DeleteFunc(z.resolve(m[1]), func(c *directory.Commune) bool {
			return c.Departement != m[2] && !slices.Contains(c.PostalCodes, m[2]) && c.Code != m[2]
		})
		if len(cands) > 0 {
			return cands
		}
	}
	return z.resolve(text)
}

func (z *Gazetteer) resolve(text string) []*directory.Commune {
	var out []*directory.Commune
	if c, ok := z.Commune(text); ok {
		out = append(out, c)
	}
	for _, c := range z.postal[text] {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		out = append(out, z.names[searchText(text, true)]...)
	}
	slices.SortFunc(out, byPopulation)
	return out
}

// EPCI returns the EPCI with SIREN code.
func (z *Gazetteer) EPCI(code string) (*directory.EPCI, bool) {
	e, ok := z.epcis[code]
	return e, ok
}

// Departement returns the département with code ("86", "2A", "971").
func (z *Gazetteer) Departement(code string) (*directory.Departement, bool) {
	d, ok := z.departements[code]
	return d, ok
}

// Region returns the région with code.
func (z *Gazetteer) Region(code string) (*directory.Region, bool) {
	r, ok := z.regions[code]
	return r, ok
}

// Departements returns every département in the official order (2A and 2B
// between 19 and 21, overseas last).
func (z *Gazetteer) Departements() []*directory.Departement {
	return slices.Clone(z.depList)
}

// CommunesOf returns the communes of a département sorted by name, accents
// ignored.
func (z *Gazetteer) CommunesOf(departement string) []*directory.Commune {
	return slices.Clone(z.byDep[departement])
}

// At returns the commune whose contour contains p ([longitude, latitude]).
func (z *Gazetteer) At(p orb.Point) (*directory.Commune, bool) {
	return z.grid.at(p)
}

func byPopulation(a, b *directory.Commune) int {
	return cmp.Or(cmp.Compare(b.Population, a.Population), strings.Compare(a.Code, b.Code))
}

// departementOrder sorts Corsica where département 20 was.
func departementOrder(code string) string {
	if code == "2A" || code == "2B" {
		return "20" + code[1:]
	}
	return code
}

// Fold and Slug are the domain's name normalisation (directory.Fold), used
// by the gazetteer's callers.
var (
	Fold = directory.Fold
	Slug = directory.Slug
)

// ZoneLabel names a zone: "Vienne (86)", "Poitiers (86)", "France entière";
// its key when the territory is unknown.
func (z *Gazetteer) ZoneLabel(zone directory.Zone) string {
	switch zone.Kind {
	case directory.ZoneFrance:
		return "France entière"
	case directory.ZoneCommune:
		if c, ok := z.Commune(zone.Code); ok {
			return c.Label()
		}
	case directory.ZoneEPCI:
		if e, ok := z.EPCI(zone.Code); ok {
			return e.Name
		}
	case directory.ZoneDepartement:
		if d, ok := z.Departement(zone.Code); ok {
			return d.Label()
		}
	case directory.ZoneRegion:
		if r, ok := z.Region(zone.Code); ok {
			return r.Name
		}
	}
	return zone.Key()
}
