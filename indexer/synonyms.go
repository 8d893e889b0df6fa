package indexer

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
)

//go:embed synonyms.txt
var synonymsFile string

// phrase is an analysed word sequence: the terms of the text field.
type phrase []string

func (p phrase) key() string { return strings.Join(p, " ") }

// synonyms maps an analysed source phrase to the phrases a query holding it
// also searches.
type synonyms struct {
	alts   map[string][]phrase
	maxLen int // longest source, in terms
}

// rule is one parsed line of the file, kept for tests.
type rule struct {
	line    int
	sources []string
	targets []string // empty for an equivalence
}

func parseRules(r io.Reader) ([]rule, error) {
	var rules []rule
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		left, right, oneWay := strings.Cut(line, "=>")
		ru := rule{line: n, sources: splitList(left)}
		if oneWay {
			ru.targets = splitList(right)
			if len(ru.targets) == 0 {
				return nil, fmt.Errorf("synonyms line %d: nothing after =>", n)
			}
		}
		if len(ru.sources) == 0 || !oneWay && len(ru.sources) < 2 {
			return nil, fmt.Errorf("synonyms line %d: a rule needs two entries", n)
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

func analyse(a analysis.Analyzer, text string) phrase {
	var p phrase
	for _, t := range a.Analyze([]byte(text)) {
		p = append(p, string(t.Term))
	}
	return p
}

// newSynonyms analyses the rules; an entry that analyses to nothing (only
// stop words) is an error, since it could never match.
func newSynonyms(rules []rule, a analysis.Analyzer) (*synonyms, error) {
	s := &synonyms{alts: map[string][]phrase{}}
	add := func(line int, from string, to []string) error {
		src := analyse(a, from)
		if len(src) == 0 {
			return fmt.Errorf("synonyms line %d: %q has no searchable word", line, from)
		}
		s.maxLen = max(s.maxLen, len(src))
		for _, t := range to {
			dst := analyse(a, t)
			if len(dst) == 0 {
				return fmt.Errorf("synonyms line %d: %q has no searchable word", line, t)
			}
			if dst.key() == src.key() || containsPhrase(s.alts[src.key()], dst) {
				continue
			}
			s.alts[src.key()] = append(s.alts[src.key()], dst)
		}
		return nil
	}
	for _, ru := range rules {
		targets := ru.targets
		for _, from := range ru.sources {
			if ru.targets == nil {
				targets = ru.sources
			}
			if err := add(ru.line, from, targets); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

func containsPhrase(list []phrase, p phrase) bool {
	for _, q := range list {
		if q.key() == p.key() {
			return true
		}
	}
	return false
}

// match returns the length of the longest source starting at terms[i] and its
// alternatives; 0 when none starts there.
func (s *synonyms) match(terms []string, i int) (int, []phrase) {
	for n := min(s.maxLen, len(terms)-i); n > 0; n-- {
		if alts, ok := s.alts[strings.Join(terms[i:i+n], " ")]; ok {
			return n, alts
		}
	}
	return 0, nil
}
