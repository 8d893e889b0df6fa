package indexer

import (
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
)

// Terms of the doc-valued keys field: a one-byte prefix and a short value.
// Every match of a search has its keys read once, so they hold all a search
// filters, counts or sorts on after the place and the text have selected
// documents, and they are kept short: vocabulary values are replaced by a
// hash of 4 base-36 digits (see codebook), numbers are written in base 36.
const (
	keyBesoin    = "t" // thématique (besoin)
	keyCategory  = "c" // category of a besoin
	keyType      = "y"
	keyFee       = "f"
	keyPublic    = "p"
	keyMode      = "m"
	keyUpdated   = "u" // UpdatedAt, Unix seconds
	keyHash      = "h" // 32-bit hash of the id: stable tie-breaker and shuffle input
	keyVersion   = "v"
	keySuspended = "x" // SuspendedUntil, Unix seconds, when set
	keyPlace     = "l" // reception place of an on-site service, see placeTerm
	keyAnnounced = "a" // latest announcement (see announcement), Unix seconds: what feeds sort on
	keyNational  = "n" // the whole term (termNational): the zone includes all of France
)

// termNational marks a service whose zone includes all of France, so that a
// search around a place can say when only nationwide services answer it.
const termNational = keyNational + "1"

// publicAll stands for "no publics" and "tous-publics": such a service
// matches every publics filter.
const publicAll = keyPublic + "*"

// The filter families. Values within a family are alternatives (OR); the
// families combine with AND; the facet of a family counts as if its filter
// were off.
const (
	famThematiques = iota
	famTypes
	famFees
	famPublics
	famModes
	numFamilies
)

// facetCode is one countable value: a term of the keys field.
type facetCode struct {
	family int
	facet  string // directory.Facet* name
	prefix string
	value  string
	label  string
}

// codebook numbers every vocabulary value so that a search counts facets in a
// flat slice. It is built once from the vocabularies.
type codebook struct {
	codes  []facetCode
	family []uint8 // of each code, packed for the loops of a scan
	byTerm map[string]int32
	all    int32 // code of "tous-publics", which publicAll counts as
}

var book = newCodebook()

func newCodebook() *codebook {
	b := &codebook{byTerm: map[string]int32{}}
	add := func(family int, facet, prefix string, v *directory.Vocabulary) {
		for _, t := range v.Terms() {
			term := keyTerm(prefix, t.Value)
			if _, dup := b.byTerm[term]; dup {
				// A new vocabulary value hashing like another: change
				// keyTerm (and MappingVersion).
				panic("indexer: key collision on " + t.Value)
			}
			b.byTerm[term] = int32(len(b.codes))
			b.codes = append(b.codes, facetCode{family, facet, prefix, t.Value, t.Label})
			b.family = append(b.family, uint8(family))
		}
	}
	add(famThematiques, directory.FacetCategories, keyCategory, directory.ThematiqueCategories)
	add(famThematiques, directory.FacetThematiques, keyBesoin, directory.Thematiques)
	add(famTypes, directory.FacetTypes, keyType, directory.ServiceTypes)
	add(famFees, directory.FacetFees, keyFee, directory.Fees)
	add(famPublics, directory.FacetPublics, keyPublic, directory.Publics)
	add(famModes, directory.FacetReceptionModes, keyMode, directory.ReceptionModes)
	b.all = b.byTerm[keyTerm(keyPublic, "tous-publics")]
	// The keys field never holds "tous-publics" (it holds publicAll), so
	// that term stands for the same code.
	b.byTerm[publicAll] = b.all
	return b
}

// keyTerm is the term of a vocabulary value: its prefix and 4 base-36
// digits of its hash. Values outside the vocabularies get a term too, which
// no filter selects.
func keyTerm(prefix, value string) string {
	h := fnv.New32a()
	h.Write([]byte(value))
	n := strconv.FormatUint(uint64(h.Sum32()%(36*36*36*36)), 36)
	return prefix + strings.Repeat("0", 4-len(n)) + n
}

func base36(n int64) string { return strconv.FormatInt(n, 36) }

// serviceKeys returns the keys terms of a live service.
func serviceKeys(s *directory.Service, hash uint32) []string {
	keys := make([]string, 0, 4+2*len(s.Thematiques)+len(s.Publics)+len(s.ReceptionModes))
	add := func(k string) {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	for _, t := range s.Thematiques {
		if c := directory.CategoryOf(t); c != "" {
			add(keyTerm(keyCategory, c))
		}
		if t != directory.CategoryOf(t) {
			add(keyTerm(keyBesoin, t))
		}
	}
	if s.Type != "" {
		add(keyTerm(keyType, s.Type))
	}
	if s.Fees != "" {
		add(keyTerm(keyFee, s.Fees))
	}
	// A service for everyone matches every publics filter: its specific
	// publics, if any, would count it twice in the publics facet.
	if len(s.Publics) == 0 || slices.Contains(s.Publics, "tous-publics") {
		add(publicAll)
	} else {
		for _, p := range s.Publics {
			add(keyTerm(keyPublic, p))
		}
	}
	for _, m := range s.ReceptionModes {
		add(keyTerm(keyMode, m))
	}
	add(keyUpdated + base36(s.UpdatedAt.Unix()))
	at, _ := announcement(s)
	add(keyAnnounced + base36(at.Unix()))
	add(keyHash + base36(int64(hash)))
	add(keyVersion + base36(s.Version))
	if s.SuspendedUntil != nil {
		add(keySuspended + base36(s.SuspendedUntil.Unix()))
	}
	return keys
}

// placeTerm encodes a place to the metre: latitude + 90 and longitude + 180
// in hundred-thousandths of a degree, 5 base-36 digits each.
func placeTerm(p orb.Point) string {
	digits := func(v float64) string {
		n := strconv.FormatInt(int64(math.Round(v*1e5)), 36)
		return strings.Repeat("0", 5-len(n)) + n
	}
	return keyPlace + digits(p[1]+90) + digits(p[0]+180)
}

// parsePlace decodes the value of a placeTerm (the term without its prefix).
func parsePlace(b []byte) (orb.Point, bool) {
	if len(b) != 10 {
		return orb.Point{}, false
	}
	lat, ok1 := parse36(b[:5])
	lon, ok2 := parse36(b[5:])
	return orb.Point{float64(lon)/1e5 - 180, float64(lat)/1e5 - 90}, ok1 && ok2
}

// parse36 reads a base-36 integer without allocating; ok is false on any
// other byte.
func parse36(b []byte) (n int64, ok bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	for _, c := range b {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'z':
			d = c - 'a' + 10
		default:
			return 0, false
		}
		n = n*36 + int64(d)
	}
	if neg {
		n = -n
	}
	return n, true
}
