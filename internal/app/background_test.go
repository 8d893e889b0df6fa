package app

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/app/apptest"
)

// Background passes run one at a time, each again no sooner than
// paceFactor times its last duration after it ended, and only when due.
func TestBackgroundPacesPassesOneAtATime(t *testing.T) {
	m := &Main{Logger: apptest.QuietLogger()}
	var running, overlaps atomic.Int32
	var mu sync.Mutex
	type run struct{ start, end time.Time }
	runs := map[string][]run{}
	work := func(name string, d time.Duration, err error) func(context.Context) error {
		return func(ctx context.Context) error {
			if running.Add(1) > 1 {
				overlaps.Add(1)
			}
			defer running.Add(-1)
			start := time.Now()
			time.Sleep(d)
			mu.Lock()
			runs[name] = append(runs[name], run{start, time.Now()})
			mu.Unlock()
			return err
		}
	}
	always := func() bool { return true }
	passes := []*pass{
		{name: "slow", due: always, run: work("slow", 30*time.Millisecond, nil)},
		{name: "failing", due: always, run: work("failing", 10*time.Millisecond, errors.New("boom"))},
		{name: "quick", due: always, every: 50 * time.Millisecond, run: work("quick", time.Millisecond, nil)},
		{name: "idle", due: func() bool { return false }, run: work("idle", 0, nil)},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	m.background(ctx, passes, 2*time.Millisecond)

	mu.Lock()
	defer mu.Unlock()
	if overlaps.Load() > 0 {
		t.Errorf("%d passes ran while another was running", overlaps.Load())
	}
	if len(runs["idle"]) > 0 {
		t.Errorf("a pass with nothing to do ran %d times", len(runs["idle"]))
	}
	for _, name := range []string{"slow", "failing", "quick"} {
		rs := runs[name]
		if len(rs) < 2 {
			t.Fatalf("%s ran %d times in 1.5 s, want at least 2", name, len(rs))
		}
		for i := 1; i < len(rs); i++ {
			took, gap := rs[i-1].end.Sub(rs[i-1].start), rs[i].start.Sub(rs[i-1].end)
			if gap < paceFactor*took {
				t.Errorf("%s ran again %v after a run of %v, want ≥ %d×", name, gap, took, paceFactor)
			}
		}
	}
	if q := runs["quick"]; len(q) > 1500/50+1 {
		t.Errorf("quick pass ran %d times in 1.5 s with a 50 ms interval", len(q))
	} else if gap := q[1].start.Sub(q[0].end); gap < 50*time.Millisecond {
		t.Errorf("quick pass ran again after %v, want its interval of 50 ms", gap)
	}
}
