package indexer

import (
	"bytes"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// endingsName is a token filter run after the French light stemmer: it
// joins the nouns in "-logue" to their adjectives in "-logique", which the
// light stemmer leaves apart ("psychologu" and "psycholog"), so that
// "psychologue" finds "Consultations psychologiques". The rule is the one
// the stemmer lacks; the other links of everyday words go through the
// lexicon instead.
const endingsName = "repere_fr_endings"

type endingsFilter struct{}

func (endingsFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		if len(t.Term) > 4 && bytes.HasSuffix(t.Term, []byte("gu")) {
			t.Term = t.Term[:len(t.Term)-1]
		}
	}
	return input
}

func init() {
	err := registry.RegisterTokenFilter(endingsName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return endingsFilter{}, nil
	})
	if err != nil {
		panic(err)
	}
}
