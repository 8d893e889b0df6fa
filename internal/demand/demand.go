// Package demand counts the searches by day, commune and thématique, and
// those that found nothing by their searched words too: the demand, and the
// demand the offer does not meet, for the observatory of gaps. It keeps no personal data: no query as typed, no
// address, no time finer than the day, no identifier of who searched; the
// words are normalised (folded, without figures, few and short), and counts
// too small to be anonymous are suppressed when read.
//
// Each instance of the site counts in memory and adds its counts to
// documents of its own (keyed by instance, day and cell), so that the
// non-atomic updates of the embedded store never race; reports sum them.
package demand

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
	"github.com/repere-spie/repere/internal/store"
)

// Store is where the counts go: the store.
type Store interface {
	AddDemand(ctx context.Context, instance string, counts []store.DemandCount) (int, error)
	Demand(ctx context.Context, fromDay, toDay string) ([]store.DemandCount, error)
}

// Search is a search as the counter sees it.
type Search struct {
	Commune     string   // INSEE code of the commune searched; "" for all of France
	Thematiques []string // the thématique filters, or the ones its words point to
	Words       []string // the words searched, stop and request words left out; kept when nothing was found
	Found       bool     // the search found something
}

// Limits of what a counter keeps: a bounded number of cells between two
// flushes (beyond, searches are dropped and counted as such), and words kept
// few and short.
const (
	maxPending   = 10_000
	maxWords     = 5
	maxWordRunes = 30
	// MinCount is the smallest count a report shows: smaller ones could
	// single out a person (k-anonymity).
	MinCount = 5
)

// Counter counts the searches that found nothing. It is safe for concurrent
// use.
type Counter struct {
	st       Store
	instance string
	now      func() time.Time
	log      *slog.Logger

	mu      sync.Mutex
	pending map[store.DemandCell]tally
	dropped int
}

// tally is what a counter holds for a cell between two flushes.
type tally struct{ unmet, searches int }

// New returns a counter writing to st under a new instance identifier.
func New(st Store, log *slog.Logger) *Counter {
	var b [6]byte
	_, _ = rand.Read(b[:])
	if log == nil {
		log = slog.Default()
	}
	return &Counter{st: st, instance: hex.EncodeToString(b[:]), now: time.Now, log: log, pending: map[store.DemandCell]tally{}}
}

