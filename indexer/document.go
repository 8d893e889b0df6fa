package indexer

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	bgeo "github.com/blevesearch/bleve/v2/geo"
	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
)

// entry is a service reduced to what the index holds. Rebuilds keep entries,
// not services, in memory while they sort them.
type entry struct {
	id     string
	live   bool
	name   string
	topic  string   // thématique labels
	text   string   // description
	org    string   // structure name
	places []string // names of the service's communes, kept out of fieldWords
	filter []string
	keys   []string
	place  *orb.Point // reception place of an on-site service
	card   []byte
	morton uint64 // Z-order of place, for bulk inserts
}

// newEntry reduces a service. A listed (published, not duplicate) service is live (a suspension is
// checked at search time, since it ends without any write); any other status
// keeps only its version, for reconciliation with the store.
func newEntry(s *directory.Service, st *directory.Structure) *entry {
	e := &entry{id: s.ID}
	if !s.Listed() {
		e.keys = []string{keyVersion + base36(s.Version)}
		return e
	}
	if st == nil {
		st = &directory.Structure{ID: s.StructureID}
	}
	e.live = true
	e.name = s.Name
	e.keys = serviceKeys(s, idHash(s.ID))

	e.org = st.Name
	var topic strings.Builder
	for _, t := range s.Thematiques {
		if c := directory.CategoryOf(t); c != "" && c != t {
			topic.WriteString(directory.ThematiqueCategories.Label(c))
			topic.WriteString(" : ")
		}
		if directory.Thematiques.Has(t) {
			topic.WriteString(directory.Thematiques.Label(t))
		} else {
			topic.WriteString(directory.ThematiqueCategories.Label(t))
		}
		topic.WriteString("\n")
	}
	e.topic = topic.String()
	e.text = plainText(s.Description)
	for _, c := range []string{s.CommuneName, st.CommuneName} {
		if c != "" && !slices.Contains(e.places, c) {
			e.places = append(e.places, c)
		}
	}

	communeCode, communeName := s.CodeInsee, s.CommuneName
	if communeCode == "" && communeName == "" {
		communeCode, communeName = st.CodeInsee, st.CommuneName
	}
	e.filter = append(e.filter, termLive)
	if s.Remote() {
		e.filter = append(e.filter, termRemote)
	}
	if s.StructureID != "" {
		e.filter = append(e.filter, structureTerm(s.StructureID))
	}
	zones := s.EligibilityZone
	if len(zones) == 0 && communeCode != "" {
		// No zone given: the service serves its own commune.
		zones = []directory.Zone{{Kind: directory.ZoneCommune, Code: communeCode}}
	}
	zoneKeys := make([]string, len(zones))
	for i, z := range zones {
		zoneKeys[i] = z.Key()
		e.filter = append(e.filter, zoneTerm(zoneKeys[i]))
	}
	if slices.Contains(zones, directory.France) {
		e.keys = append(e.keys, termNational)
	}
	if dep := directory.DepartementOfCommune(communeCode); dep != "" {
		e.filter = append(e.filter, departementTerm(dep))
	}
	announced, version := announcement(s)
	e.filter = append(e.filter, monthTerm(announced))

	if s.OnSite() {
		switch {
		case s.Latitude != nil && s.Longitude != nil:
			e.place = &orb.Point{*s.Longitude, *s.Latitude}
		case st.Latitude != nil && st.Longitude != nil && s.Address == "":
			// The service is received at its structure.
			e.place = &orb.Point{*st.Longitude, *st.Latitude}
		}
	}
	if e.place != nil {
		e.morton = bgeo.MortonHash(e.place[0], e.place[1])
		e.filter = append(e.filter, cellTerms(*e.place)...)
		e.keys = append(e.keys, placeTerm(*e.place))
	} else {
		e.morton = ^uint64(0)
	}

	c := card{
		Name:          s.Name,
		StructureID:   s.StructureID,
		StructureName: st.Name,
		CommuneName:   communeName,
		CommuneCode:   communeCode,
		Excerpt:       excerpt(e.text),
		OpeningHours:  s.OpeningHours,
		Zones:         strings.Join(zoneKeys, " "),
	}
	c.Published, c.AnnouncedVersion = announced.Unix(), version
	if s.PublishedAt != nil {
		c.Published = s.PublishedAt.Unix()
	}
	e.card = c.encode()
	return e
}

func structureTerm(id string) string     { return "s=" + id }
func zoneTerm(key string) string         { return "z=" + key }
func departementTerm(code string) string { return "d=" + code }

// monthTerm is the month of an announcement, "a=202603" (UTC): Latest reads
// the recent months first.
func monthTerm(t time.Time) string {
	t = t.UTC()
	return fmt.Sprintf("a=%04d%02d", t.Year(), int(t.Month()))
}

func idHash(id string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(id))
	return h.Sum32()
}

// analyzers are the analyzers the documents use, taken from the mapping,
// and the lexicon whose phrases documents are searched for.
type analyzers struct {
	text, words, keyword analysis.Analyzer
	lex                  *lexicon
	// text and words begin alike (see split): a document's texts are
	// tokenised once for both.
	common              *analysis.DefaultAnalyzer
	textOnly, wordsOnly []analysis.TokenFilter
}

