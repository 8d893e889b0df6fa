package indexer

import (
	"bufio"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/repere-spie/repere/internal/directory"
)

//go:embed lexicon.txt
var lexiconFile string

// phrase is an analysed word sequence: the terms of the text fields.
type phrase []string

func (p phrase) key() string { return strings.Join(p, " ") }

// lexicon is what the search knows of the field's words (lexicon.txt):
// the expressions a query may hold, each with the expressions it also
// searches and the thématiques and publics it points to.
type lexicon struct {
	entries map[string]*lexEntry // by analysed key
	maxLen  int                  // longest expression, in terms
	// firsts maps the first term of each multi-word expression to their
	// lengths, so that indexing looks for phrases only where one may start.
	firsts map[string][]int
	drop   map[string]bool // request words, analysed
	// version changes with the set of multi-word expressions, which the
	// index holds (fieldPhrases): another set means a rebuild.
	version string
}

// lexEntry is what one expression means to a query.
type lexEntry struct {
	alts    []phrase // expressions a query holding this one also searches
	themes  []string // thématiques (besoins or categories) it points to
	publics []string
	fees    []string
}

// rule is one parsed line of the file, kept for tests.
type rule struct {
	line     int
	sources  []string
	targets  []string // one-way alternatives; nil for an equivalence
	pointers []string // "t:<thématique>", "p:<public>" and "f:<frais>", resolved
	drop     bool
}

// equivalence reports whether the rule makes its sources mean the same.
func (r rule) equivalence() bool { return r.targets == nil && r.pointers == nil && !r.drop }

func parseRules(r io.Reader) ([]rule, error) {
	var rules []rule
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if words, ok := strings.CutPrefix(line, "drop:"); ok {
			rules = append(rules, rule{line: n, sources: splitList(words), drop: true})
			continue
		}
		ru := rule{line: n}
		line, pointers, pointing := strings.Cut(line, "->")
		left, right, oneWay := strings.Cut(line, "=>")
		ru.sources = splitList(left)
		if oneWay {
			if ru.targets = splitList(right); len(ru.targets) == 0 {
				return nil, fmt.Errorf("lexicon line %d: nothing after =>", n)
			}
		}
		if pointing {
			for _, p := range splitList(pointers) {
				v, err := resolvePointer(p)
				if err != nil {
					return nil, fmt.Errorf("lexicon line %d: %w", n, err)
				}
				ru.pointers = append(ru.pointers, v)
			}
			if len(ru.pointers) == 0 {
				return nil, fmt.Errorf("lexicon line %d: nothing after ->", n)
			}
		}
		if len(ru.sources) == 0 || ru.equivalence() && len(ru.sources) < 2 {
			return nil, fmt.Errorf("lexicon line %d: a rule needs two entries, a target or a pointer", n)
		}
		rules = append(rules, ru)
	}
	return rules, sc.Err()
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// resolvePointer checks "t:<thématique>", "p:<public>" or "f:<frais>" and
// spells the thématique in full.
func resolvePointer(p string) (string, error) {
	kind, v, _ := strings.Cut(p, ":")
	switch kind {
	case "t":
		t, err := ResolveThematique(v)
		return "t:" + t, err
	case "p":
		if !directory.Publics.Has(v) || v == "tous-publics" {
			return "", fmt.Errorf("unknown public %q", v)
		}
		return p, nil
	case "f":
		if !directory.Fees.Has(v) {
			return "", fmt.Errorf("unknown frais %q", v)
		}
		return p, nil
	}
	return "", fmt.Errorf("%q: a pointer is t:<thématique>, p:<public> or f:<frais>", p)
}

