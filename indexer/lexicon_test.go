package indexer

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/repere-spie/repere/internal/directory"
)

// TestLexiconEntries checks every rule of lexicon.txt: a service whose text
// holds only an alternative (or another member of an equivalence), and a
// service that only has a thématique, public or frais pointed to, are found
// by searching each source.
func TestLexiconEntries(t *testing.T) {
	rules, err := parseRules(strings.NewReader(lexiconFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) < 100 {
		t.Fatalf("%d rules", len(rules))
	}
	b := newBuilder(t)
	docs := map[string]string{} // text or pointer -> service id
	doc := func(key string, opts ...opt) string {
		if id, ok := docs[key]; ok {
			return id
		}
		id := fmt.Sprintf("lex-%d", len(docs))
		docs[key] = id
		paying := func(s *directory.Service) { s.Fees = "payant" }
		b.add("lex", id, append([]opt{name("Permanence"), paying, themes("creer-une-entreprise--developper-son-entreprise")}, opts...)...)
		return id
	}
	type check struct{ query, target, id string }
	var checks []check
	for _, ru := range rules {
		if ru.drop {
			continue
		}
		targets := ru.targets
		if ru.equivalence() {
			targets = ru.sources
		}
		for _, target := range targets {
			id := doc(target, description(target))
			for _, source := range ru.sources {
				if source != target {
					checks = append(checks, check{source, target, id})
				}
			}
		}
		for _, ptr := range ru.pointers {
			var id string
			switch kind, v, _ := strings.Cut(ptr, ":"); kind {
			case "t":
				if directory.ThematiqueCategories.Has(v) {
					v = directory.Besoins(v)[0]
				}
				id = doc(ptr, themes(v), description("Sur rendez-vous."))
			case "p":
				id = doc(ptr, publics(v), description("Sur rendez-vous."))
			case "f":
				id = doc(ptr, func(s *directory.Service) { s.Fees = v }, description("Sur rendez-vous."))
			}
			for _, source := range ru.sources {
				checks = append(checks, check{source, ptr, id})
			}
		}
	}
	ix := b.build()
	for _, c := range checks {
		got := ids(t, ix, directory.SearchQuery{StructureID: "lex", Text: c.query})
		if !slices.Contains(got, c.id) {
			t.Errorf("%q does not find %q", c.query, c.target)
		}
	}
	// The expansion adds alternatives; it does not match everything.
	if got := ids(t, ix, directory.SearchQuery{StructureID: "lex", Text: "nounou"}); len(got) == 0 || len(got) > 4 {
		t.Errorf("nounou finds %d services", len(got))
	}
}

// TestPhrases: a multi-word expression of the lexicon, typed or as an
// alternative, matches its words in sequence, not scattered.
func TestPhrases(t *testing.T) {
	b := newBuilder(t)
	b.add("p", "joined", name("Permanence"), description("Un service d’auto-partage pour le quartier."))
	b.add("p", "joined-name", name("Auto partage solidaire"), description("Sur rendez-vous."))
	b.add("p", "scattered", name("Permanence"), description("Auto-école : le partage des frais."))
	b.add("p", "compound", name("Permanence"), description("L’autopartage au village."))
	b.add("p", "garde", name("Permanence"), description("Garde d’enfants le soir."))
	b.add("p", "garde-scattered", name("Permanence"), description("Garde du matériel, ateliers pour enfants."))
	ix := b.build()
	cases := []struct {
		query string
		want  []string
	}{
		// An alternative never matches scattered.
		{"covoiturage", []string{"compound", "joined", "joined-name"}},
		{"autopartage", []string{"compound", "joined", "joined-name"}},
		{"nounou", []string{"garde"}},
		// Typed, the phrase ranks first; its words apart still count.
		{"auto-partage", []string{"joined", "joined-name", "compound", "scattered"}},
		{"garder mon enfant", []string{"garde", "garde-scattered"}},
	}
	for _, c := range cases {
		got := ids(t, ix, directory.SearchQuery{StructureID: "p", Text: c.query})
		if !slices.Equal(sorted(got), sorted(c.want)) {
			t.Errorf("%q: %v, want %v", c.query, got, c.want)
			continue
		}
		if n := len(c.want); got[n-1] != c.want[n-1] && strings.Contains(c.want[n-1], "scattered") {
			t.Errorf("%q: %v, the scattered words should come last", c.query, got)
		}
	}
}

func TestLexiconRules(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		file    string
		wantErr bool
		query   string
		want    []string // alternatives of the first expression, then its pointers
	}{
		{"nounou, crèche => garde d'enfants\n", false, "nounou", []string{"gard enfant"}},
		{"# comment\n\ncovoiturage, co-voiturage\n", false, "co-voiturage", []string{"covoiturag"}},
		{"a, b, c\n", true, "", nil},   // stop words and single letters only
		{"nounou =>\n", true, "", nil}, // no target
		{"nounou\n", true, "", nil},    // an equivalence of one
		{"nounou ->\n", true, "", nil}, // no pointer
		{"nounou -> t:jardinage\n", true, "", nil},
		{"nounou -> p:tous-publics\n", true, "", nil},
		{"nounou -> x:famille\n", true, "", nil},
		{"code de la route => permis\n", false, "le code de la route", []string{"permi"}},
		{"psy, psychologue -> t:sante-mentale, p:jeunes\n", false, "psy", []string{"t:sante--sante-mentale", "p:jeunes"}},
		{"nounou => garde d'enfants -> t:famille\n", false, "nounou", []string{"gard enfant", "t:famille"}},
		{"drop: aide, besoin\n", false, "aide", nil},
	}
	for _, c := range cases {
		rules, err := parseRules(strings.NewReader(c.file))
		var lx *lexicon
		if err == nil {
			lx, err = newLexicon(rules, textAnalyzer(im))
		}
		if (err != nil) != c.wantErr {
			t.Errorf("%q: error %v", c.file, err)
			continue
		}
		if err != nil {
			continue
		}
		terms := analyse(textAnalyzer(im), c.query)
		var got []string
		for i := range terms {
			if n, e := lx.match(terms, i); n > 0 {
				for _, a := range e.alts {
					got = append(got, a.key())
				}
				for _, v := range e.themes {
					got = append(got, "t:"+v)
				}
				for _, v := range e.publics {
					got = append(got, "p:"+v)
				}
				break
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q on %q: %v, want %v", c.file, c.query, got, c.want)
		}
	}
}

// textAnalyzer returns the analyzer of the text fields, built from the mapping
// so that documents and queries are analysed exactly as declared.
func textAnalyzer(im mapping.IndexMapping) analysis.Analyzer {
	return im.AnalyzerNamed(analyzerName)
}