// split finds what text and words have in common: their char filters,
// tokenizer and first token filters (the same instances, from the mapping's
// cache). Tokenising took a fifth of a rebuild's work, half of it twice.
func (a *analyzers) split() error {
	t, ok := a.text.(*analysis.DefaultAnalyzer)
	w, ok2 := a.words.(*analysis.DefaultAnalyzer)
	same := func(x, y any) bool {
		return reflect.TypeOf(x) == reflect.TypeOf(y) && reflect.TypeOf(x).Comparable() && x == y
	}
	if !ok || !ok2 || !same(t.Tokenizer, w.Tokenizer) || len(t.CharFilters) != len(w.CharFilters) {
		return errors.New("indexer: the text and words analysers do not begin alike")
	}
	for i := range t.CharFilters {
		if !same(t.CharFilters[i], w.CharFilters[i]) {
			return errors.New("indexer: the text and words analysers do not begin alike")
		}
	}
	n := 0
	for n < len(t.TokenFilters) && n < len(w.TokenFilters) && same(t.TokenFilters[n], w.TokenFilters[n]) {
		n++
	}
	a.common = &analysis.DefaultAnalyzer{CharFilters: t.CharFilters, Tokenizer: t.Tokenizer, TokenFilters: t.TokenFilters[:n:n]}
	a.textOnly, a.wordsOnly = t.TokenFilters[n:], w.TokenFilters[n:]
	return nil
}

// filter applies filters to tokens.
func filter(tokens analysis.TokenStream, filters []analysis.TokenFilter) analysis.TokenStream {
	for _, f := range filters {
		tokens = f.Filter(tokens)
	}
	return tokens
}

// cloneTokens copies tokens, terms included: filters change them in place.
func cloneTokens(tokens analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, len(tokens))
	copies := make([]analysis.Token, len(tokens))
	for i, t := range tokens {
		copies[i] = *t
		copies[i].Term = slices.Clone(t.Term)
		out[i] = &copies[i]
	}
	return out
}

// preAnalyzed hands bleve tokens analysed once for both a field and the
// phrases and pairs derived from it.
type preAnalyzed analysis.TokenStream

func (p preAnalyzed) Analyze([]byte) analysis.TokenStream { return analysis.TokenStream(p) }

// keywords are the terms of an unscored field, as one field of as many
// tokens: a field for each term, analysed apart, cost bleve a token stream
// and a map each, fifty times a service.
func keywords(terms []string) preAnalyzed {
	tokens := make([]analysis.Token, len(terms))
	out := make(analysis.TokenStream, len(terms))
	for i, t := range terms {
		tokens[i] = analysis.Token{Term: []byte(t), Start: 0, End: len(t), Position: i + 1, Type: analysis.AlphaNumeric}
		out[i] = &tokens[i]
	}
	return preAnalyzed(out)
}

// document makes the bleve document of e, counting the terms of its scored
// fields into tally when not nil.
func (a *analyzers) document(e *entry, tally *lengthTally) *document.Document {
	d := document.NewDocument(e.id)
	d.AddField(document.NewTextFieldCustom(fieldKeys, nil, nil, keysOptions, keywords(e.keys)))
	if !e.live {
		return d
	}
	if tally != nil {
		tally.docs++
	}
	var phrases []string
	var words analysis.TokenStream // of name, labels and description
	for _, f := range []struct{ name, value string }{{fieldName, e.name}, {fieldTopic, e.topic}, {fieldText, e.text}, {fieldOrg, e.org}} {
		tokens := a.common.Analyze([]byte(f.value))
		if f.name != fieldOrg {
			words = append(words, filter(cloneTokens(tokens), a.wordsOnly)...)
		}
		tokens = filter(tokens, a.textOnly)
		terms := make(phrase, len(tokens))
		for i, t := range tokens {
			terms[i] = string(t.Term)
		}
		phrases = a.lex.phrases(phrases, terms)
		tally.add(f.name, len(terms))
		if f.name == fieldName {
			tally.add(fieldPairs, max(0, len(terms)-1))
			for i := 1; i < len(terms); i++ {
				pair := terms[i-1] + " " + terms[i]
				d.AddField(document.NewTextFieldCustom(fieldPairs, []uint64{uint64(i)}, []byte(pair), tagOptions, a.keyword))
			}
		}
		d.AddField(document.NewTextFieldCustom(f.name, nil, nil, textOptions, preAnalyzed(tokens)))
	}
	tally.add(fieldPhrases, len(phrases))
	for i, p := range phrases {
		d.AddField(document.NewTextFieldCustom(fieldPhrases, []uint64{uint64(i)}, []byte(p), tagOptions, a.keyword))
	}
	for i, k := range e.keys {
		if c, ok := book.byTerm[k]; ok && book.codes[c].family != famTypes && book.codes[c].family != famModes {
			d.AddField(document.NewTextFieldCustom(fieldTags, []uint64{uint64(i)}, []byte(k), tagOptions, a.keyword))
			tally.add(fieldTags, 1)
		}
	}
	d.AddField(document.NewTextFieldCustom(fieldWords, nil, nil, wordsOptions, preAnalyzed(a.wordTerms(e, words))))
	d.AddField(document.NewTextFieldCustom(fieldFilter, nil, nil, keywordOptions, keywords(e.filter)))
	d.AddField(document.NewTextFieldWithIndexingOptions(fieldCard, nil, e.card, cardOptions))
	return d
}

// wordTerms returns the terms of fieldWords: tokens, the words analysis of
// name, labels and description, without the words of the service's
// communes (a description says "à Sainte-Maxime"), so that no typo is
// corrected into a place name.
func (a *analyzers) wordTerms(e *entry, tokens analysis.TokenStream) analysis.TokenStream {
	if len(e.places) == 0 {
		return tokens
	}
	var places [][]byte
	for _, p := range e.places {
		for _, t := range a.words.Analyze([]byte(p)) {
			places = append(places, t.Term)
		}
	}
	return slices.DeleteFunc(tokens, func(t *analysis.Token) bool {
		return slices.ContainsFunc(places, func(p []byte) bool { return bytes.Equal(p, t.Term) })
	})
}
