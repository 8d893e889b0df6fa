package indexer

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/repere-spie/repere/internal/directory"
)

// Weights of the text query. A word counts most in the name, then in a
// besoin label, then in the description or the structure name; what the
// lexicon adds (an alternative, a thématique or a public the words point to)
// and a typo correction count less than the words as typed.
const (
	boostName   = 3.0
	boostTopic  = 2.0
	boostText   = 1.0
	boostOrg    = 1.0
	boostPhrase = 2.0 // a multi-word expression found as such
	boostLoose  = 0.5 // its words found apart
	boostPair   = 1.0 // two typed words side by side in the name
	boostAlt    = 0.7
	boostTheme  = 2.0
	boostFuzzy  = 0.4
)

// maxCorrections bounds the corrections of a typed word: the closest words of
// the index, the most frequent first.
const maxCorrections = 3

// reading is how the text of a query was understood: what the search looked
// for, and what a result-less search can suggest.
type reading struct {
	concepts []concept
	// corrections maps a typed word to the word of the index it was most
	// likely meant as; only words the index does not know are corrected.
	corrections map[string]string
}

// concept is one thing a query asks for: a word, or an expression of the
// lexicon, with what the lexicon says of it.
type concept struct {
	terms phrase   // analysed, as typed
	words []string // the typed words, folded (stop words left out)
	raw   string   // the typed word, folded (single words only)
	entry *lexEntry
}

// pointers returns the thématiques, publics and frais the words point to,
// each once, as "t:<value>", "p:<value>" and "f:<value>".
func (rd *reading) pointers() []string {
	var out []string
	add := func(prefix string, vs []string) {
		for _, v := range vs {
			if !slices.Contains(out, prefix+v) {
				out = append(out, prefix+v)
			}
		}
	}
	for _, c := range rd.concepts {
		if c.entry != nil {
			add("t:", c.entry.themes)
			add("p:", c.entry.publics)
			add("f:", c.entry.fees)
		}
	}
	return out
}

// understand analyses text into concepts: the longest lexicon expressions
// first, then single words; request words are dropped unless nothing else is
// left.
func (ix *Index) understand(text string) *reading {
	// Fold first so that token offsets point into the folded text, where
	// the typed word is read for typo tolerance.
	folded := asciifolding.New().Filter([]byte(text))
	tokens := ix.an.text.Analyze(folded)
	terms := make(phrase, len(tokens))
	raws := make([]string, len(tokens))
	for i, t := range tokens {
		terms[i] = string(t.Term)
		raws[i] = rawWord(folded[t.Start:t.End])
	}
	rd := &reading{}
	var dropped []concept
	for i := 0; i < len(terms); {
		n, e := ix.lex.match(terms, i)
		c := concept{terms: terms[i:max(i+n, i+1)], entry: e}
		c.words = raws[i : i+len(c.terms)]
		if len(c.terms) == 1 {
			c.raw = raws[i]
		}
		i += len(c.terms)
		if e == nil && ix.lex.drop[c.terms[0]] {
			dropped = append(dropped, c)
			continue
		}
		rd.concepts = append(rd.concepts, c)
	}
	if len(rd.concepts) == 0 {
		rd.concepts = dropped
	}
	return rd
}

// Interpret returns the words a search for text looks for, folded, without
// the stop and request words, and the thématiques they point to: what the
// demand counts keep of a search.
func (ix *Index) Interpret(text string) (words, thematiques []string) {
	rd := ix.understand(text)
	for _, c := range rd.concepts {
		words = append(words, c.words...)
	}
	for _, p := range rd.pointers() {
		if v, ok := strings.CutPrefix(p, "t:"); ok {
			thematiques = append(thematiques, v)
		}
	}
	return words, thematiques
}

// textQuery turns what a user typed into a query. A service matching more
// of the typed words or expressions ranks higher; none is required. Each one
// is looked for in the name, the besoin labels, the description and the
// structure name (weighted in that order); an expression of the lexicon also
// as a phrase, with its alternatives and the thématiques and publics it
// points to; a word the index does not know, through its closest words
// (typos). Two typed words side by side in a name rank it higher. It returns
// nil when the text has no searchable word.
func (ix *Index) textQuery(ctx context.Context, r index.IndexReader, text string) (query.Query, *reading) {
	rd := ix.understand(text)
	if len(rd.concepts) == 0 {
		return nil, rd
	}
	var should []query.Query
	for _, c := range rd.concepts {
		var either []query.Query
		if len(c.terms) == 1 {
			either = wordClauses(either, c.terms[0], 1, true)
		} else {
			either = append(either, boosted(termQuery(fieldPhrases, c.terms.key()), boostPhrase))
			var loose []query.Query
			for _, t := range c.terms {
				loose = append(loose, sumQuery(wordClauses(nil, t, 1, true)))
			}
			conj := query.NewConjunctionQuery(loose)
			conj.SetBoost(boostLoose)
			either = append(either, conj)
		}
		either = entryClauses(either, c.entry, 1)
		if c.raw != "" && c.entry == nil && !ix.known(ctx, r, c.terms[0], c.raw) {
			for i, w := range ix.corrections(r, c.raw) {
				if i == 0 {
					if rd.corrections == nil {
						rd.corrections = map[string]string{}
					}
					rd.corrections[c.raw] = w
				}
				for _, t := range analyse(ix.an.text, w) {
					either = wordClauses(either, t, boostFuzzy, false)
				}
				if n, e := ix.lex.match(analyse(ix.an.text, w), 0); n > 0 {
					either = entryClauses(either, e, boostFuzzy)
				}
			}
		}
		should = append(should, sumQuery(either))
	}
	// Proximity: consecutive typed words side by side in a name.
	for i := 1; i < len(rd.concepts); i++ {
		a, b := rd.concepts[i-1].terms, rd.concepts[i].terms
		if len(a) == 1 && len(b) == 1 {
			should = append(should, boosted(termQuery(fieldPairs, a[0]+" "+b[0]), boostPair))
		}
	}
	return disjunction(should), rd
}

