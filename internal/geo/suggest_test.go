package geo_test

import (
	"testing"

	"github.com/repere-spie/repere/internal/app/apptest"
)

func TestSuggest(t *testing.T) {
	_, gaz := apptest.Geography(t)
	for _, c := range []struct {
		text, first string
		distance    int
	}{
		{"Chatelleraut", "86066", 1},
		{"chatellerault 86", "86066", 0},
		{"Poitier", "86194", 1},
		{"poitiers, 86000", "86194", 0},
		{"Chatelrault", "86066", 2},
		{"Loudn", "86137", 1},
	} {
		got := gaz.Suggest(c.text, 5)
		if len(got) == 0 || got[0].Commune.Code != c.first || got[0].Distance != c.distance {
			var codes []string
			for _, s := range got {
				codes = append(codes, s.Commune.Code+" "+s.Commune.Name)
			}
			t.Errorf("Suggest(%q) = %v, want %s first at distance %d", c.text, codes, c.first, c.distance)
		}
	}
	if got := gaz.Suggest("zzzzqqqqxxxx", 5); len(got) != 0 {
		t.Errorf("nonsense suggests %d communes", len(got))
	}
	if got := gaz.Suggest("Saint-Denis 93", 5); len(got) == 0 || got[0].Commune.Departement != "93" {
		t.Errorf("Saint-Denis 93: %v", got)
	}
}
