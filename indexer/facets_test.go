package indexer

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// randomCorpus makes n services around the Vienne with random values of every
// vocabulary, zones of every kind and every publication state.
func randomCorpus(t *testing.T, n int) *builder {
	gaz, g := gazetteer(t)
	var near []string
	for _, c := range g.Communes {
		if c.Center != nil && (c.Departement == "86" || c.Departement == "37" || c.Departement == "79") {
			near = append(near, c.Code)
		}
	}
	near = append(near, marseille, bordeaux)
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(v *directory.Vocabulary, max int) []string {
		terms := v.Terms()
		var out []string
		for range r.IntN(max + 1) {
			out = appendNew(out, terms[r.IntN(len(terms))].Value)
		}
		return out
	}
	words := []string{"Atelier", "Permanence", "Accompagnement", "Aide", "Point d’accueil"}
	topics := []string{"emploi", "logement", "mobilité", "numérique", "santé", "garde d’enfants"}
	b := newBuilder(t)
	for i := range n {
		code := near[r.IntN(len(near))]
		c, _ := gaz.Commune(code)
		var opts []opt
		if r.Float64() < 0.85 {
			opts = append(opts, b.at(code))
		}
		if len(opts) == 0 || r.Float64() < 0.2 {
			opts = append(opts, remote)
		}
		var z directory.Zone
		switch r.IntN(5) {
		case 0:
			z = zone(directory.ZoneCommune, c.Code)
		case 1:
			z = zone(directory.ZoneEPCI, c.EPCI)
		case 2:
			z = zone(directory.ZoneDepartement, c.Departement)
		case 3:
			z = zone(directory.ZoneRegion, c.Region)
		default:
			z = directory.France
		}
		opts = append(opts, zones(z),
			name(words[r.IntN(len(words))]+" "+topics[r.IntN(len(topics))]),
			description("Pour les habitants : "+topics[r.IntN(len(topics))]+"."),
			themes(append(pick(directory.Thematiques, 2), directory.Thematiques.Terms()[r.IntN(69)].Value)...),
			publics(pick(directory.Publics, 2)...),
			updated(testNow.Add(-time.Duration(r.IntN(400*24))*time.Hour)),
			func(s *directory.Service) {
				s.Type = directory.ServiceTypes.Terms()[r.IntN(6)].Value
				s.Fees = directory.Fees.Terms()[r.IntN(2)].Value
			})
		switch x := r.Float64(); {
		case x < 0.05:
			opts = append(opts, status(directory.StatusDraft))
		case x < 0.10:
			opts = append(opts, status(directory.StatusArchived))
		case x < 0.15:
			opts = append(opts, suspended(testNow.Add(time.Duration(r.IntN(100)-50)*24*time.Hour)))
		}
		b.add(fmt.Sprintf("st%d", r.IntN(20)), fmt.Sprintf("svc%04d", i), opts...)
	}
	return b
}

// oracle computes what q should return, straight from the services.
func oracle(t *testing.T, services []*directory.Service, q directory.SearchQuery) []string {
	var zoneKeys []string
	var center []float64
	radius := float64(q.RadiusKm) * 1000
	if radius == 0 {
		radius = directory.DefaultRadiusKm * 1000
	}
	if c := q.Commune; c != nil {
		zoneKeys = []string{"commune:" + c.Code, "epci:" + c.EPCI, "departement:" + c.Departement, "region:" + c.Region, "france"}
		center = []float64{c.Center[0], c.Center[1]}
		if pos := q.Position; pos != nil {
			center = []float64{pos[0], pos[1]}
		}
	}
	anyOf := func(filter, values []string, match func(string) bool) bool {
		if len(filter) == 0 {
			return true
		}
		for _, v := range values {
			if match(v) {
				return true
			}
		}
		return false
	}
	in := func(filter []string) func(string) bool {
		return func(v string) bool { return slices.Contains(filter, v) }
	}
	var out []string
	for _, s := range services {
		if !s.Visible(testNow) || q.StructureID != "" && s.StructureID != q.StructureID {
			continue
		}
		if q.UpdatedSince != nil && s.UpdatedAt.Before(*q.UpdatedSince) {
			continue
		}
		modes := s.ReceptionModes
		if zoneKeys != nil {
			covered := slices.ContainsFunc(s.EligibilityZone, func(z directory.Zone) bool { return slices.Contains(zoneKeys, z.Key()) })
			near := s.OnSite() && geo.Distance(orb.Point{center[0], center[1]}, orb.Point{*s.Longitude, *s.Latitude}) <= radius
			if !covered || !(near || s.Remote()) {
				continue
			}
			if !near {
				// Around a place, on site counts within the radius only.
				modes = slices.DeleteFunc(slices.Clone(modes), func(m string) bool { return m == "en-presentiel" })
			}
		}
		themesOK := anyOf(q.Thematiques, s.Thematiques, func(v string) bool {
			return slices.Contains(q.Thematiques, v) || slices.Contains(q.Thematiques, directory.CategoryOf(v))
		})
		universal := len(s.Publics) == 0 || slices.Contains(s.Publics, "tous-publics")
		publicsOK := len(q.Publics) == 0 || universal || anyOf(q.Publics, s.Publics, in(q.Publics))
		if themesOK && publicsOK && anyOf(q.Types, []string{s.Type}, in(q.Types)) && anyOf(q.Fees, []string{s.Fees}, in(q.Fees)) &&
			anyOf(q.ReceptionModes, modes, in(q.ReceptionModes)) {
			out = append(out, s.ID)
		}
	}
	return out
}