// wordClauses appends the clauses finding an analysed term in the text
// fields, weighted by field; org says whether the structure name counts (a
// typo correction never matches a structure name alone).
func wordClauses(dst []query.Query, term string, weight float64, org bool) []query.Query {
	dst = append(dst,
		boosted(termQuery(fieldName, term), weight*boostName),
		boosted(termQuery(fieldTopic, term), weight*boostTopic),
		boosted(termQuery(fieldText, term), weight*boostText))
	if org {
		dst = append(dst, boosted(termQuery(fieldOrg, term), weight*boostOrg))
	}
	return dst
}

// entryClauses appends what a lexicon entry adds to a word: its
// alternatives (a multi-word one as a phrase) and the thématiques, publics
// and frais it points to.
func entryClauses(dst []query.Query, e *lexEntry, weight float64) []query.Query {
	if e == nil {
		return dst
	}
	for _, alt := range e.alts {
		if len(alt) == 1 {
			dst = wordClauses(dst, alt[0], weight*boostAlt, true)
		} else {
			dst = append(dst, boosted(termQuery(fieldPhrases, alt.key()), weight*boostAlt*boostPhrase))
		}
	}
	for _, t := range e.themes {
		prefix := keyBesoin
		if directory.ThematiqueCategories.Has(t) {
			prefix = keyCategory
		}
		dst = append(dst, boosted(termQuery(fieldTags, keyTerm(prefix, t)), weight*boostTheme))
	}
	for _, p := range e.publics {
		dst = append(dst, boosted(termQuery(fieldTags, keyTerm(keyPublic, p)), weight*boostTheme))
	}
	for _, f := range e.fees {
		dst = append(dst, boosted(termQuery(fieldTags, keyTerm(keyFee, f)), weight*boostTheme))
	}
	return dst
}

func boosted(q *query.TermQuery, boost float64) query.Query {
	q.SetBoost(boost)
	return q
}

func disjunction(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

// known reports whether the index or the lexicon knows a typed word: such a
// word is never corrected ("sante" is not a typo of "sainte").
func (ix *Index) known(ctx context.Context, r index.IndexReader, term, raw string) bool {
	if _, ok := ix.lex.entries[term]; ok {
		return true
	}
	has := func(field, t string) bool {
		tfr, err := r.TermFieldReader(ctx, []byte(t), field, false, false, false)
		if err != nil {
			return false
		}
		defer tfr.Close()
		return tfr.Count() > 0
	}
	for _, f := range []string{fieldName, fieldTopic, fieldText, fieldOrg} {
		if has(f, term) {
			return true
		}
	}
	return has(fieldWords, raw)
}

// corrections returns the words of the index closest to raw, a typed word
// the index does not know, when it is long enough: one edit away (two for a
// long word), the most frequent first. The dictionary is the words field,
// which holds no structure or place name.
func (ix *Index) corrections(r index.IndexReader, raw string) []string {
	fr, ok := r.(index.IndexReaderFuzzy)
	n := utf8.RuneCountInString(raw)
	if !ok || n < minFuzzyLetters {
		return nil
	}
	fuzziness := 1
	if n >= fuzzy2Letters {
		fuzziness = 2
	}
	dict, err := fr.FieldDictFuzzy(fieldWords, raw, fuzziness, "")
	if err != nil {
		return nil
	}
	defer dict.Close()
	var found []index.DictEntry
	for range 256 {
		e, err := dict.Next()
		if err != nil || e == nil {
			break
		}
		found = append(found, *e)
	}
	slices.SortFunc(found, func(a, b index.DictEntry) int {
		return cmp.Or(cmp.Compare(a.EditDistance, b.EditDistance), cmp.Compare(b.Count, a.Count), strings.Compare(a.Term, b.Term))
	})
	var out []string
	for _, e := range found {
		if len(out) == maxCorrections || e.EditDistance > found[0].EditDistance {
			break
		}
		out = append(out, e.Term)
	}
	return out
}

func foldString(s string) string { return string(asciifolding.New().Filter([]byte(s))) }

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
