package indexer

import (
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
)

// A document's texts are tokenised once for the text and words analysers
// (analyzers.split): each must get the terms its own analyser gives.
func TestSplitAnalysisAsEach(t *testing.T) {
	gaz, _ := gazetteer(t)
	ix, err := Open(t.TempDir(), gaz)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	a := &ix.an
	if len(a.common.TokenFilters) < 2 {
		t.Fatalf("%d token filters in common: the split shares no work", len(a.common.TokenFilters))
	}
	terms := func(ts analysis.TokenStream) []string {
		var out []string
		for _, t := range ts {
			out = append(out, string(t.Term))
		}
		return out
	}
	for _, text := range []string{
		"L’atelier d'insertion de l’EPCI : « Permis de conduire » et auto-école solidaire",
		"Garde d’enfants à horaires atypiques — crèche, assistantes maternelles",
		"Épicerie solidaire ; aides alimentaires ; CCAS de Saint-Étienne-du-Rouvray",
		"Accompagnement des bénéficiaires du RSA vers l'emploi (France Travail, PLIE)",
		"Hébergement d’urgence 115 : mises à l’abri, nuitées hôtelières",
		"",
	} {
		common := a.common.Analyze([]byte(text))
		words := filter(cloneTokens(common), a.wordsOnly)
		got := filter(common, a.textOnly)
		if want := a.text.Analyze([]byte(text)); !slices.Equal(terms(got), terms(want)) {
			t.Errorf("%q, text: %q, want %q", text, terms(got), terms(want))
		}
		if want := a.words.Analyze([]byte(text)); !slices.Equal(terms(words), terms(want)) {
			t.Errorf("%q, words: %q, want %q", text, terms(words), terms(want))
		}
	}
}
