package ui

import (
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/cache"
	"github.com/repere-spie/repere/internal/observatory"
	"github.com/repere-spie/repere/internal/openinghours"
)

// The caches of the site, each bounded in bytes (internal/cache), whatever
// keys visitors send. Their budgets add up to cacheBudget, the most memory
// caches may take in a serving process.
const (
	feedsBudget     = 24 << 20 // rendered feeds (~90 KB each): any search has one
	countsBudget    = 8 << 20  // a département's counts per commune: about a hundred keys
	catalogueBudget = 28 << 20 // the sitemap's inventory: one key, ~200 bytes a service
	hoursBudget     = 4 << 20  // parsed opening hours: pages show the same few over and over
	mapsBudget      = 16 << 20 // the observatory's maps (~120 KB a département): any territory has one
	partnersBudget  = 8 << 20  // freshness by partner: ~200 bytes a structure, one key per set of départements moderated
	cacheBudget     = feedsBudget + countsBudget + catalogueBudget + hoursBudget + mapsBudget + partnersBudget
)

type caches struct {
	feeds     *cache.Cache[*renderedFeed]
	counts    *cache.Cache[map[string]int]
	catalogue *cache.Cache[*catalogue]
	maps      *cache.Cache[*observatory.Map]
	partners  *cache.Cache[*observatory.Partners]
}

func newCaches() caches {
	return caches{
		feeds: cache.New(feedsBudget, 24*time.Hour, func(_ string, r *renderedFeed) int { return len(r.body) + len(r.etag) + 64 }),
		counts: cache.New(countsBudget, countsTTL, func(_ string, m map[string]int) int {
			return len(m) * 64 // a 5-byte INSEE code and an int in a map slot
		}),
		catalogue: cache.New(catalogueBudget, catalogueTTL, func(_ string, c *catalogue) int { return c.size() }),
		// The geography does not change while the process runs.
		maps:     cache.New(mapsBudget, 24*time.Hour, func(_ string, m *observatory.Map) int { return m.Size() }),
		partners: cache.New(partnersBudget, partnersTTL, func(_ string, p *observatory.Partners) int { return p.Size() }),
	}
}

// schedules caches parsed opening hours for every server of the process:
// parsing is a pure function of the text. A schedule that does not parse is
// kept as nil.
var schedules = cache.New(hoursBudget, time.Hour, func(raw string, _ *openinghours.Schedule) int {
	return 8*len(raw) + 128 // rules, intervals and comments grow with the text
})

// schedule parses opening hours through the cache.
func schedule(raw string) *openinghours.Schedule {
	if sch, ok := schedules.Get(raw); ok {
		return sch
	}
	// A schedule keeps pieces of its text (comments): parse a copy, never a
	// request buffer.
	raw = strings.Clone(raw)
	sch, err := openinghours.Parse(raw)
	if err != nil {
		sch = nil
	}
	schedules.Set(raw, sch)
	return sch
}
