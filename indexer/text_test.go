package indexer

import (
	"context"
	"slices"
	"testing"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/repere-spie/repere/internal/directory"
)

// TestTypoTolerance: only words the index does not know are corrected, and a
// correction never lands on a structure or place name.
func TestTypoTolerance(t *testing.T) {
	b := newBuilder(t)
	b.structures["sainte"] = &directory.Structure{ID: "sainte", Name: "CCAS de Sainte-Maure-de-Touraine"}
	b.add("sainte", "in-sainte", name("Permanence"), description("Sur rendez-vous."))
	b.add("t", "sante", name("Bilan de santé"), description("Gratuit."))
	b.add("t", "logement", name("Aide au logement"), description("Trouver où se loger."))
	b.add("t", "psy", name("Consultations psychologiques"), description("Une psychologue vous reçoit."))
	b.structures["tremplin"] = &directory.Structure{ID: "tremplin", Name: "Association Tremplin"}
	b.add("tremplin", "org-only", name("Permanence"), description("Sur rendez-vous."))
	b.add("t", "text-tremplin", name("Permanence"), description("Un tremplin vers l’emploi."))
	b.add("t", "place-only", name("Permanence"), description("Permanence à Châtellerault le mardi."), b.at(chatellerault))
	ix := b.build()
	cases := []struct {
		text string
		want []string
	}{
		// "sante" is a word of the index: not corrected into "sainte".
		{"sante", []string{"sante"}},
		{"santé", []string{"sante"}},
		// Unknown words are corrected, one edit away or two for long ones.
		{"logemnt", []string{"logement"}},
		{"psycologue", []string{"psy"}},
		{"pyschologue", []string{"psy"}},
		// A correction finds the word in a description, never in a
		// structure name or the name of the service's commune alone.
		{"tremplim", []string{"text-tremplin"}},
		{"chatelleraut", []string{}},
	}
	for _, c := range cases {
		got := ids(t, ix, directory.SearchQuery{Text: c.text})
		if !slices.Equal(sorted(got), sorted(c.want)) {
			t.Errorf("%q: %v, want %v", c.text, sorted(got), c.want)
		}
	}
	// The words themselves are found, typed exactly.
	for text, want := range map[string]string{"sainte": "in-sainte", "tremplin": "org-only", "chatellerault": "place-only"} {
		if got := ids(t, ix, directory.SearchQuery{Text: text}); !slices.Contains(got, want) {
			t.Errorf("%q: %v, want %s among them", text, got, want)
		}
	}
	// What a result-less search can propose: the correction.
	err := ix.reading(func(r index.IndexReader, _ index.DocValueReader) error {
		_, rd := ix.textQuery(context.Background(), r, "Logemnt social")
		if rd.corrections["logemnt"] != "logement" {
			t.Errorf("corrections %v", rd.corrections)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPointers: words naming a thématique or a public rank its services
// higher and find them without the words, but never filter the others out.
func TestPointers(t *testing.T) {
	b := newBuilder(t)
	b.add("p", "public-jeunes", name("Permanence"), publics("jeunes"))
	b.add("p", "word-jeunes", name("Accueil des jeunes"), publics("tous-publics"))
	b.add("p", "seniors", name("Permanence"), publics("seniors"))
	b.add("p", "sante-mentale", name("Permanence"), themes("sante--sante-mentale"))
	b.add("p", "word-psy", name("Permanence"), description("Un psy vous reçoit."))
	b.add("p", "both-psy", name("Consultations psychologiques"), themes("sante--sante-mentale"))
	ix := b.build()
	for text, want := range map[string][]string{
		"jeunes": {"public-jeunes", "word-jeunes"},
		"psy":    {"both-psy", "sante-mentale", "word-psy"},
	} {
		got := ids(t, ix, directory.SearchQuery{StructureID: "p", Text: text})
		if !slices.Equal(sorted(got), sorted(want)) {
			t.Errorf("%q: %v, want %v", text, got, want)
		}
	}
	if got := ids(t, ix, directory.SearchQuery{StructureID: "p", Text: "psychologue"}); len(got) == 0 || got[0] != "both-psy" {
		t.Errorf("psychologue: %v, want the service named so and of the thématique first", got)
	}
}

// TestCoverage: a service matching more of the typed words ranks higher;
// the name outweighs the besoin label, which outweighs the description.
func TestCoverage(t *testing.T) {
	b := newBuilder(t)
	b.add("c", "both", name("Atelier vélo"), description("Réparer son vélo en atelier."))
	b.add("c", "one", name("Atelier cuisine"), description("Cuisiner ensemble."))
	b.add("c", "name", name("Jardin partagé"), description("Sur rendez-vous."), themes("remobilisation--activites-sportives-et-culturelles"))
	b.add("c", "label", name("Permanence"), description("Sur rendez-vous."), themes("remobilisation--lien-social"))
	b.add("c", "text", name("Permanence"), description("Le jardin partagé du quartier."), themes("remobilisation--activites-sportives-et-culturelles"))
	ix := b.build()
	if got := ids(t, ix, directory.SearchQuery{StructureID: "c", Text: "atelier vélo"}); len(got) != 2 || got[0] != "both" {
		t.Errorf("atelier vélo: %v, want both words first", got)
	}
	got := ids(t, ix, directory.SearchQuery{StructureID: "c", Text: "jardin"})
	if !slices.Equal(got, []string{"name", "text"}) {
		t.Errorf("jardin: %v, want the name before the description", got)
	}
	got = ids(t, ix, directory.SearchQuery{StructureID: "c", Text: "social"})
	if len(got) == 0 || got[0] != "label" {
		t.Errorf("social: %v, want the besoin label first", got)
	}
}

// TestUnderstand: expressions of the lexicon first, then words; request
// words dropped unless nothing else is left.
func TestUnderstand(t *testing.T) {
	ix := newBuilder(t).build()
	cases := map[string][]string{
		"aide pour passer le permis":    {"pas permi"},
		"faire garder mon enfant":       {"fair gard", "enfant"},
		"garde bébé":                    {"gard bebe"},
		"aide":                          {"aide"},
		"je cherche du travail":         {"travail"},
		"Hébergement d’urgence à Niort": {"heberg urgenc", "niort"},
	}
	for text, want := range cases {
		var got []string
		for _, c := range ix.understand(text).concepts {
			got = append(got, c.terms.key())
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: %v, want %v", text, got, want)
		}
	}
	words, themes := ix.Interpret("Aide pour l’hébergement d’urgence à Niort")
	if !slices.Equal(words, []string{"hebergement", "urgence", "niort"}) || !slices.Equal(themes, []string{"logement-hebergement--rechercher-une-solution-dhebergement-temporaire"}) {
		t.Errorf("words %q, thématiques %q", words, themes)
	}
	// The raw word is the folded typed word, for corrections.
	if c := ix.understand("Logemnt").concepts; len(c) != 1 || c[0].raw != "logemnt" {
		t.Errorf("raw %+v", c)
	}
}
