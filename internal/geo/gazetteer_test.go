package geo

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/repere-spie/repere/internal/directory"
)

func codes(cs []*directory.Commune) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		if c != nil {
			out[i] = c.Code
		}
	}
	return out
}

func TestCommune(t *testing.T) {
	_, z := loadSnapshot(t)
	tests := []struct{ code, want string }{
		{"86066", "86066"},
		{"2A004", "2A004"},
		{"2a004", "2A004"},
		{"97411", "97411"},
		{"97501", "97501"},
		{"75056", "75056"},
		{"75101", "75056"},
		{"75115", "75056"},
		{"75120", "75056"},
		{"69381", "69123"},
		{"69389", "69123"},
		{"13201", "13055"},
		{"13216", "13055"},
		{"75121", ""},
		{"69390", ""},
		{"13217", ""},
		{"86", ""},
		{"", ""},
	}
	for _, tc := range tests {
		c, ok := z.Commune(tc.code)
		if got := ""; ok {
			got = c.Code
			if got != tc.want {
				t.Errorf("Commune(%q) = %s, want %q", tc.code, got, tc.want)
			}
		} else if tc.want != "" {
			t.Errorf("Commune(%q) not found, want %s", tc.code, tc.want)
		}
	}
}

func TestResolve(t *testing.T) {
	_, z := loadSnapshot(t)
	tests := []struct {
		text  string
		first string
		all   []string // when the whole answer is known
		min   int
	}{
		{text: "86066", all: []string{"86066"}},
		{text: "75115", all: []string{"75056"}},
		{text: " 69383 ", all: []string{"69123"}},
		{text: "86100", first: "86066", min: 2}, // Châtellerault's postal code, and another commune's INSEE code
		{text: "75015", all: []string{"75056"}},
		{text: "75116", all: []string{"75056"}},
		{text: "13008", first: "13055", min: 2}, // a postal code of Marseille, Aubagne's INSEE code
		{text: "Châtellerault", all: []string{"86066"}},
		{text: "CHATELLERAULT", all: []string{"86066"}},
		{text: "saint-etienne", first: "42218", min: 1},
		{text: "St Étienne", first: "42218", min: 1},
		{text: "Saint-Pierre", first: "97416", min: 5}, // Réunion's before the smaller ones, 97502 among them
		{text: "Archipel des Kerguelen", all: []string{"98412"}},
		{text: "Papeete", all: []string{"98735"}},
		{text: "chatell", all: []string{}},
		{text: "99999", all: []string{}},
		{text: "", all: []string{}},
	}
	for _, tc := range tests {
		got := z.Resolve(tc.text)
		gotCodes := codes(got)
		switch {
		case tc.all != nil && !slices.Equal(gotCodes, tc.all):
			t.Errorf("Resolve(%q) = %v, want %v", tc.text, gotCodes, tc.all)
		case tc.all == nil && (len(got) < tc.min || got[0].Code != tc.first):
			t.Errorf("Resolve(%q) = %v, want %s first and at least %d", tc.text, gotCodes, tc.first, tc.min)
		}
		if !slices.IsSortedFunc(got, byPopulation) {
			t.Errorf("Resolve(%q) = %v, not by population", tc.text, gotCodes)
		}
	}
	if cs := z.Resolve("Saint-Pierre"); !slices.Contains(codes(cs), "97502") {
		t.Errorf("Resolve(Saint-Pierre) = %v, misses 97502 (Saint-Pierre-et-Miquelon)", codes(cs))
	}
	if cs := z.Resolve("86100"); !slices.Contains(codes(cs), "86100") {
		t.Errorf("Resolve(86100) = %v, misses the commune with INSEE code 86100", codes(cs))
	}
}

