package directory_test

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/directory"
)

func TestNarrowThematiques(t *testing.T) {
	for _, c := range []struct{ in, want []string }{
		{[]string{"mobilite"}, []string{"mobilite"}},
		{[]string{"mobilite", "mobilite--preparer-un-permis"}, []string{"mobilite--preparer-un-permis"}},
		{[]string{"mobilite", "sante--addictions"}, []string{"mobilite", "sante--addictions"}},
	} {
		if got := directory.NarrowThematiques(c.in); !slices.Equal(got, c.want) {
			t.Errorf("NarrowThematiques(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}

// TestParseSearchPlaces: one place at most, code_commune strictly INSEE,
// code_postal resolved or listing its communes, a position resolved to its
// commune or the nearest one within a few kilometres.
func TestParseSearchPlaces(t *testing.T) {
	_, gaz := apptest.Geography(t)
	type want struct {
		commune  string   // INSEE code of the commune resolved; "" for none
		position bool     // distances from the position
		fields   []string // parameters named by the error
		choices  []string // communes of an ambiguous postal code
	}
	cases := []struct {
		name, query string
		want
	}{
		{"no place", "q=vélo", want{}},
		{"INSEE code", "code_commune=86066", want{commune: "86066"}},
		{"Corsica, lower case", "code_commune=2a004", want{commune: "2A004"}},
		{"arrondissement", "code_commune=75101", want{commune: "75056"}},
		{"arrondissement of Marseille", "code_commune=13208", want{commune: "13055"}},
		{"a postal code is not an INSEE code", "code_commune=75001", want{fields: []string{"code_commune"}}},
		{"malformed code", "code_commune=8606", want{fields: []string{"code_commune"}}},
		{"postal code of one commune", "code_postal=86000", want{commune: "86194"}},
		{"postal code of several communes", "code_postal=86100", want{fields: []string{"code_postal"}, choices: []string{"86066"}}},
		{"unknown postal code", "code_postal=00000", want{fields: []string{"code_postal"}}},
		{"position", "lat=46.8170&lon=0.5460", want{commune: "86066", position: true}},
		{"position with a decimal comma", "lat=46,8170&lon=0,5460", want{commune: "86066", position: true}},
		{"Mont-Saint-Michel abbey, outside the simplified contour", "lat=48.6361&lon=-1.5115", want{commune: "50353", position: true}},
		{"Saint-Pierre, without contour", "lat=46.7789&lon=-56.1800", want{commune: "97502", position: true}},
		{"Papeete, without contour", "lat=-17.5390&lon=-149.5680", want{commune: "98735", position: true}},
		{"open sea", "lat=46.0&lon=-4.0", want{fields: []string{"lat"}}},
		{"latitude alone", "lat=46.8", want{fields: []string{"lon"}}},
		{"latitude out of range", "lat=91&lon=0", want{fields: []string{"lat"}}},
		{"commune and position contradict", "code_commune=86066&lat=48.853&lon=2.3499", want{fields: []string{"code_commune", "lat", "lon"}}},
		{"commune and postal code contradict", "code_commune=86066&code_postal=75001", want{fields: []string{"code_commune", "code_postal"}}},
		{"empty values are no place", "code_commune=&lat=&lon=&code_postal=", want{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := url.ParseQuery(c.query)
			if err != nil {
				t.Fatal(err)
			}
			q, err := directory.ParseSearch(v, directory.APISearch, gaz)
			var pc *directory.PlaceChoiceError
			if errors.As(err, &pc) {
				var codes []string
				for _, cm := range pc.Communes {
					codes = append(codes, cm.Code)
				}
				for _, want := range c.choices {
					if !slices.Contains(codes, want) {
						t.Errorf("choices %v miss %s", codes, want)
					}
				}
				if len(codes) < 2 || !strings.Contains(directory.ErrorMessage(err), "Châtellerault (86066)") && c.choices[0] == "86066" {
					t.Errorf("choice error %q for %v", directory.ErrorMessage(err), codes)
				}
			} else if c.choices != nil {
				t.Fatalf("error %v, want a choice", err)
			}
			got := fieldsOf(t, err)
			if !slices.Equal(got, c.fields) {
				t.Fatalf("fields %v (%v), want %v", got, err, c.fields)
			}
			if err != nil {
				return
			}
			code := ""
			if q.Commune != nil {
				code = q.Commune.Code
			}
			if code != c.commune || (q.Position != nil) != c.position {
				t.Errorf("commune %q position %v, want %q position %v", code, q.Position, c.commune, c.position)
			}
		})
	}
}

// TestParseSearchSyntaxes: the API refuses unknown and repeated parameters,
// pages and feeds ignore them; each reads only its own parameters; the
// category+besoin rule applies to all.
func TestParseSearchSyntaxes(t *testing.T) {
	_, gaz := apptest.Geography(t)
	parse := func(syntax *directory.SearchSyntax, query string) (directory.SearchQuery, []string) {
		t.Helper()
		v, _ := url.ParseQuery(query)
		q, err := directory.ParseSearch(v, syntax, gaz)
		return q, fieldsOf(t, err)
	}
	if _, f := parse(directory.APISearch, "code_comune=86066&q=a&q=b"); !slices.Equal(f, []string{"code_comune", "q"}) {
		t.Errorf("API: fields %v, want the unknown and the repeated parameter", f)
	}
	if q, f := parse(directory.PageSearch, "utm_source=x&q=a&q=b&size=7"); f != nil || q.Text != "a" || q.Size != 0 {
		t.Errorf("page: %v %+v", f, q)
	}
	if q, f := parse(directory.FeedSearch, "sort=date&page=3&code_commune=86066"); f != nil || q.Sort != "" || q.Page != 0 || q.Commune == nil {
		t.Errorf("feed: %v %+v", f, q)
	}
	for _, s := range []*directory.SearchSyntax{directory.APISearch, directory.PageSearch, directory.FeedSearch} {
		q, f := parse(s, "thematiques=mobilite,mobilite--preparer-un-permis&thematiques=sante")
		if f != nil || !slices.Equal(q.Thematiques, []string{"mobilite--preparer-un-permis", "sante"}) {
			t.Errorf("category+besoin: %v %v", f, q.Thematiques)
		}
	}
	if _, f := parse(directory.APISearch, "rayon=15&types=x&maj_depuis=hier&page=0"); !slices.Equal(f, []string{"maj_depuis", "page", "rayon", "types"}) {
		t.Errorf("values: fields %v", f)
	}
	// Values is read back into the same query.
	q, _ := parse(directory.APISearch, "lat=46.817&lon=0.546&rayon=20&q=vélo&thematiques=mobilite&frais=gratuit&structure=s1&maj_depuis=2026-01-02&sort=date&page=2&size=5")
	var v url.Values = url.Values{}
	for _, kv := range q.Values(directory.APISearch) {
		v.Add(kv[0], kv[1])
	}
	again, f := parse(directory.APISearch, v.Encode())
	if f != nil || again.Commune != q.Commune || *again.Position != *q.Position || again.RadiusKm != 20 || again.Text != "vélo" ||
		again.StructureID != "s1" || !again.UpdatedSince.Equal(*q.UpdatedSince) || again.Sort != "date" || again.Page != 2 || again.Size != 5 {
		t.Errorf("round trip %s: %+v", v.Encode(), again)
	}
}

// fieldsOf lists the parameters an EINVALID error names, sorted; nil for
// no error.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var de *directory.Error
	if err != nil && !errors.As(err, &de) {
		t.Fatal(err)
	}
	var out []string
	if de != nil {
		for k := range de.Fields {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
