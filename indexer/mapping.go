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
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// MappingVersion changes whenever the fields, their analysis or the encoding
// of their values change; an index of another version is rebuilt.
const MappingVersion = 3

// The fields of a service document. Documents are built by hand (document.go)
// rather than by reflection over a struct, so these names and options are the
// whole schema; the mapping below declares the same for bleve's query side.
const (
	// fieldName holds the analysed service name, searched with a boost.
	fieldName = "name"
	// fieldText holds name, structure name, thématique labels and description,
	// analysed: what a word of the query must be found in.
	fieldText = "text"
	// fieldWords holds the same text, folded but not stemmed, without
	// frequencies: typo tolerance compares the typed word with these (a stem
	// is too short and too irregular to be one edit away from a typo).
	fieldWords = "words"
	// fieldFilter holds keyword terms used only to select documents: zone keys
	// ("z=commune:86066"), the structure ("s=<id>"), the département where
	// the service is ("d=86"), the month of its latest announcement
	// ("a=202603"), grid cells of the place (cells.go), termLive and
	// termRemote.
	fieldFilter = "f"
	// fieldKeys holds keyword terms with doc values, read for every match to
	// filter, count facets, measure distances and sort without touching
	// stored fields; see keys.go. (No geopoint field: the place is one of
	// these terms, since no query uses bleve's geo searches, see cells.go.)
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
)

// minFuzzyLetters is the length from which a query word tolerates one typo;
// shorter words would match too many others.
const minFuzzyLetters = 5

const (
	textOptions    = index.IndexField
	wordsOptions   = index.IndexField | index.SkipFreqNorm
	keywordOptions = index.IndexField | index.SkipFreqNorm
	// Every match reads its keys: stored one document per chunk, not
	// compressed, a search reads them in place instead of decompressing a
	// chunk of a thousand documents for each.
	keysOptions = index.IndexField | index.SkipFreqNorm | index.DocValues | index.SkipDVChunking | index.SkipDVCompression
	cardOptions = index.StoreField
)

// internalVersionKey records MappingVersion inside the index.
var internalVersionKey = []byte("repere_mapping_version")

// newMapping declares the schema: no dynamic fields, nothing stored but the
// card, doc values only where a search reads them.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	// French text: apostrophes and accents folded to ASCII before tokenising
	// so that "d’enfants" loses its elided article and "crèche" matches
	// "creche"; lowercase, elision, French stop words, light stemming.
	err := im.AddCustomAnalyzer(analyzerName, map[string]any{
		"type":          custom.Name,
		"char_filters":  []string{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []string{lowercase.Name, fr.ElisionName, fr.StopName, fr.LightStemmerName},
	})
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
	dm.AddFieldMappingsAt(fieldName, text(analyzerName))
	dm.AddFieldMappingsAt(fieldText, text(analyzerName))
	words := text(wordsAnalyzerName)
	words.SkipFreqNorm = true
	dm.AddFieldMappingsAt(fieldWords, words)
	dm.AddFieldMappingsAt(fieldFilter, kw(false))
	dm.AddFieldMappingsAt(fieldKeys, kw(true))
	dm.AddFieldMappingsAt(fieldCard, card)
	im.DefaultMapping = dm
	return im, im.Validate()
}
