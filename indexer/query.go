package indexer

import (
	"slices"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
)

// Boosts of the text fields: a word of the name counts more than one of the
// description; a typo match counts less than an exact one.
const (
	boostName  = 3
	boostFuzzy = 0.4
)

// selection builds the bleve query choosing the documents a search considers:
// live services, in the place, of the structure, matching the text. The
// facet filters (thématiques, types, …) are applied afterwards on doc
// values, because each facet must be counted without its own filter.
func (ix *Index) selection(q *directory.SearchQuery, pl *place, text query.Query) query.Query {
	must := []query.Query{termQuery(fieldFilter, termLive)}
	if q.StructureID != "" {
		must = append(must, termQuery(fieldFilter, structureTerm(q.StructureID)))
	}
	if pl != nil {
		must = append(must, pl.query())
	}
	if text != nil {
		must = append(must, text)
	}
	if len(must) == 1 {
		return must[0]
	}
	return query.NewConjunctionQuery(must)
}

// place is where a search looks: the commune whose zones must cover a
// service, and the centre distances are measured from.
type place struct {
	commune *directory.Commune
	center  *orb.Point // nil for the few communes without a centre
	radius  float64    // metres
}

// zones returns the zone keys that cover the commune.
func (p *place) zones() []string {
	c := p.commune
	keys := []string{
		directory.Zone{Kind: directory.ZoneCommune, Code: c.Code}.Key(),
		directory.Zone{Kind: directory.ZoneDepartement, Code: c.Departement}.Key(),
		directory.Zone{Kind: directory.ZoneRegion, Code: c.Region}.Key(),
		directory.France.Key(),
	}
	if c.EPCI != "" {
		keys = append(keys, directory.Zone{Kind: directory.ZoneEPCI, Code: c.EPCI}.Key())
	}
	return keys
}

// query selects the services whose zone covers the commune and that are
// either offered at a distance or received in a cell near the centre; the
// search then drops those beyond the radius.
func (p *place) query() query.Query {
	var zones []query.Query
	for _, k := range p.zones() {
		zones = append(zones, termQuery(fieldFilter, zoneTerm(k)))
	}
	reach := query.Query(termQuery(fieldFilter, termRemote))
	if p.center != nil {
		either := []query.Query{reach}
		for _, c := range coverTerms(*p.center, p.radius) {
			either = append(either, termQuery(fieldFilter, c))
		}
		reach = query.NewDisjunctionQuery(either)
	}
	return query.NewConjunctionQuery([]query.Query{query.NewDisjunctionQuery(zones), reach})
}

func termQuery(field, term string) *query.TermQuery {
	t := query.NewTermQuery(term)
	t.SetField(field)
	return t
}

// textQuery turns what a user typed into a query: every word (or synonym
// phrase) must be found, in the name (boosted) or the other text. A long
// word also matches, with a lower weight, the words of the index one edit
// away from it (typos), and a synonym phrase its alternatives. It returns nil
// when the text has no searchable word.
func (ix *Index) textQuery(r index.IndexReader, text string) query.Query {
	// Fold first so that token offsets point into the folded text, where
	// the typed word is read for typo tolerance.
	folded := asciifolding.New().Filter([]byte(text))
	tokens := ix.an.text.Analyze(folded)
	terms := make([]string, len(tokens))
	raws := make([]string, len(tokens))
	for i, t := range tokens {
		terms[i] = string(t.Term)
		raws[i] = rawWord(folded[t.Start:t.End])
	}
	word := func(i int) query.Query {
		return wordQuery(terms[i], ix.corrections(r, raws[i], terms[i]))
	}
	var concepts []query.Query
	for i := 0; i < len(terms); {
		n, alts := ix.syn.match(terms, i)
		if n == 0 {
			concepts = append(concepts, word(i))
			i++
			continue
		}
		own := make([]query.Query, n)
		for j := range own {
			own[j] = word(i + j)
		}
		either := []query.Query{conjunction(own)}
		for _, alt := range alts {
			words := make([]query.Query, len(alt))
			for j, t := range alt {
				words[j] = wordQuery(t, nil)
			}
			either = append(either, conjunction(words))
		}
		concepts = append(concepts, query.NewDisjunctionQuery(either))
		i += n
	}
	if len(concepts) == 0 {
		return nil
	}
	return conjunction(concepts)
}

func conjunction(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewConjunctionQuery(qs)
}

// maxCorrections bounds the index words one typo away that a query word
// adds.
const maxCorrections = 16

// corrections returns the stems, other than stem, of the words of the index
// one edit away from raw, the typed word, when it is long enough. The
// unstemmed words field serves as the dictionary: a stem is too short and too
// irregular to be one edit away from a typo ("logemnt" is not one edit from
// "loge", the stem of "logement").
func (ix *Index) corrections(r index.IndexReader, raw, stem string) []string {
	fr, ok := r.(index.IndexReaderFuzzy)
	if !ok || utf8.RuneCountInString(raw) < minFuzzyLetters {
		return nil
	}
	dict, err := fr.FieldDictFuzzy(fieldWords, raw, 1, "")
	if err != nil {
		return nil
	}
	defer dict.Close()
	var stems []string
	for range maxCorrections {
		e, err := dict.Next()
		if err != nil || e == nil {
			break
		}
		for _, t := range ix.an.text.Analyze([]byte(e.Term)) {
			if c := string(t.Term); c != stem && !slices.Contains(stems, c) {
				stems = append(stems, c)
			}
		}
	}
	return stems
}

// wordQuery matches one analysed term, or with a lower weight one of its
// corrections, in the name (boosted) or the text.
func wordQuery(term string, corrections []string) query.Query {
	either := make([]query.Query, 0, 2+2*len(corrections))
	add := func(t string, boost float64) {
		text := termQuery(fieldText, t)
		text.SetBoost(boost)
		name := termQuery(fieldName, t)
		name.SetBoost(boost * boostName)
		either = append(either, text, name)
	}
	add(term, 1)
	for _, c := range corrections {
		add(c, boostFuzzy)
	}
	return query.NewDisjunctionQuery(either)
}

// rawWord lowercases a folded token and drops an elided article ("l'", "qu'").
func rawWord(b []byte) string {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c == '\'' {
			if len(out) <= 2 || string(out) == "qu" || string(out) == "jusqu" || string(out) == "lorsqu" || string(out) == "puisqu" {
				out = out[:0]
				continue
			}
		}
		out = append(out, c)
	}
	return string(out)
}