// Record counts s, once per thématique (once without one): as a search
// in the cell without words, and when it found nothing, as such in the cell
// of its words.
func (c *Counter) Record(s Search) {
	cell := store.DemandCell{Day: c.now().In(directory.Paris).Format(time.DateOnly), Commune: s.Commune}
	words := ""
	if !s.Found {
		words = Normalize(s.Words)
	}
	themes := slices.Compact(slices.Sorted(slices.Values(s.Thematiques)))
	if len(themes) == 0 {
		themes = []string{""}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	add := func(cell store.DemandCell, t tally) {
		if _, ok := c.pending[cell]; !ok && len(c.pending) >= maxPending {
			c.dropped++
			return
		}
		p := c.pending[cell]
		p.unmet += t.unmet
		p.searches += t.searches
		c.pending[cell] = p
	}
	for _, t := range themes {
		cell.Thematique = t
		cell.Words = ""
		if words == "" && !s.Found {
			add(cell, tally{searches: 1, unmet: 1})
			continue
		}
		add(cell, tally{searches: 1})
		if !s.Found {
			cell.Words = words
			add(cell, tally{unmet: 1})
		}
	}
}

// Normalize reduces searched words to what the counts keep: folded, without
// any word holding a figure (a telephone, a date of birth, a file number),
// at most maxWords words of at most maxWordRunes letters, sorted, each once.
func Normalize(words []string) string {
	var out []string
	for _, w := range words {
		for _, f := range strings.Fields(geo.Fold(strings.Join(slices.DeleteFunc(strings.Fields(w), isEmail), " "))) {
			if len([]rune(f)) < 2 || len([]rune(f)) > maxWordRunes || strings.ContainsFunc(f, unicode.IsDigit) {
				continue
			}
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	slices.Sort(out)
	return strings.Join(out[:min(len(out), maxWords)], " ")
}

// isEmail tells an e-mail address, of which no part is kept.
func isEmail(w string) bool { return strings.Contains(w, "@") }

// Flush adds the counts kept so far to the store. On failure they are kept
// for the next flush.
func (c *Counter) Flush(ctx context.Context) error {
	c.mu.Lock()
	pending, dropped := c.pending, c.dropped
	c.pending, c.dropped = map[store.DemandCell]tally{}, 0
	c.mu.Unlock()
	if dropped > 0 {
		c.log.Warn("recherches non comptées : trop de cas différents entre deux écritures", "nombre", dropped)
	}
	counts := make([]store.DemandCount, 0, len(pending))
	for cell, n := range pending {
		counts = append(counts, store.DemandCount{DemandCell: cell, Count: n.unmet, Searches: n.searches})
	}
	n, err := c.st.AddDemand(ctx, c.instance, counts)
	if err != nil {
		// Keep what the store did not take, for the next flush.
		c.mu.Lock()
		for _, dc := range counts[n:] {
			if p, ok := c.pending[dc.DemandCell]; ok || len(c.pending) < maxPending {
				p.unmet += dc.Count
				p.searches += dc.Searches
				c.pending[dc.DemandCell] = p
			}
		}
		c.mu.Unlock()
	}
	return err
}

// Run flushes every interval until ctx ends, then once more.
func (c *Counter) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			if err := c.Flush(final); err != nil {
				c.log.Error("recherches comptées : écriture", "erreur", err)
			}
			cancel()
			return
		case <-t.C:
			if err := c.Flush(ctx); err != nil {
				c.log.Error("recherches comptées : écriture", "erreur", err)
			}
		}
	}
}

// Dimensions choose what a report tells apart; the others are summed.
type Dimensions struct{ Day, Commune, Thematique, Words bool }

// Few stands in a report for a count of 1 to MinCount-1, too small to show.
const Few = -1

// Report returns the counts of the days from..to (Paris dates, included),
// summed over the instances and over the dimensions not asked for, largest
// first (searches without result, then searches). A cell with both counts
// under min (MinCount at least) is left out; in the others, a count under it
// but not zero reads Few.
func Report(ctx context.Context, st Store, from, to time.Time, by Dimensions, min int) ([]store.DemandCount, error) {
	counts, err := st.Demand(ctx, from.In(directory.Paris).Format(time.DateOnly), to.In(directory.Paris).Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	sums := map[store.DemandCell]store.DemandCount{}
	for _, c := range counts {
		cell := c.DemandCell
		if !by.Day {
			cell.Day = ""
		}
		if !by.Commune {
			cell.Commune = ""
		}
		if !by.Thematique {
			cell.Thematique = ""
		}
		if !by.Words {
			cell.Words = ""
		}
		s := sums[cell]
		s.DemandCell = cell
		s.Count += c.Count
		s.Searches += c.Searches
		sums[cell] = s
	}
	k := max(min, MinCount)
	hide := func(n int) int {
		if n > 0 && n < k {
			return Few
		}
		return n
	}
	var out []store.DemandCount
	for _, s := range sums {
		if s.Count >= k || s.Searches >= k {
			s.Count, s.Searches = hide(s.Count), hide(s.Searches)
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b store.DemandCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		if a.Searches != b.Searches {
			return b.Searches - a.Searches
		}
		return strings.Compare(demandKey(a.DemandCell), demandKey(b.DemandCell))
	})
	return out, nil
}

func demandKey(c store.DemandCell) string {
	return c.Day + "|" + c.Commune + "|" + c.Thematique + "|" + c.Words
}

// Report is Report on the counter's store.
func (c *Counter) Report(ctx context.Context, from, to time.Time, by Dimensions, min int) ([]store.DemandCount, error) {
	return Report(ctx, c.st, from, to, by, min)
}