// ResolveThematique accepts a category, a besoin, or the part of a besoin
// after "--" when only one besoin has it.
func ResolveThematique(v string) (string, error) {
	if directory.Thematiques.Has(v) || directory.ThematiqueCategories.Has(v) {
		return v, nil
	}
	var found []string
	for _, t := range directory.Thematiques.Terms() {
		if _, b, _ := strings.Cut(t.Value, "--"); b == v {
			found = append(found, t.Value)
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("thématique %q: %d besoins have it", v, len(found))
	}
	return found[0], nil
}

func analyse(a analysis.Analyzer, text string) phrase {
	var p phrase
	for _, t := range a.Analyze([]byte(text)) {
		p = append(p, string(t.Term))
	}
	return p
}

// newLexicon analyses the rules; an entry that analyses to nothing (only
// stop words) is an error, since it could never match.
func newLexicon(rules []rule, a analysis.Analyzer) (*lexicon, error) {
	lx := &lexicon{entries: map[string]*lexEntry{}, firsts: map[string][]int{}, drop: map[string]bool{}}
	entry := func(line int, text string) (*lexEntry, phrase, error) {
		p := analyse(a, text)
		if len(p) == 0 {
			return nil, nil, fmt.Errorf("lexicon line %d: %q has no searchable word", line, text)
		}
		lx.maxLen = max(lx.maxLen, len(p))
		if len(p) > 1 && !slices.Contains(lx.firsts[p[0]], len(p)) {
			lx.firsts[p[0]] = append(lx.firsts[p[0]], len(p))
		}
		e := lx.entries[p.key()]
		if e == nil {
			e = &lexEntry{}
			lx.entries[p.key()] = e
		}
		return e, p, nil
	}
	for _, ru := range rules {
		if ru.drop {
			for _, w := range ru.sources {
				for _, t := range analyse(a, w) {
					lx.drop[t] = true
				}
			}
			continue
		}
		alts := ru.targets
		if ru.equivalence() {
			alts = ru.sources
		}
		var altPhrases []phrase
		for _, t := range alts {
			_, p, err := entry(ru.line, t)
			if err != nil {
				return nil, err
			}
			altPhrases = append(altPhrases, p)
		}
		for _, s := range ru.sources {
			e, p, err := entry(ru.line, s)
			if err != nil {
				return nil, err
			}
			for _, alt := range altPhrases {
				if alt.key() != p.key() && !containsPhrase(e.alts, alt) {
					e.alts = append(e.alts, alt)
				}
			}
			for _, ptr := range ru.pointers {
				kind, v, _ := strings.Cut(ptr, ":")
				list := map[string]*[]string{"t": &e.themes, "p": &e.publics, "f": &e.fees}[kind]
				if !slices.Contains(*list, v) {
					*list = append(*list, v)
				}
			}
		}
	}
	var multi []string
	for k := range lx.entries {
		if strings.Contains(k, " ") {
			multi = append(multi, k)
		}
	}
	slices.Sort(multi)
	sum := sha256.Sum256([]byte(strings.Join(multi, "\n")))
	lx.version = hex.EncodeToString(sum[:6])
	return lx, nil
}

func containsPhrase(list []phrase, p phrase) bool {
	return slices.ContainsFunc(list, func(q phrase) bool { return q.key() == p.key() })
}

// match returns the length of the longest expression starting at terms[i]
// and its entry; 0 when none starts there.
func (lx *lexicon) match(terms []string, i int) (int, *lexEntry) {
	for n := min(lx.maxLen, len(terms)-i); n > 0; n-- {
		if e, ok := lx.entries[strings.Join(terms[i:i+n], " ")]; ok {
			return n, e
		}
	}
	return 0, nil
}

// phrases appends to dst the multi-word expressions found in terms, in
// order, each once.
func (lx *lexicon) phrases(dst []string, terms []string) []string {
	for i, t := range terms {
		for _, n := range lx.firsts[t] {
			if i+n > len(terms) {
				continue
			}
			k := strings.Join(terms[i:i+n], " ")
			if _, ok := lx.entries[k]; ok && !slices.Contains(dst, k) {
				dst = append(dst, k)
			}
		}
	}
	return dst
}
