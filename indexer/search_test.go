package indexer

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/repere-spie/repere/internal/directory"
)

// semanticIndex holds the services of the semantic cases, one structure per
// group so that each case looks at its group only.
func semanticIndex(t *testing.T) *Index {
	b := newBuilder(t)
	dep, reg := directory.ZoneDepartement, directory.ZoneRegion

	// Zones and reach.
	b.add("zones", "dep86-poitiers", zones(zone(dep, "86")), b.at(poitiers))
	b.add("zones", "dep86-remote", zones(zone(dep, "86")), remote)
	b.add("zones", "commune-chatellerault", zones(zone(directory.ZoneCommune, chatellerault)), b.at(chatellerault))
	b.add("zones", "epci-chatellerault", zones(zone(directory.ZoneEPCI, epciChatel)), b.at(chatellerault))
	b.add("zones", "region75-remote", zones(zone(reg, "75")), remote)
	b.add("zones", "france-marseille", b.at(marseille))
	b.add("zones", "france-remote", remote)
	b.add("zones", "france-remote-marseille", remote, b.at(marseille))
	b.add("zones", "france-dissay", b.at(dissay))
	b.add("zones", "france-tours", b.at(tours))

	// Publication.
	b.add("status", "published", b.at(chatellerault))
	b.add("status", "draft", b.at(chatellerault), status(directory.StatusDraft))
	b.add("status", "archived", b.at(chatellerault), status(directory.StatusArchived))
	b.add("status", "suspended", b.at(chatellerault), suspended(testNow.Add(24*time.Hour)))
	b.add("status", "suspension-over", b.at(chatellerault), suspended(testNow.Add(-time.Hour)))

	// Publics.
	b.add("publics", "pub-none", b.at(chatellerault), publics())
	b.add("publics", "pub-all", b.at(chatellerault), publics("tous-publics"))
	b.add("publics", "pub-jeunes", b.at(chatellerault), publics("jeunes", "etudiants"))
	b.add("publics", "pub-seniors", b.at(chatellerault), publics("seniors"))

	// Thématiques.
	b.add("themes", "garde", themes("famille--garde-denfants"))
	b.add("themes", "aidants", themes("famille--soutien-aidants", "sante--acces-aux-soins"))
	b.add("themes", "vehicule", themes("mobilite--acceder-a-un-vehicule"))

	// Text.
	b.structures["text"] = &directory.Structure{ID: "text", Name: "Entraide du Poitou"}
	b.add("text", "creche", name("Crèche Les Lutins"), description("Accueil des tout-petits de 3 mois à 3 ans."))
	b.add("text", "periscolaire", name("Garde périscolaire"), description("Le mercredi et après la classe."))
	b.add("text", "logement", name("Aide au logement"), description("Trouver où se loger."))
	b.add("text", "name-numerique", name("Atelier numérique"), description("Apprendre à se servir d’un ordinateur."))
	b.add("text", "desc-numerique", name("Permanence du mercredi"), description("Accueil, écoute et aussi un peu de numérique."))
	b.add("text", "label-only", name("Permanence du lundi"), description("Sur rendez-vous."), themes("mobilite--financer-ma-mobilite"))
	return b.build()
}

