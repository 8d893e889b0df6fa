// Package demand counts the searches that found nothing: the demand the
// offer does not meet, by day, commune, thématique and searched words, for
// the observatory of gaps. It keeps no personal data: no query as typed, no
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

// Search is a search that found nothing, as the counter sees it.
type Search struct {
	Commune     string   // INSEE code of the commune searched; "" for all of France
	Thematiques []string // the thématique filters, or the ones its words point to
	Words       []string // the words searched, stop and request words left out
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
	pending map[store.DemandCell]int
	dropped int
}

// New returns a counter writing to st under a new instance identifier.
func New(st Store, log *slog.Logger) *Counter {
	var b [6]byte
	_, _ = rand.Read(b[:])
	if log == nil {
		log = slog.Default()
	}
	return &Counter{st: st, instance: hex.EncodeToString(b[:]), now: time.Now, log: log, pending: map[store.DemandCell]int{}}
}

// Record counts s, once per thématique (once without one).
func (c *Counter) Record(s Search) {
	cell := store.DemandCell{
		Day:     c.now().In(directory.Paris).Format(time.DateOnly),
		Commune: s.Commune,
		Words:   Normalize(s.Words),
	}
	themes := slices.Compact(slices.Sorted(slices.Values(s.Thematiques)))
	if len(themes) == 0 {
		themes = []string{""}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, t := range themes {
		cell.Thematique = t
		if _, ok := c.pending[cell]; !ok && len(c.pending) >= maxPending {
			c.dropped++
			continue
		}
		c.pending[cell]++
	}
}

// Normalize reduces searched words to what the counts keep: folded, without
// any word holding a figure (a telephone, a date of birth, a file number),
// at most maxWords words of at most maxWordRunes letters, sorted, each once.
func Normalize(words []string) string {
	var out []string
	for _, w := range words {
		for _, f := range strings.Fields(geo.Fold(w)) {
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

// Flush adds the counts kept so far to the store. On failure they are kept
// for the next flush.
func (c *Counter) Flush(ctx context.Context) error {
	c.mu.Lock()
	pending, dropped := c.pending, c.dropped
	c.pending, c.dropped = map[store.DemandCell]int{}, 0
	c.mu.Unlock()
	if dropped > 0 {
		c.log.Warn("recherches sans résultat non comptées : trop de cas différents entre deux écritures", "nombre", dropped)
	}
	counts := make([]store.DemandCount, 0, len(pending))
	for cell, n := range pending {
		counts = append(counts, store.DemandCount{DemandCell: cell, Count: n})
	}
	n, err := c.st.AddDemand(ctx, c.instance, counts)
	if err != nil {
		// Keep what the store did not take, for the next flush.
		c.mu.Lock()
		for _, dc := range counts[n:] {
			if _, ok := c.pending[dc.DemandCell]; ok || len(c.pending) < maxPending {
				c.pending[dc.DemandCell] += dc.Count
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
				c.log.Error("recherches sans résultat : écriture", "erreur", err)
			}
			cancel()
			return
		case <-t.C:
			if err := c.Flush(ctx); err != nil {
				c.log.Error("recherches sans résultat : écriture", "erreur", err)
			}
		}
	}
}

// Dimensions choose what a report tells apart; the others are summed.
type Dimensions struct{ Day, Commune, Thematique, Words bool }

// Report returns the counts of the days from..to (Paris dates, included),
// summed over the instances and over the dimensions not asked for, without
// the counts under min (MinCount at least), largest first.
func Report(ctx context.Context, st Store, from, to time.Time, by Dimensions, min int) ([]store.DemandCount, error) {
	counts, err := st.Demand(ctx, from.In(directory.Paris).Format(time.DateOnly), to.In(directory.Paris).Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	sums := map[store.DemandCell]int{}
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
		sums[cell] += c.Count
	}
	var out []store.DemandCount
	for cell, n := range sums {
		if n >= max(min, MinCount) {
			out = append(out, store.DemandCount{DemandCell: cell, Count: n})
		}
	}
	slices.SortFunc(out, func(a, b store.DemandCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(demandKey(a.DemandCell), demandKey(b.DemandCell))
	})
	return out, nil
}

func demandKey(c store.DemandCell) string {
	return c.Day + "|" + c.Commune + "|" + c.Thematique + "|" + c.Words
}