// completeByScan is Complete written the slow, obvious way.
func completeByScan(g *directory.Geography, folded []string, prefix string, limit int) []string {
	q := searchText(prefix, false)
	type hit struct {
		c     *directory.Commune
		inner bool
	}
	var hits []hit
	for i := range g.Communes {
		c := &g.Communes[i]
		if q[0] >= '0' && q[0] <= '9' {
			if slices.ContainsFunc(c.PostalCodes, func(p string) bool { return strings.HasPrefix(p, q) }) {
				hits = append(hits, hit{c, false})
			}
			continue
		}
		name := folded[i]
		if strings.HasPrefix(name, q) {
			hits = append(hits, hit{c, false})
			continue
		}
		words := strings.Split(name, " ")
		for j := 1; j < len(words); j++ {
			if !minorWords[words[j]] && strings.HasPrefix(strings.Join(words[j:], " "), q) {
				hits = append(hits, hit{c, true})
				break
			}
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if ranksBefore(key{c: a.c, inner: a.inner}, key{c: b.c, inner: b.inner}) {
			return -1
		}
		return 1
	})
	var out []string
	for _, h := range hits[:min(limit, len(hits))] {
		out = append(out, h.c.Code)
	}
	return out
}

func TestCompleteMatchesScan(t *testing.T) {
	g, z := loadSnapshot(t)
	queries := []string{"s", "l", "sa", "st", "st ", "ste", "ste-", "saint", "saint e", "st etienne", "chatel", "86", "860",
		"8610", "97", "2", "la ro", "rochelle", "etienne", "mer", "oeuil", "l'hay", "haÿ", "kerg", "z", "y", "paris"}
	for i := 0; i < len(g.Communes); i += 997 {
		name := []rune(g.Communes[i].Name)
		queries = append(queries, string(name[:min(len(name), 1+i%10)]))
	}
	folded := make([]string, len(g.Communes))
	for i, c := range g.Communes {
		folded[i] = Fold(c.Name)
	}
	for _, q := range queries {
		for _, limit := range []int{1, 10, 100} {
			got, want := codes(z.Complete(q, limit)), completeByScan(g, folded, q, limit)
			if !slices.Equal(got, want) {
				t.Errorf("Complete(%q, %d) = %v, want %v", q, limit, got, want)
			}
		}
	}
}

func TestComplete(t *testing.T) {
	_, z := loadSnapshot(t)
	tests := []struct {
		prefix string
		want   string // among the first `within` answers
		within int
	}{
		{"st etienne", "42218", 1},
		{"saint-etienne", "42218", 1},
		{"SAINT ÉTIENNE", "42218", 1},
		{"Saint Étienne", "42218", 1},
		{"St-Étienne", "42218", 1},
		{"etienne", "42218", 1},
		{"saint-e", "42218", 1},
		{"chatel", "86066", 3},
		{"Châtell", "86066", 1},
		{"86", "86194", 1}, // Poitiers, the largest of the Vienne
		{"861", "86066", 1},
		{"860", "86194", 1},
		{"st", "67482", 1}, // Strasbourg: a lone "st" may be the start of a name
		{"pari", "75056", 1},
		{"750", "75056", 1},
		{"l'abergement-c", "01001", 1},
		{"abergement clem", "01001", 1},
		{"oeuilly", "02565", 3},
		{"Œuill", "51410", 3},
		{"miquelon", "97501", 1},
		{"kerguelen", "98412", 1},
		{"uvea", "98613", 1},
		{"ajacc", "2A004", 1},
	}
	for _, tc := range tests {
		got := codes(z.Complete(tc.prefix, 10))
		if i := slices.Index(got, tc.want); i < 0 || i >= tc.within {
			t.Errorf("Complete(%q) = %v, want %s among the first %d", tc.prefix, got, tc.want, tc.within)
		}
	}
	for _, q := range []string{"86", "860", "8610", "75"} {
		got := z.Complete(q, 100)
		if len(got) == 0 {
			t.Errorf("Complete(%q) is empty", q)
		}
		for _, c := range got {
			if !slices.ContainsFunc(c.PostalCodes, func(p string) bool { return strings.HasPrefix(p, q) }) {
				t.Errorf("Complete(%q) gives %s with postal codes %v", q, c.Code, c.PostalCodes)
			}
		}
		if q == "75" && len(got) != 1 {
			t.Errorf("Complete(75) = %v, want Paris once", codes(got))
		}
	}
	for _, q := range []string{"", " ", "-", "xqzw", "99999"} {
		if got := z.Complete(q, 10); len(got) != 0 {
			t.Errorf("Complete(%q) = %v, want nothing", q, codes(got))
		}
	}
	if got := z.Complete("saint", 0); got != nil {
		t.Errorf("Complete(saint, 0) = %v", codes(got))
	}
	if got := z.Complete("s", 1000); len(got) != maxComplete {
		t.Errorf("Complete(s, 1000) gives %d communes, want %d", len(got), maxComplete)
	}
}