func TestSemantics(t *testing.T) {
	ix := semanticIndex(t)
	q := func(structure string, f func(*directory.SearchQuery)) directory.SearchQuery {
		q := directory.SearchQuery{StructureID: structure}
		if f != nil {
			f(&q)
		}
		return q
	}
	from := func(code string) func(*directory.SearchQuery) {
		return func(q *directory.SearchQuery) { q.Commune = commune(code) }
	}
	cases := []struct {
		name  string
		query directory.SearchQuery
		want  []string
	}{
		{"département-wide found from Châtellerault, remote or within the radius", q("zones", from(chatellerault)),
			[]string{"dep86-poitiers", "dep86-remote", "commune-chatellerault", "epci-chatellerault", "region75-remote", "france-remote", "france-remote-marseille", "france-dissay"}},
		{"nothing of the Vienne from Tours", q("zones", from(tours)),
			[]string{"france-remote", "france-remote-marseille", "france-tours"}},
		{"commune zone only there, EPCI zone in the EPCI", q("zones", from(naintre)),
			[]string{"dep86-poitiers", "dep86-remote", "epci-chatellerault", "region75-remote", "france-remote", "france-remote-marseille", "france-dissay"}},
		{"EPCI zone not in a neighbouring EPCI", q("zones", from(dissay)),
			[]string{"dep86-poitiers", "dep86-remote", "region75-remote", "france-remote", "france-remote-marseille", "france-dissay"}},
		{"région zone across the région", q("zones", from(bordeaux)),
			[]string{"region75-remote", "france-remote", "france-remote-marseille"}},
		{"on-site France-wide found near it", q("zones", from(marseille)),
			[]string{"france-marseille", "france-remote", "france-remote-marseille"}},
		{"radius 10 km leaves Dissay out", q("zones", func(q *directory.SearchQuery) { q.Commune = commune(chatellerault); q.RadiusKm = 10 }),
			[]string{"commune-chatellerault", "epci-chatellerault", "dep86-remote", "region75-remote", "france-remote", "france-remote-marseille"}},
		{"radius 20 km takes Dissay in", q("zones", func(q *directory.SearchQuery) { q.Commune = commune(chatellerault); q.RadiusKm = 20 }),
			[]string{"commune-chatellerault", "epci-chatellerault", "dep86-remote", "region75-remote", "france-remote", "france-remote-marseille", "france-dissay"}},
		{"a position finds its commune", q("zones", func(q *directory.SearchQuery) {
			q.Commune, q.Position = locate(46.8170, 0.5460), &orb.Point{0.5460, 46.8170} // in Châtellerault
		}), []string{"dep86-poitiers", "dep86-remote", "commune-chatellerault", "epci-chatellerault", "region75-remote", "france-remote", "france-remote-marseille", "france-dissay"}},
		{"an arrondissement is its commune", q("zones", from("13208")),
			[]string{"france-marseille", "france-remote", "france-remote-marseille"}},
		{"no place: all of France", q("zones", nil),
			[]string{"dep86-poitiers", "dep86-remote", "commune-chatellerault", "epci-chatellerault", "region75-remote", "france-marseille", "france-remote", "france-remote-marseille", "france-dissay", "france-tours"}},

		{"only published and not suspended", q("status", from(chatellerault)), []string{"published", "suspension-over"}},
		{"only published and not suspended, without place", q("status", nil), []string{"published", "suspension-over"}},
		{"suspension over later", q("status", func(q *directory.SearchQuery) { q.Now = testNow.Add(48 * time.Hour) }),
			[]string{"published", "suspended", "suspension-over"}},

		{"no filter: all publics", q("publics", nil), []string{"pub-none", "pub-all", "pub-jeunes", "pub-seniors"}},
		{"tous-publics and no publics match any publics", q("publics", func(q *directory.SearchQuery) { q.Publics = []string{"jeunes"} }),
			[]string{"pub-none", "pub-all", "pub-jeunes"}},
		{"publics values are alternatives", q("publics", func(q *directory.SearchQuery) { q.Publics = []string{"etudiants", "seniors"} }),
			[]string{"pub-none", "pub-all", "pub-jeunes", "pub-seniors"}},
		{"tous-publics as a filter", q("publics", func(q *directory.SearchQuery) { q.Publics = []string{"tous-publics"} }),
			[]string{"pub-none", "pub-all"}},

		{"a category means its besoins", q("themes", func(q *directory.SearchQuery) { q.Thematiques = []string{"famille"} }),
			[]string{"garde", "aidants"}},
		{"a besoin", q("themes", func(q *directory.SearchQuery) { q.Thematiques = []string{"famille--soutien-aidants"} }),
			[]string{"aidants"}},
		{"category and besoin are alternatives", q("themes", func(q *directory.SearchQuery) {
			q.Thematiques = []string{"famille", "mobilite--acceder-a-un-vehicule"}
		}), []string{"garde", "aidants", "vehicule"}},
		{"thématique and another family combine", q("themes", func(q *directory.SearchQuery) {
			q.Thematiques = []string{"famille"}
			q.Types = []string{"atelier"}
		}), []string{}},

		{"accents folded", q("text", func(q *directory.SearchQuery) { q.Text = "creche" }), []string{"creche"}},
		{"accents folded the other way", q("text", func(q *directory.SearchQuery) { q.Text = "CRÈCHES" }), []string{"creche"}},
		{"garderie finds garde", q("text", func(q *directory.SearchQuery) { q.Text = "garderie" }), []string{"periscolaire"}},
		{"a typo", q("text", func(q *directory.SearchQuery) { q.Text = "logemnt" }), []string{"logement"}},
		{"elision", q("text", func(q *directory.SearchQuery) { q.Text = "l’écoute" }), []string{"desc-numerique"}},
		{"no word is required", q("text", func(q *directory.SearchQuery) { q.Text = "atelier logement" }), []string{"logement", "name-numerique"}},
		{"a request word alone is searched", q("text", func(q *directory.SearchQuery) { q.Text = "aide" }), []string{"logement"}},
		{"request words dropped beside others", q("text", func(q *directory.SearchQuery) { q.Text = "aide pour le numérique" }), []string{"name-numerique", "desc-numerique"}},
		{"structure name searchable", q("text", func(q *directory.SearchQuery) { q.Text = "entraide poitou" }),
			[]string{"creche", "periscolaire", "logement", "name-numerique", "desc-numerique", "label-only"}},
		{"thématique label searchable", q("text", func(q *directory.SearchQuery) { q.Text = "financer" }), []string{"label-only"}},
		{"stop words only: no text", q("text", func(q *directory.SearchQuery) { q.Text = "de la" }),
			[]string{"creche", "periscolaire", "logement", "name-numerique", "desc-numerique", "label-only"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := ids(t, ix, c.query)
			if !slices.Equal(sorted(got), sorted(c.want)) {
				t.Errorf("got %v, want %v", sorted(got), sorted(c.want))
			}
		})
	}
}

