package geo

import (
	"regexp"
	"slices"
	"strings"

	"github.com/repere-spie/repere/internal/directory"
)

// qualified is a place typed with its département or postal code after the
// name, without parentheses: "chatellerault 86", "Poitiers, 86000".
var qualified = regexp.MustCompile(`^(.*?[^\s,])[\s,]+(\d{5}|\d{2,3}|2[abAB])$`)

// Suggestion is a commune a text may have meant, and how far the text is
// from its name (0: the name itself, qualified by its département or postal
// code).
type Suggestion struct {
	Commune  *directory.Commune
	Distance int
}

// Suggest returns up to limit communes whose name is within a few typing
// errors of the text (one for short names, up to three for long ones:
// "Chatelleraut", "Poitier"), or starts with it; a trailing département
// number or postal code keeps the communes it names ("chatellerault 86").
// Nearest first, then by population.
func (z *Gazetteer) Suggest(text string, limit int) []Suggestion {
	name, code := strings.TrimSpace(text), ""
	if m := qualified.FindStringSubmatch(name); m != nil {
		name, code = m[1], strings.ToUpper(m[2])
	}
	folded := searchText(name, true)
	if folded == "" {
		return nil
	}
	keep := func(c *directory.Commune) bool {
		return code == "" || c.Departement == code || slices.Contains(c.PostalCodes, code)
	}
	max := 1
	switch n := len([]rune(folded)); {
	case n >= 10:
		max = 3
	case n >= 5:
		max = 2
	}
	best := map[*directory.Commune]int{}
	for key, cs := range z.names {
		d := editDistance(folded, key, max)
		if d > max && !strings.HasPrefix(key, folded) {
			continue
		}
		if d > max {
			d = max // a name that starts with the text: as near as the farthest typo
		}
		for _, c := range cs {
			if keep(c) {
				if old, ok := best[c]; !ok || d < old {
					best[c] = d
				}
			}
		}
	}
	out := make([]Suggestion, 0, len(best))
	for c, d := range best {
		out = append(out, Suggestion{c, d})
	}
	slices.SortFunc(out, func(a, b Suggestion) int {
		if a.Distance != b.Distance {
			return a.Distance - b.Distance
		}
		return byPopulation(a.Commune, b.Commune)
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// editDistance is the optimal string alignment distance of a and b
// (insertions, deletions, substitutions and swaps of two neighbours), or
// max+1 as soon as it exceeds max.
func editDistance(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return max + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			low = min(low, v)
		}
		if low > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