func TestFiltersAndFacets(t *testing.T) {
	b := randomCorpus(t, 600)
	ix := b.build()
	cases := []struct {
		q      directory.SearchQuery
		oracle bool // false for text, which the oracle does not analyse
	}{
		{directory.SearchQuery{}, true},
		{directory.SearchQuery{Commune: commune(chatellerault)}, true},
		{directory.SearchQuery{Commune: commune(chatellerault), Thematiques: []string{"famille", "sante--acces-aux-soins"}, Publics: []string{"jeunes"}}, true},
		{directory.SearchQuery{Commune: commune(poitiers), RadiusKm: 20, Types: []string{"atelier", "formation"}, Fees: []string{"gratuit"}, ReceptionModes: []string{"en-presentiel"}}, true},
		{directory.SearchQuery{Commune: locate(47.39, 0.69), Position: &orb.Point{0.69, 47.39}, RadiusKm: 10, Thematiques: []string{"mobilite", "logement-hebergement--louer-un-logement"}}, true},
		{directory.SearchQuery{UpdatedSince: ptr(testNow.Add(-100 * 24 * time.Hour)), Publics: []string{"tous-publics"}, ReceptionModes: []string{"a-distance"}}, true},
		{directory.SearchQuery{StructureID: "st3", Fees: []string{"payant"}}, true},
		{directory.SearchQuery{Text: "emploi", Commune: commune(chatellerault), Fees: []string{"gratuit"}}, false},
		{directory.SearchQuery{Text: "aide logement", Thematiques: []string{"logement-hebergement"}, Publics: []string{"seniors", "femmes"}}, false},
	}
	for i, c := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			q := c.q
			q.Now = testNow
			got := ids(t, ix, q)
			if c.oracle {
				if want := oracle(t, b.services, q); !slices.Equal(sorted(got), sorted(want)) {
					t.Fatalf("%d results, want %d:\n got %v\nwant %v", len(got), len(want), sorted(got), sorted(want))
				}
			}
			if len(got) == 0 {
				t.Fatalf("no result: a weak case")
			}
			res, err := ix.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			// Every value of every facet, listed or not: its count is the
			// total of the search with its family's filter set to it.
			vocabularies := map[string]*directory.Vocabulary{
				directory.FacetCategories: directory.ThematiqueCategories, directory.FacetThematiques: directory.Thematiques,
				directory.FacetTypes: directory.ServiceTypes, directory.FacetFees: directory.Fees,
				directory.FacetPublics: directory.Publics, directory.FacetReceptionModes: directory.ReceptionModes,
			}
			if len(res.Facets) != len(vocabularies) {
				t.Errorf("facets %v", slices.Collect(maps.Keys(res.Facets)))
			}
			nonZero := 0
			for facet, vocabulary := range vocabularies {
				counts := map[string]int{}
				for _, v := range res.Facets[facet] {
					counts[v.Value] = v.Count
					if v.Label != vocabulary.Label(v.Value) {
						t.Errorf("facet %s=%s: label %q", facet, v.Value, v.Label)
					}
				}
				for _, term := range vocabulary.Terms() {
					one := q
					switch facet {
					case directory.FacetCategories, directory.FacetThematiques:
						one.Thematiques = []string{term.Value}
					case directory.FacetTypes:
						one.Types = []string{term.Value}
					case directory.FacetFees:
						one.Fees = []string{term.Value}
					case directory.FacetPublics:
						one.Publics = []string{term.Value}
					case directory.FacetReceptionModes:
						one.ReceptionModes = []string{term.Value}
					}
					r, err := ix.Search(context.Background(), one)
					if err != nil {
						t.Fatal(err)
					}
					if r.Total != counts[term.Value] {
						t.Errorf("facet %s=%s counts %d, the filtered search gives %d", facet, term.Value, counts[term.Value], r.Total)
					}
					if r.Total > 0 {
						nonZero++
					}
				}
			}
			if nonZero < 20 {
				t.Errorf("only %d facet values with results: a weak case", nonZero)
			}
		})
	}
}

func TestPagination(t *testing.T) {
	ix := randomCorpus(t, 300).build()
	for _, sort := range []string{directory.SortPertinence, directory.SortDistance, directory.SortDate} {
		for _, text := range []string{"", "habitants"} {
			q := directory.SearchQuery{Commune: commune(chatellerault), Sort: sort, Text: text, Now: testNow}
			all := ids(t, ix, q) // pages of 100
			var paged []string
			q.Size = 7
			for q.Page = 1; ; q.Page++ {
				res, err := ix.Search(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != len(all) || res.Page != q.Page || res.Size != 7 {
					t.Fatalf("%s %q page %d: total %d page %d size %d", sort, text, q.Page, res.Total, res.Page, res.Size)
				}
				for _, h := range res.Hits {
					paged = append(paged, h.ID)
				}
				if len(res.Hits) < 7 {
					break
				}
			}
			if len(all) < 30 || !slices.Equal(all, paged) {
				t.Errorf("%s %q: pages of 7 give %v, pages of 100 %v", sort, text, paged, all)
			}
		}
	}
}