func TestDistances(t *testing.T) {
	ix := semanticIndex(t)
	res, err := ix.Search(context.Background(), directory.SearchQuery{StructureID: "zones", Commune: commune(chatellerault), Sort: directory.SortDistance, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{ // km from the centre of Châtellerault; NaN: no distance
		"commune-chatellerault": 0, "epci-chatellerault": 0, "france-dissay": 15.7, "dep86-poitiers": 29.7,
		// Received on site in Marseille, and remotely: listed for its remote reach.
		"france-remote-marseille": math.NaN(), "dep86-remote": math.NaN(), "region75-remote": math.NaN(), "france-remote": math.NaN(),
	}
	if res.Center == nil || *res.Center != *commune(chatellerault).Center {
		t.Errorf("centre %v, want Châtellerault's", res.Center)
	}
	last := -1.0
	for i, h := range res.Hits {
		w := want[h.ID]
		switch {
		case math.IsNaN(w):
			if h.DistanceMeters != nil {
				t.Errorf("%s: distance %v, want none", h.ID, *h.DistanceMeters)
			}
			if i < 4 {
				t.Errorf("%s: remote-only at rank %d, before services with a distance", h.ID, i)
			}
		case h.DistanceMeters == nil:
			t.Errorf("%s: no distance, want %.1f km", h.ID, w)
		default:
			if d := *h.DistanceMeters / 1000; math.Abs(d-w) > 0.1+w*0.003 {
				t.Errorf("%s: %.2f km, want %.1f", h.ID, d, w)
			} else if d < last {
				t.Errorf("%s: %.2f km after %.2f km", h.ID, d, last)
			} else {
				last = d
			}
		}
	}
	if len(res.Hits) != len(want) {
		t.Errorf("%d hits, want %d", len(res.Hits), len(want))
	}

	// From a position, distances are measured from it.
	res, err = ix.Search(context.Background(), directory.SearchQuery{StructureID: "zones", Commune: locate(46.58356, 0.35969), Position: &orb.Point{0.35969, 46.58356}, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if res.Center == nil || *res.Center != (orb.Point{0.35969, 46.58356}) {
		t.Errorf("centre %v, want the position", res.Center)
	}
	for _, h := range res.Hits {
		if h.ID == "dep86-poitiers" && (h.DistanceMeters == nil || *h.DistanceMeters > 50) {
			t.Errorf("dep86-poitiers: distance %v from its own place", h.DistanceMeters)
		}
	}
}

func TestCard(t *testing.T) {
	b := newBuilder(t)
	b.structures["s1"] = &directory.Structure{ID: "s1", Name: "Mission locale du Châtelleraudais"}
	long := "## Présentation\n\nLa **mission locale** accompagne les [jeunes](https://example.org) de 16 à 25 ans dans leurs démarches : emploi, formation, logement, santé et mobilité. " +
		"Des conseillers vous reçoivent sur rendez-vous, du lundi au vendredi, et vous aident à construire votre projet professionnel pas à pas."
	s := b.add("s1", "card", b.at(chatellerault), remote, name("Accompagnement des jeunes"), description(long),
		themes("trouver-un-emploi--repondre-a-des-offres-demploi", "mobilite--financer-ma-mobilite"),
		func(s *directory.Service) { s.OpeningHours = "Mo-Fr 09:00-12:00"; s.Fees = "payant" },
		updated(time.Date(2025, 11, 3, 8, 30, 0, 0, time.UTC)))
	ix := b.build()
	res, err := ix.Search(context.Background(), directory.SearchQuery{Commune: commune(naintre), Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("%d hits", len(res.Hits))
	}
	h := res.Hits[0]
	if h.ID != s.ID || h.Name != s.Name || h.StructureID != "s1" || h.StructureName != "Mission locale du Châtelleraudais" ||
		h.CommuneCode != chatellerault || h.CommuneName != "Châtellerault" || h.OpeningHours != s.OpeningHours || h.Fees != "payant" || !h.Remote {
		t.Errorf("card %+v", h)
	}
	if !h.UpdatedAt.Equal(s.UpdatedAt) {
		t.Errorf("updated %v, want %v", h.UpdatedAt, s.UpdatedAt)
	}
	if !slices.Equal(sorted(h.Thematiques), sorted(s.Thematiques)) || !slices.Equal(sorted(h.ReceptionModes), sorted(s.ReceptionModes)) {
		t.Errorf("thématiques %v modes %v", h.Thematiques, h.ReceptionModes)
	}
	if h.Lat == nil || math.Abs(*h.Lat-*s.Latitude) > 1e-5 || math.Abs(*h.Lon-*s.Longitude) > 1e-5 {
		t.Errorf("place %v %v", h.Lat, h.Lon)
	}
	if h.DistanceMeters == nil || *h.DistanceMeters < 6000 || *h.DistanceMeters > 7000 {
		t.Errorf("distance %v", h.DistanceMeters)
	}
	wantExcerpt := "Présentation La mission locale accompagne les jeunes de 16 à 25 ans dans leurs démarches : emploi, formation, logement, santé et mobilité. Des conseillers vous reçoivent sur rendez-vous, du lundi au…"
	if h.Excerpt != wantExcerpt {
		t.Errorf("excerpt\n%q\nwant\n%q", h.Excerpt, wantExcerpt)
	}
}

func TestRanking(t *testing.T) {
	ix := semanticIndex(t)
	search := func(q directory.SearchQuery) []string {
		q.Now = testNow
		return ids(t, ix, q)
	}

	// The name weighs more than the description.
	got := search(directory.SearchQuery{StructureID: "text", Text: "numérique"})
	if !slices.Equal(got, []string{"name-numerique", "desc-numerique"}) {
		t.Errorf("numérique: %v", got)
	}

	// Date: the most recently updated first.
	b := newBuilder(t)
	for i, id := range []string{"old", "recent", "middle"} {
		b.add("d", id, updated(testNow.Add(-time.Duration([]int{300, 1, 40}[i])*time.Hour)))
	}
	dated := b.build()
	if got := ids(t, dated, directory.SearchQuery{Sort: directory.SortDate, Now: testNow}); !slices.Equal(got, []string{"recent", "middle", "old"}) {
		t.Errorf("date: %v", got)
	}

	// Without text, a remote service comes every third rank while on-site
	// ones remain, and the daily shuffle changes the order of ties.
	b = newBuilder(t)
	for i := range 12 {
		b.add("r", "onsite-"+string(rune('a'+i)), b.at(chatellerault))
	}
	for i := range 3 {
		b.add("r", "remote-"+string(rune('a'+i)), remote)
	}
	mixed := b.build()
	var orders [][]string
	for seed := int64(1); seed <= 5; seed++ {
		got := ids(t, mixed, directory.SearchQuery{Commune: commune(chatellerault), Seed: seed, Now: testNow})
		for i, id := range got {
			isRemote := id[:6] == "remote"
			if isRemote != ((i+1)%RemoteEvery == 0 && i < RemoteEvery*3) {
				t.Fatalf("seed %d: %s at rank %d in %v", seed, id, i, got)
			}
		}
		if again := ids(t, mixed, directory.SearchQuery{Commune: commune(chatellerault), Seed: seed, Now: testNow}); !slices.Equal(got, again) {
			t.Fatalf("seed %d: order not stable: %v then %v", seed, got, again)
		}
		orders = append(orders, got)
	}
	if slices.Equal(orders[0], orders[1]) && slices.Equal(orders[1], orders[2]) {
		t.Errorf("the seed does not shuffle ties: %v", orders[0])
	}
}

func TestValidation(t *testing.T) {
	ix := semanticIndex(t)
	cases := []struct {
		q     directory.SearchQuery
		field string
	}{
		{directory.SearchQuery{Position: &orb.Point{0.5, 46}}, "lat"}, // a position without its commune
		{directory.SearchQuery{RadiusKm: 30}, "rayon"},
		{directory.SearchQuery{Thematiques: []string{"cuisine"}}, "thematiques"},
		{directory.SearchQuery{Publics: []string{"enfants"}}, "publics"},
		{directory.SearchQuery{Sort: "nom"}, "sort"},
		{directory.SearchQuery{Size: 101}, "size"},
	}
	for _, c := range cases {
		_, err := ix.Search(context.Background(), c.q)
		var e *directory.Error
		if directory.ErrorCode(err) != directory.EINVALID {
			t.Errorf("%+v: error %v, want invalid", c.q, err)
		} else if e = err.(*directory.Error); e.Fields[c.field] == "" {
			t.Errorf("%+v: fields %v, want %s", c.q, e.Fields, c.field)
		}
	}
}

// TestFirstK: the k first of a selection are those of a full sort, in order.
func TestFirstK(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	byScore := func(a, b match) int { return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.doc, b.doc)) }
	for _, n := range []int{0, 1, 5, 40, 1000} {
		for _, k := range []int{0, 1, 3, 20, 100, 2000} {
			ms := make([]match, n)
			for i := range ms {
				ms[i] = match{doc: uint64(i), score: float64(r.IntN(50))}
			}
			want := slices.Clone(ms)
			slices.SortFunc(want, byScore)
			firstK(ms, k, byScore)
			m := min(k, n)
			if k == 0 {
				m = n // no bound: everything sorted
			}
			if !slices.Equal(ms[:m], want[:m]) {
				t.Fatalf("n=%d k=%d: %v, want %v", n, k, ms[:m], want[:m])
			}
			got := slices.Clone(ms)
			slices.SortFunc(got, byScore)
			if !slices.Equal(got, want) {
				t.Fatalf("n=%d k=%d: not a permutation", n, k)
			}
		}
	}
}

// topK, given matches one by one, keeps the k first in order.
func TestTopK(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	byScore := func(a, b match) int { return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.doc, b.doc)) }
	for _, n := range []int{0, 1, 5, 40, 1000} {
		for _, k := range []int{1, 3, 20, 100, 2000} {
			ms := make([]match, n)
			for i := range ms {
				ms[i] = match{doc: uint64(i), score: float64(r.IntN(50))}
			}
			tk := newTopK(k, byScore)
			for _, m := range ms {
				tk.add(m)
			}
			want := slices.Clone(ms)
			slices.SortFunc(want, byScore)
			if got := tk.sorted(); !slices.Equal(got, want[:min(k, n)]) {
				t.Fatalf("n=%d k=%d: %v, want %v", n, k, got, want[:min(k, n)])
			}
		}
	}
}
