package app

import (
	"context"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/observatory"
	"github.com/repere-spie/repere/internal/opendata"
)

// A pass is work of an instance over the whole offer: the start-up
// comparison of the index with the store, the home page's figures, the
// observatory's coverage, the open-data snapshot. At 1,000,000 services
// they take from seconds to minutes of both cores and hundreds of MB each;
// run together, as they were, they took an instance past 2.6 GB resident
// and both cores from serving. So one goroutine runs them one at a time,
// and a pass runs again no sooner than paceFactor times its last duration
// after it ended: each takes at most a tenth of the machine whatever the
// size of the offer, at the price of fresher figures on a big one.
type pass struct {
	name  string
	every time.Duration // least interval between two runs
	due   func() bool   // there is work to do
	run   func(context.Context) error
	next  time.Time // not before
}

const (
	paceFactor     = 9
	backgroundTick = 5 * time.Second
)

// background runs the passes until ctx ends.
func (m *Main) background(ctx context.Context, passes []*pass, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		for _, p := range passes {
			if ctx.Err() != nil {
				return
			}
			now := time.Now()
			if now.Before(p.next) || !p.due() {
				continue
			}
			err := p.run(ctx)
			took := time.Since(now)
			p.next = time.Now().Add(max(p.every, paceFactor*took))
			if err != nil && ctx.Err() == nil {
				m.Logger.Warn("travail de fond en échec", "travail", p.name, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// passes are the background passes of a serving instance, in the order
// they first run.
func (m *Main) passes() []*pass {
	reconciled := false
	statsRev := m.Index.Revision()
	drawn := false
	return []*pass{{
		// The index heals what a crash left between a store write and its
		// index write; the change log (Follow) needs no pass.
		name: "comparaison de l’index", due: func() bool { return !reconciled },
		run: func(ctx context.Context) error {
			start := time.Now()
			n, err := m.Catalog.Reconcile(ctx)
			if err != nil {
				return err
			}
			reconciled = true
			m.Logger.Info("index vérifié", "corrigés", n, "durée", time.Since(start).Round(time.Millisecond))
			return nil
		},
	}, {
		name: "chiffres de l’accueil", every: 30 * time.Second,
		due: func() bool { return !m.stats.Load().Counted || m.Index.Revision() != statsRev },
		run: func(ctx context.Context) error {
			rev := m.Index.Revision()
			if err := m.refreshStats(ctx); err != nil {
				return err
			}
			statsRev = rev
			return nil
		},
	}, {
		name: "couverture de l’observatoire", every: 2 * time.Minute,
		due: func() bool { return m.Observatory.Stale(observatory.MaxAge) },
		run: func(ctx context.Context) error {
			first := m.Observatory.Coverage() == nil
			if err := m.Observatory.Refresh(ctx); err != nil {
				return err
			}
			if first {
				cv := m.Observatory.Coverage()
				m.Logger.Info("observatoire : couverture calculée", "services", cv.Services, "durée", cv.Took.Round(time.Millisecond))
			}
			return nil
		},
	}, {
		// The map of France joins the contours of every commune (seconds
		// of work): drawn once, rather than for its first visitor.
		name: "carte de l’observatoire", due: func() bool { return !drawn && m.Observatory.Coverage() != nil },
		run: func(ctx context.Context) error {
			_, err := m.Observatory.Map(directory.France)
			drawn = true
			return err
		},
	}, {
		name: "données ouvertes", every: opendata.RefreshEvery,
		due: m.OpenData.Stale,
		run: m.OpenData.Refresh,
	}}
}
