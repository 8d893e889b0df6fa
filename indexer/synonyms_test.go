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

// TestSynonymFamilies checks every entry of synonyms.txt: a service whose
// text holds only a target (or another member of an equivalence) is found by
// searching each source.
func TestSynonymFamilies(t *testing.T) {
	rules, err := parseRules(strings.NewReader(synonymsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) < 20 {
		t.Fatalf("%d rules", len(rules))
	}
	b := newBuilder(t)
	docs := map[string]string{} // text -> service id
	doc := func(text string) string {
		if id, ok := docs[text]; ok {
			return id
		}
		id := fmt.Sprintf("syn-%d", len(docs))
		docs[text] = id
		b.add("syn", id, name("Permanence"), description(text), themes("remobilisation--bien-etre-confiance-en-soi"))
		return id
	}
	type check struct{ query, target, id string }
	var checks []check
	for _, ru := range rules {
		targets := ru.targets
		if targets == nil {
			targets = ru.sources
		}
		for _, target := range targets {
			id := doc(target)
			for _, source := range ru.sources {
				if source != target {
					checks = append(checks, check{source, target, id})
				}
			}
		}
	}
	ix := b.build()
	for _, c := range checks {
		got := ids(t, ix, directory.SearchQuery{StructureID: "syn", Text: c.query})
		if !slices.Contains(got, c.id) {
			t.Errorf("%q does not find %q", c.query, c.target)
		}
	}
	// The expansion adds alternatives; it does not match everything.
	if got := ids(t, ix, directory.SearchQuery{StructureID: "syn", Text: "nounou"}); len(got) == 0 || len(got) > 3 {
		t.Errorf("nounou finds %d services", len(got))
	}
}

func TestSynonymRules(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		file    string
		wantErr bool
		query   string
		want    []string // keys of the alternatives of the first word
	}{
		{"nounou, crèche => garde d'enfants\n", false, "nounou", []string{"gard enfant"}},
		{"# comment\n\ncovoiturage, co-voiturage\n", false, "co-voiturage", []string{"covoiturag"}},
		{"a, b, c\n", true, "", nil},   // stop words and single letters only
		{"nounou =>\n", true, "", nil}, // no target
		{"nounou\n", true, "", nil},    // an equivalence of one
		{"code de la route => permis\n", false, "le code de la route", []string{"permi"}},
	}
	for _, c := range cases {
		rules, err := parseRules(strings.NewReader(c.file))
		var syn *synonyms
		if err == nil {
			syn, err = newSynonyms(rules, textAnalyzer(im))
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
			if n, alts := syn.match(terms, i); n > 0 {
				for _, a := range alts {
					got = append(got, a.key())
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
