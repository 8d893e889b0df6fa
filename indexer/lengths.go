package indexer

import (
	"context"
	"encoding/json"
	"math"

	"github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// BM25 weighs a match by the length of its field against the mean length of
// that field. bleve estimates the mean from the size of the field's
// dictionary, which makes it about one term for every field, so that a word
// found in a 60-word description weighs a fortieth of one found in a name.
// The index records the true means instead, counted when it is built, and
// searches hand them to bleve.

// internalLengthsKey records the mean field lengths inside the index.
var internalLengthsKey = []byte("repere_field_lengths")

// scoredFields are the fields a text query scores.
var scoredFields = []string{fieldName, fieldTopic, fieldText, fieldOrg, fieldPhrases, fieldPairs, fieldTags}

// fieldLengths maps a scored field to its mean length in terms, over the
// published services.
type fieldLengths map[string]float64

// defaultLengths stand in for an index built before the first rebuild: the
// demo data's means, rounded.
var defaultLengths = fieldLengths{
	fieldName: 5, fieldTopic: 7, fieldText: 45, fieldOrg: 5, fieldPhrases: 1, fieldPairs: 4, fieldTags: 4,
}

// lengthTally counts the terms of the scored fields while an index is built.
type lengthTally struct {
	docs  int
	terms map[string]int
}

func (t *lengthTally) add(field string, n int) {
	if t == nil {
		return
	}
	if t.terms == nil {
		t.terms = map[string]int{}
	}
	t.terms[field] += n
}

func (t *lengthTally) means() fieldLengths {
	out := fieldLengths{}
	for _, f := range scoredFields {
		out[f] = defaultLengths[f]
		if t != nil && t.docs > 0 {
			out[f] = max(1, float64(t.terms[f])/float64(t.docs))
		}
	}
	return out
}

func (l fieldLengths) encode() []byte {
	b, _ := json.Marshal(l)
	return b
}

func decodeLengths(b []byte) fieldLengths {
	var l fieldLengths
	if json.Unmarshal(b, &l) != nil {
		return defaultLengths
	}
	for _, f := range scoredFields {
		if l[f] <= 0 {
			l[f] = defaultLengths[f]
		}
	}
	return l
}

// scoring returns ctx carrying what BM25 scoring needs: the model and the
// statistics of the index read by r.
func (l fieldLengths) scoring(ctx context.Context, r index.IndexReader) context.Context {
	ctx = context.WithValue(ctx, search.GetScoringModelCallbackKey,
		search.GetScoringModelCallbackFn(func() string { return index.BM25Scoring }))
	n, err := r.DocCount()
	if err != nil || n == 0 {
		return ctx
	}
	stats := &search.BM25Stats{DocCount: float64(n), FieldCardinality: map[string]int{}}
	for _, f := range scoredFields {
		// bleve divides this by the document count and rounds up.
		stats.FieldCardinality[f] = int(math.Round(l[f] * float64(n)))
	}
	// The selection's filter terms have no frequencies and score nothing,
	// but bleve wants statistics for every field a query names.
	stats.FieldCardinality[fieldFilter] = int(n)
	stats.FieldCardinality[fieldKeys] = int(n)
	return context.WithValue(ctx, search.BM25StatsKey, stats)
}