func TestAt(t *testing.T) {
	g, z := loadSnapshot(t)
	for _, code := range []string{"86066", "86194", "75056", "69123", "13055", "31555", "06088", "2A004", "97411",
		"29019", "67482", "42218", "97209", "33063", "59350", "01001"} {
		c, ok := z.Commune(code)
		if !ok || c.Center == nil {
			t.Fatalf("%s: no commune or no centre", code)
		}
		if got, ok := z.At(*c.Center); !ok || got.Code != code {
			t.Errorf("At(centre of %s) = %v, %v", code, codes([]*directory.Commune{got}), ok)
		}
	}
	tests := []struct {
		name string
		p    orb.Point
		want string
	}{
		{"Paris 15e, rue de Vaugirard", orb.Point{2.2986, 48.8417}, "75056"},
		{"Lyon 3e", orb.Point{4.8570, 45.7597}, "69123"},
		{"Châtellerault, gare", orb.Point{0.5455, 46.8175}, "86066"},
		{"Atlantic ocean", orb.Point{-10, 45}, ""},
		{"Berlin", orb.Point{13.4, 52.52}, ""},
		{"NaN", orb.Point{math.NaN(), math.NaN()}, ""},
	}
	for _, tc := range tests {
		c, ok := z.At(tc.p)
		if got := ""; ok {
			got = c.Code
			if got != tc.want {
				t.Errorf("%s: At(%v) = %s, want %q", tc.name, tc.p, got, tc.want)
			}
		} else if tc.want != "" {
			t.Errorf("%s: At(%v) found nothing, want %s", tc.name, tc.p, tc.want)
		}
	}
	// The grid loses no candidate: a scan of every contour agrees.
	bounds := make([]orb.Bound, len(g.Communes))
	for j, c := range g.Communes {
		if c.Contour != nil {
			bounds[j] = c.Contour.Bound()
		}
	}
	for i := 0; i < len(g.Communes); i += 7 {
		p := g.Communes[i].Center
		if p == nil {
			continue
		}
		var want []string
		for j := range g.Communes {
			if c := &g.Communes[j]; c.Contour != nil && bounds[j].Contains(*p) && contains(c.Contour, *p) {
				want = append(want, c.Code)
			}
		}
		c, ok := z.At(*p)
		if ok != (len(want) > 0) || ok && !slices.Contains(want, c.Code) {
			t.Errorf("At(centre of %s) = %v, want one of %v", g.Communes[i].Code, codes([]*directory.Commune{c}), want)
		}
	}
}

func contains(g orb.Geometry, p orb.Point) bool {
	if mp, ok := g.(orb.MultiPolygon); ok {
		return planar.MultiPolygonContains(mp, p)
	}
	return planar.PolygonContains(g.(orb.Polygon), p)
}

func TestDepartements(t *testing.T) {
	_, z := loadSnapshot(t)
	deps := z.Departements()
	var got []string
	for _, d := range deps {
		got = append(got, d.Code)
	}
	if len(got) != 109 || got[0] != "01" || got[len(got)-1] != "989" {
		t.Fatalf("Departements() = %v", got)
	}
	if i := slices.Index(got, "2A"); i < 0 || got[i-1] != "19" || got[i+1] != "2B" || got[i+2] != "21" {
		t.Errorf("Corsica out of place: %v", got)
	}
	if i := slices.Index(got, "971"); i < 0 || got[i-1] != "95" {
		t.Errorf("overseas out of place: %v", got)
	}
	deps[0] = nil
	if z.Departements()[0] == nil {
		t.Error("Departements() shares its slice with the gazetteer")
	}
}

