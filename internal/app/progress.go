package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"
)

// progress prints per-step counts with a rate, at most once a second and at
// the end of each step, so long jobs show they are moving in a terminal and
// in logs alike.
type progress struct {
	w     io.Writer
	step  string
	start time.Time
	last  time.Time
}

// progress reports the steps of a long job on stderr, unless the log level
// hides information.
func (m *Main) progress(ctx context.Context) *progress {
	if !m.Logger.Enabled(ctx, slog.LevelInfo) {
		return &progress{w: io.Discard}
	}
	return &progress{w: os.Stderr}
}

func (p *progress) update(step string, done, total int) {
	now := time.Now()
	if step != p.step {
		p.step, p.start, p.last = step, now, time.Time{}
	}
	if done < total && now.Sub(p.last) < time.Second {
		return
	}
	p.last = now
	elapsed := now.Sub(p.start).Seconds()
	rate := "       – /s" // no rate from a single sample
	if elapsed > 0.05 {
		rate = fmt.Sprintf("%8.0f /s", float64(done)/elapsed)
	}
	pct := 100
	if total > 0 {
		pct = done * 100 / total
	}
	fmt.Fprintf(p.w, "  %-14s %7d / %-7d %3d %%  %s  %6.1f s\n", step, done, total, pct, rate, elapsed)
}
