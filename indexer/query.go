package indexer

import (
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
)

// selection builds the bleve query choosing the documents a search considers:
// live services, in the place, of the structure, matching the text. The
// facet filters (thématiques, types, …) are applied afterwards on doc
// values, because each facet must be counted without its own filter.
func (ix *Index) selection(q *directory.SearchQuery, pl *place, text query.Query) query.Query {
	var must []query.Query
	if q.StructureID != "" {
		must = append(must, termQuery(fieldFilter, structureTerm(q.StructureID)))
	}
	if pl != nil {
		must = append(must, pl.query())
	}
	if text != nil {
		must = append(must, text)
	}
	switch len(must) {
	case 0:
		return termQuery(fieldFilter, termLive)
	case 1:
		// Only live services have text, zones or a structure (see
		// analyzers.document): the live term would only cost a
		// conjunction.
		return must[0]
	}
	return query.NewConjunctionQuery(must)
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

// query selects the services whose zone covers the commune and that are
// either offered at a distance or received in a cell near the centre; the
// search then drops those beyond the radius.
func (p *place) query() query.Query {
	var zones []query.Query
	for _, k := range p.zones() {
		zones = append(zones, termQuery(fieldFilter, zoneTerm(k)))
	}
	reach := query.Query(termQuery(fieldFilter, termRemote))
	if p.center != nil {
		either := []query.Query{reach}
		for _, c := range coverTerms(*p.center, p.radius) {
			either = append(either, termQuery(fieldFilter, c))
		}
		reach = query.NewDisjunctionQuery(either)
	}
	return query.NewConjunctionQuery([]query.Query{query.NewDisjunctionQuery(zones), reach})
}

func termQuery(field, term string) *query.TermQuery {
	t := query.NewTermQuery(term)
	t.SetField(field)
	return t
}