func TestCommunesOf(t *testing.T) {
	g, z := loadSnapshot(t)
	for _, dep := range []string{"86", "2A", "75", "975", "984", "00"} {
		want := 0
		for _, c := range g.Communes {
			if c.Departement == dep {
				want++
			}
		}
		got := z.CommunesOf(dep)
		if len(got) != want {
			t.Errorf("CommunesOf(%s) has %d communes, want %d", dep, len(got), want)
		}
		for i := 1; i < len(got); i++ {
			if Fold(got[i-1].Name) > Fold(got[i].Name) {
				t.Errorf("CommunesOf(%s): %q before %q", dep, got[i-1].Name, got[i].Name)
			}
		}
	}
	got := z.CommunesOf("86")
	if i := slices.IndexFunc(got, func(c *directory.Commune) bool { return c.Name == "Châtellerault" }); i < 0 ||
		!strings.HasPrefix(got[i-1].Name, "Chât") && !strings.HasPrefix(got[i-1].Name, "Chat") {
		t.Errorf("Châtellerault misplaced in CommunesOf(86): %v", codes(got))
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, fold, slug string }{
		{"Saint-Étienne", "saint etienne", "saint-etienne"},
		{"SAINT ÉTIENNE", "saint etienne", "saint-etienne"},
		{"L'Haÿ-les-Roses", "l hay les roses", "l-hay-les-roses"},
		{"L’Abergement-Clémenciat", "l abergement clemenciat", "l-abergement-clemenciat"},
		{"Œuilly", "oeuilly", "oeuilly"},
		{"Cœuvres-et-Valsery", "coeuvres et valsery", "coeuvres-et-valsery"},
		{"Bors (Canton de Charente-Sud)", "bors canton de charente sud", "bors-canton-de-charente-sud"},
		{"  --Île--de  Bréhat!  ", "ile de brehat", "ile-de-brehat"},
		{"Ça", "ca", "ca"},
		{"86100", "86100", "86100"},
		{"", "", ""},
		{"-'", "", ""},
	}
	for _, tc := range tests {
		if got := Fold(tc.in); got != tc.fold {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.fold)
		}
		if got := Slug(tc.in); got != tc.slug {
			t.Errorf("Slug(%q) = %q, want %q", tc.in, got, tc.slug)
		}
	}
}

// TestLocate: where no contour holds a position, the nearest commune within
// directory.NearbyKm is taken; farther, none.
func TestLocate(t *testing.T) {
	_, z := loadSnapshot(t)
	tests := []struct {
		name    string
		p       orb.Point
		outside bool // no contour holds p: the fallback is what is tested
		want    string
	}{
		{"Châtellerault, gare", orb.Point{0.5455, 46.8175}, false, "86066"},
		{"Mont-Saint-Michel abbey", orb.Point{-1.5115, 48.6361}, true, "50353"},
		{"Saint-Pierre, without contour", orb.Point{-56.1800, 46.7789}, true, "97502"},
		{"Papeete, without contour", orb.Point{-149.5680, -17.5390}, true, "98735"},
		{"Nouméa, without contour", orb.Point{166.4500, -22.2700}, true, "98818"},
		{"8 km off Biarritz", orb.Point{-1.66, 43.50}, true, ""},
		{"Atlantic ocean", orb.Point{-10, 45}, true, ""},
	}
	for _, tc := range tests {
		if _, in := z.At(tc.p); in == tc.outside {
			t.Errorf("%s: At found a contour: %v, want %v", tc.name, in, !tc.outside)
		}
		c, ok := z.Locate(tc.p)
		got := ""
		if ok {
			got = c.Code
		}
		if got != tc.want {
			t.Errorf("%s: Locate(%v) = %q, want %q", tc.name, tc.p, got, tc.want)
		}
	}
}

func TestResolveLabel(t *testing.T) {
	_, z := loadSnapshot(t)
	for text, want := range map[string]string{
		"Saint-Denis (93)":    "93066",
		"Saint-Denis (97411)": "97411",
		"Poitiers (86000)":    "86194",
		"Poitiers":            "86194",
	} {
		if got := codes(z.Resolve(text)); len(got) != 1 || got[0] != want {
			t.Errorf("Resolve(%q) = %v, want %s", text, got, want)
		}
	}
	if got := z.PostalCode("86100"); len(got) < 2 || got[0].Code != "86066" {
		t.Errorf("PostalCode(86100) = %v", codes(got))
	}
}
