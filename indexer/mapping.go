// Package indexer keeps the bleve search index of the published services: a
// derived copy of the store, rebuilt from it when the mapping changes, that
// answers every public search (place, text, filters, facets) and carries what a
// result card shows, so that listing results never reads the store.
package indexer

import (
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/token/length"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// MappingVersion changes whenever the fields, their analysis or the encoding
// of their values change; an index of another version is rebuilt (as is one
// made with another set of lexicon phrases, see lexicon.version).
const MappingVersion = 5

// The fields of a service document. Documents are built by hand (document.go)
// rather than by reflection over a struct, so these names and options are the
// whole schema; the mapping below declares the same for bleve's query side.
// Text is split by what it says of a service, so that a query weighs a word
// of the name above one of a besoin label, above one of the description.
const (
	// fieldName holds the analysed service name.
	fieldName = "name"
	// fieldTopic holds the labels of the service's thématiques (besoin and
	// category).
	fieldTopic = "topic"
	// fieldText holds the description.
	fieldText = "text"
	// fieldOrg holds the structure name ("CAF de la Vienne").
	fieldOrg = "org"
	// fieldWords holds name, labels and description folded but not stemmed,
	// without the names of the service's places, and without frequencies:
	// the dictionary typo tolerance draws corrections from (a stem is too
	// short and irregular to be one edit away from a typo), so that a
	// correction never lands on a place or a structure name.
	fieldWords = "words"
	// fieldPhrases holds the multi-word expressions of the lexicon found in
	// the name, labels, description or structure name ("auto partag"), so
	// that expressions match as phrases.
	fieldPhrases = "phrases"
	// fieldPairs holds the adjacent word pairs of the name ("aid
	// alimentair"): a query whose words follow each other there ranks it
	// higher (proximity).
	fieldPairs = "pairs"
	// fieldTags holds the thématique (besoin and category), publics and
	// frais terms of the keys field again, with frequencies, so that a query
	// pointing to them scores (a term of a field without frequencies scores
	// nothing).
	fieldTags = "tags"
	// fieldFilter holds keyword terms used only to select documents: zone keys
	// ("z=commune:86066"), the structure ("s=<id>"), the département where
	// the service is ("d=86"), the month of its latest announcement
	// ("a=202603"), grid cells of the place (cells.go), termLive and
	// termRemote.
	fieldFilter = "f"
	// fieldKeys holds keyword terms with doc values, read for every match to
	// filter, count facets, measure distances and sort without touching
	// stored fields; see keys.go. (No geopoint field:
	// the place is one of these terms, since no query uses bleve's geo
	// searches, see cells.go.)
	fieldKeys = "k"
	// fieldCard is the stored, not indexed, encoded result card (card.go).
	fieldCard = "card"
)

const (
	termLive   = "live"   // a published service; hidden ones only record their version
	termRemote = "remote" // offered at a distance
)

const (
	analyzerName      = "repere_fr"
	wordsAnalyzerName = "repere_fr_words"
	foldedStopName    = "repere_stop_fr_folded"
)

// minFuzzyLetters is the length from which a query word tolerates one typo;
// shorter words would match too many others. From fuzzy2Letters, two.
const (
	minFuzzyLetters = 5
	fuzzy2Letters   = 8
)

const (
	textOptions    = index.IndexField
	wordsOptions   = index.IndexField | index.SkipFreqNorm
	keywordOptions = index.IndexField | index.SkipFreqNorm
	tagOptions     = index.IndexField // keyword terms a query scores
	// Every match reads its keys: stored one document per chunk, not
	// compressed, a search reads them in place instead of decompressing a
	// chunk of a thousand documents for each.
	keysOptions = index.IndexField | index.SkipFreqNorm | index.DocValues | index.SkipDVChunking | index.SkipDVCompression
	cardOptions = index.StoreField
)

// internalVersionKey records the version of the index inside it (Index.version).
var internalVersionKey = []byte("repere_mapping_version")

// newMapping declares the schema: no dynamic fields, nothing stored but the
// card, doc values only where a search reads them.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	// French text: apostrophes and accents folded to ASCII before tokenising
	// so that "d’enfants" loses its elided article and "crèche" matches
	// "creche"; lowercase, elision, French stop words, light stemming with
	// our endings rule (stem.go).
	// bleve's French stop words are spelt with their accents, which the
	// folding has removed: "à" arrives as "a". The folded forms of its
	// accented entries are stop words too.
	err := im.AddCustomTokenMap(foldedStopName, map[string]any{
		"type":   tokenmap.Name,
		"tokens": []any{"a", "ete", "etee", "etees", "etes", "etant", "etais", "etait", "etions", "etiez", "etaient", "fumes", "futes", "fut", "eumes", "eutes", "eut", "meme", "ca", "deja"},
	})
	if err == nil {
		err = im.AddCustomTokenFilter(foldedStopName, map[string]any{"type": stop.Name, "stop_token_map": foldedStopName})
	}
	if err == nil {
		err = im.AddCustomAnalyzer(analyzerName, map[string]any{
			"type":          custom.Name,
			"char_filters":  []string{asciifolding.Name},
			"tokenizer":     unicode.Name,
			"token_filters": []string{lowercase.Name, fr.ElisionName, fr.StopName, foldedStopName, fr.LightStemmerName, endingsName},
		})
	}
	if err != nil {
		return nil, err
	}
	err = im.AddCustomTokenFilter("repere_min_fuzzy", map[string]any{
		"type": length.Name,
		"min":  float64(minFuzzyLetters - 1),
	})
	if err != nil {
		return nil, err
	}
	err = im.AddCustomAnalyzer(wordsAnalyzerName, map[string]any{
		"type":          custom.Name,
		"char_filters":  []string{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name, fr.ElisionName, "repere_min_fuzzy"},
	})
	if err != nil {
		return nil, err
	}
	im.DefaultAnalyzer = analyzerName
	im.ScoringModel = index.BM25Scoring
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false

	text := func(analyzer string) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func(docValues bool) *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = docValues
		f.SkipFreqNorm = true
		return f
	}
	card := mapping.NewTextFieldMapping()
	card.Index = false
	card.Store = true
	card.IncludeTermVectors = false
	card.IncludeInAll = false
	card.DocValues = false

	dm := mapping.NewDocumentStaticMapping()
	for _, f := range []string{fieldName, fieldTopic, fieldText, fieldOrg} {
		dm.AddFieldMappingsAt(f, text(analyzerName))
	}
	words := text(wordsAnalyzerName)
	words.SkipFreqNorm = true
	dm.AddFieldMappingsAt(fieldWords, words)
	for _, f := range []string{fieldPhrases, fieldPairs, fieldTags} {
		m := kw(false)
		m.SkipFreqNorm = false
		dm.AddFieldMappingsAt(f, m)
	}
	dm.AddFieldMappingsAt(fieldFilter, kw(false))
	dm.AddFieldMappingsAt(fieldKeys, kw(true))
	dm.AddFieldMappingsAt(fieldCard, card)
	im.DefaultMapping = dm
	return im, im.Validate()
}
