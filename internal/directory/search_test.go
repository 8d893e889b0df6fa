package directory

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestSearchQueryValidate(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	cases := []struct {
		name   string
		q      SearchQuery
		fields []string // fields with a message; none means valid
	}{
		{"zero value", SearchQuery{}, nil},
		{"everything valid", SearchQuery{
			CommuneCode: "86066", Lat: f(46.8), Lon: f(0.55), RadiusKm: 20, Text: "garde d’enfants",
			Thematiques: []string{"famille", "mobilite--financer-ma-mobilite"}, Types: []string{"atelier"},
			Fees: []string{"gratuit"}, Publics: []string{"jeunes", "tous-publics"}, ReceptionModes: []string{"a-distance"},
			StructureID: "bz2e39g95z8ee62v", Sort: SortDate, Page: 3, Size: 100,
		}, nil},
		{"Corsica", SearchQuery{CommuneCode: "2A004"}, nil},
		{"commune code too short", SearchQuery{CommuneCode: "8606"}, []string{"code_commune"}},
		{"commune code with a space", SearchQuery{CommuneCode: "86 66"}, []string{"code_commune"}},
		{"latitude alone", SearchQuery{Lat: f(46)}, []string{"lon"}},
		{"longitude alone", SearchQuery{Lon: f(0.5)}, []string{"lat"}},
		{"latitude out of range", SearchQuery{Lat: f(91), Lon: f(0)}, []string{"lat"}},
		{"longitude NaN", SearchQuery{Lat: f(45), Lon: f(math.NaN())}, []string{"lon"}},
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
	lat, lon := 46.8, 0.55
	if _, ok := (&SearchQuery{Lat: &lat}).Position(); ok {
		t.Error("a latitude alone is a position")
	}
	if p, ok := (&SearchQuery{Lat: &lat, Lon: &lon}).Position(); !ok || p[0] != lon || p[1] != lat {
		t.Errorf("position %v %v", p, ok)
	}
}
