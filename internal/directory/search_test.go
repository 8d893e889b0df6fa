package directory

import (
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

func TestSearchQueryValidate(t *testing.T) {
	cases := []struct {
		name   string
		q      SearchQuery
		fields []string // fields with a message; none means valid
	}{
		{"zero value", SearchQuery{}, nil},
		{"everything valid", SearchQuery{
			Commune: &Commune{Code: "86066"}, Position: &orb.Point{0.55, 46.8}, RadiusKm: 20, Text: "garde d’enfants",
			Thematiques: []string{"famille", "mobilite--financer-ma-mobilite"}, Types: []string{"atelier"},
			Fees: []string{"gratuit"}, Publics: []string{"jeunes", "tous-publics"}, ReceptionModes: []string{"a-distance"},
			StructureID: "bz2e39g95z8ee62v", Sort: SortDate, Page: 3, Size: 100,
		}, nil},
		{"position without its commune", SearchQuery{Position: &orb.Point{0.5, 46}}, []string{"lat"}},
		{"radius not offered", SearchQuery{RadiusKm: 15}, []string{"rayon"}},
		{"text too long", SearchQuery{Text: strings.Repeat("é", MaxSearchText+1)}, []string{"q"}},
		{"text at the limit", SearchQuery{Text: strings.Repeat("é", MaxSearchText)}, nil},
		{"unknown thématique", SearchQuery{Thematiques: []string{"famille--inconnu"}}, []string{"thematiques"}},
		{"unknown values", SearchQuery{Types: []string{"x"}, Fees: []string{"cher"}, Publics: []string{"enfants"}, ReceptionModes: []string{"sur-place"}},
			[]string{"frais", "modes_accueil", "publics", "types"}},
		{"unknown sort", SearchQuery{Sort: "nom"}, []string{"sort"}},
		{"negative page", SearchQuery{Page: -1}, []string{"page"}},
		{"page too far", SearchQuery{Page: MaxSearchPage + 1}, []string{"page"}},
		{"size too large", SearchQuery{Size: MaxSearchSize + 1}, []string{"size"}},
		{"structure id too long", SearchQuery{StructureID: strings.Repeat("a", 65)}, []string{"structure"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.q.Validate()
			if c.fields == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			e, ok := err.(*Error)
			if !ok || e.Code != EINVALID {
				t.Fatalf("error %v, want EINVALID", err)
			}
			var got []string
			for field, msg := range e.Fields {
				got = append(got, field)
				if msg == "" || strings.Contains(msg, "%") {
					t.Errorf("%s: message %q", field, msg)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, c.fields) {
				t.Errorf("fields %v, want %v", got, c.fields)
			}
		})
	}
}

func TestSearchQueryNormalize(t *testing.T) {
	q := SearchQuery{}
	q.Normalize()
	if q.RadiusKm != DefaultRadiusKm || q.Sort != SortPertinence || q.Page != 1 || q.Size != DefaultSearchSize {
		t.Errorf("defaults: %+v", q)
	}
	q = SearchQuery{RadiusKm: 5, Sort: SortDate, Page: 4, Size: 7}
	q.Normalize()
	if q.RadiusKm != 5 || q.Sort != SortDate || q.Page != 4 || q.Size != 7 {
		t.Errorf("values kept: %+v", q)
	}
}
