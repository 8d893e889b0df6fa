package observatory

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

// Observatory keeps the coverage of the current offer. Each instance of the
// site computes its own from its own index (a coverage is memory, not a
// document), after start-up and again when the offer changed.
type Observatory struct {
	t   *territories
	src Source
	log *slog.Logger
	now func() time.Time

	mu  sync.Mutex // one pass at a time
	cur atomic.Pointer[Coverage]

	mapOnce

	// Store is read by the freshness report by partner; nil leaves it
	// empty.
	Store PartnerSource
}

// New returns an observatory of the geography g reading src; it has no
// coverage until the first Refresh.
func New(g *directory.Geography, src Source, log *slog.Logger, now func() time.Time) *Observatory {
	if log == nil {
		log = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	return &Observatory{t: newTerritories(g), src: src, log: log, now: now}
}

// Coverage returns the latest coverage, nil before the first pass ends.
func (o *Observatory) Coverage() *Coverage { return o.cur.Load() }

// Refresh computes the coverage of the offer as it is now.
func (o *Observatory) Refresh(ctx context.Context) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	cv, err := build(ctx, o.src, o.t, o.now())
	if err != nil {
		return err
	}
	o.cur.Store(cv)
	return nil
}

// Stale reports whether the offer changed since the coverage was computed,
// or the coverage is older than maxAge (suspensions end without a write).
func (o *Observatory) Stale(maxAge time.Duration) bool {
	cv := o.cur.Load()
	return cv == nil || cv.Revision != o.src.Revision() || o.now().Sub(cv.Built) >= maxAge
}

// MaxAge is the age after which a coverage is computed again even when the
// index did not change.
const MaxAge = time.Hour

// Partners reads the freshness of the offer by partner from the store; keep
// chooses the structures (nil for all).
func (o *Observatory) Partners(ctx context.Context, now time.Time, keep func(*directory.Structure) bool) (*Partners, error) {
	if o.Store == nil {
		return &Partners{Built: now}, nil
	}
	return ReadPartners(ctx, o.Store, now, keep)
}
