package geo

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/repere-spie/repere/internal/directory"
)

// key is one autocomplete entry. A commune has one for its whole folded name
// and one per inner word start ("etienne" for "saint etienne"); the inner
// ones share the name's bytes.
type key struct {
	text  string
	c     *directory.Commune
	inner bool
}

func compareKeys(a, b key) int {
	return cmp.Or(strings.Compare(a.text, b.text), strings.Compare(a.c.Code, b.c.Code))
}

// minorWords are not worth an inner word start: "de" would match half of France.
var minorWords = map[string]bool{
	"a": true, "au": true, "aux": true, "d": true, "de": true, "des": true, "du": true, "en": true,
	"et": true, "l": true, "la": true, "le": true, "les": true, "lez": true, "sous": true, "sur": true,
}

func appendNameKeys(keys []key, name string, c *directory.Commune) []key {
	keys = append(keys, key{text: name, c: c})
	for i := 1; i < len(name); i++ {
		if name[i-1] != ' ' {
			continue
		}
		word, _, _ := strings.Cut(name[i:], " ")
		if !minorWords[word] {
			keys = append(keys, key{text: name[i:], c: c, inner: true})
		}
	}
	return keys
}

// abbreviations people type for the words of commune names.
var abbreviations = map[string]string{"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}

// searchText folds a query and spells out abbreviations. Unless the query is
// known to be complete, its last word is left as typed: "st" may be the
// start of "strasbourg".
func searchText(q string, complete bool) string {
	folded := Fold(q)
	if r, _ := utf8.DecodeLastRuneInString(q); q != "" && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		complete = true // ends with a separator: "st-"
	}
	words := strings.Split(folded, " ")
	changed := false
	for i, w := range words {
		if long, ok := abbreviations[w]; ok && (complete || i < len(words)-1) {
			words[i] = long
			changed = true
		}
	}
	if !changed {
		return folded
	}
	return strings.Join(words, " ")
}

const maxComplete = 100

// Complete returns up to limit communes (at most 100) for what a user has
// typed so far: a postal code prefix when it starts with a digit ("860"),
// otherwise the start of the name or of one of its words, accents, case,
// hyphens and apostrophes ignored ("st etienne", "SAINT ÉTIENNE" and
// "etienne" all find Saint-Étienne). Names that start with the text come
// before names where a later word does; each group by population.
func (z *Gazetteer) Complete(prefix string, limit int) []*directory.Commune {
	limit = min(limit, maxComplete)
	q := searchText(prefix, false)
	if q == "" || limit <= 0 {
		return nil
	}
	keys := z.nameKeys
	if q[0] >= '0' && q[0] <= '9' {
		keys, q = z.postalKeys, strings.ReplaceAll(q, " ", "")
	}
	top := make([]key, 0, limit+1)
	for i := sort.Search(len(keys), func(i int) bool { return keys[i].text >= q }); i < len(keys); i++ {
		k := keys[i]
		if !strings.HasPrefix(k.text, q) {
			break
		}
		if len(top) == limit && !ranksBefore(k, top[limit-1]) {
			continue
		}
		if j := slices.IndexFunc(top, func(t key) bool { return t.c == k.c }); j >= 0 {
			if !ranksBefore(k, top[j]) {
				continue
			}
			top = slices.Delete(top, j, j+1)
		}
		at, _ := slices.BinarySearchFunc(top, k, func(t, k key) int {
			if ranksBefore(t, k) {
				return -1
			}
			return 1
		})
		top = slices.Insert(top, at, k)
		if len(top) > limit {
			top = top[:limit]
		}
	}
	out := make([]*directory.Commune, len(top))
	for i, k := range top {
		out[i] = k.c
	}
	return out
}

func ranksBefore(a, b key) bool {
	if a.inner != b.inner {
		return !a.inner
	}
	if a.c.Population != b.c.Population {
		return a.c.Population > b.c.Population
	}
	return a.c.Code < b.c.Code
}
