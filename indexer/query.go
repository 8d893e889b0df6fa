package indexer

import (
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
)

// selection builds the bleve query choosing the documents a search considers:
// live services, in the place, of the structure, matching the text. The
// facet filters (thématiques, types, …) are applied afterwards on the keys,
// because each facet must be counted without its own filter.
func (ix *Index) selection(q *directory.SearchQuery, pl *place, text query.Query) query.Query {
	var where bitsQuery
	if q.StructureID != "" {
		where = append(where, []string{structureTerm(q.StructureID)})
	}
	if pl != nil {
		where = append(where, pl.unions()...)
	}
	// Only live services have text, zones or a structure (see
	// analyzers.document): the live term is needed only without them.
	switch {
	case where == nil && text == nil:
		return termQuery(fieldFilter, termLive)
	case where == nil:
		return text
	case text == nil:
		return where
	}
	return query.NewConjunctionQuery([]query.Query{where, text})
}

// place is where a search looks: the commune whose zones must cover a
// service, and the centre distances are measured from.
type place struct {
	commune *directory.Commune
	center  *orb.Point // nil for the few communes without a centre
	radius  float64    // metres
}

// zones returns the zone keys that cover the commune.
func (p *place) zones() []string {
	c := p.commune
	keys := []string{
		directory.Zone{Kind: directory.ZoneCommune, Code: c.Code}.Key(),
		directory.Zone{Kind: directory.ZoneDepartement, Code: c.Departement}.Key(),
		directory.Zone{Kind: directory.ZoneRegion, Code: c.Region}.Key(),
		directory.France.Key(),
	}
	if c.EPCI != "" {
		keys = append(keys, directory.Zone{Kind: directory.ZoneEPCI, Code: c.EPCI}.Key())
	}
	return keys
}

// unions select the services whose zone covers the commune and that are
// either offered at a distance or received in a cell near the centre; the
// search then drops those beyond the radius.
func (p *place) unions() bitsQuery {
	zones, cells := p.terms()
	return bitsQuery{zones, append([]string{termRemote}, cells...)}
}

// terms returns the filter terms of the zones that cover the commune and of
// the cells near the centre.
func (p *place) terms() (zones, cells []string) {
	for _, k := range p.zones() {
		zones = append(zones, zoneTerm(k))
	}
	if p.center != nil {
		cells = coverTerms(*p.center, p.radius)
	}
	return zones, cells
}

func termQuery(field, term string) *query.TermQuery {
	t := query.NewTermQuery(term)
	t.SetField(field)
	return t
}
