package opendata

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// How often the snapshot is rebuilt: when the data have changed, at most
// every RefreshEvery; in any case once a day (suspensions end, and records
// leave the offer, without any write).
const (
	RefreshEvery = 5 * time.Minute
	refreshDaily = 24 * time.Hour
)

// current is the snapshot in use, built on first need.
func (d *Data) current(ctx context.Context) (*snapshot, error) {
	if s := d.snap.Load(); s != nil {
		return s, nil
	}
	d.build1.Lock()
	defer d.build1.Unlock()
	if s := d.snap.Load(); s != nil {
		return s, nil
	}
	return d.refresh(ctx)
}

// Refresh builds a new snapshot and its files now, and puts them in use.
func (d *Data) Refresh(ctx context.Context) error {
	d.build1.Lock()
	defer d.build1.Unlock()
	_, err := d.refresh(ctx)
	return err
}

func (d *Data) refresh(ctx context.Context) (*snapshot, error) {
	d.touched.Store(false)
	start := time.Now()
	s, err := d.build(ctx)
	if err != nil {
		return nil, err
	}
	// Readers of the old snapshot keep its open file; its directory goes
	// now (on Linux an open file outlives its name).
	if old := d.snap.Swap(s); old != nil {
		os.RemoveAll(filepath.Join(d.cfg.Dir, old.gen))
	}
	d.cfg.Logger.Info("données ouvertes régénérées", "services", len(s.services), "structures", len(s.structures),
		"durée", time.Since(start).Round(time.Millisecond))
	return s, nil
}

// Touch says that a structure changed, which the index revision may not
// show (a structure without services).
func (d *Data) Touch() { d.touched.Store(true) }

// Stale reports whether the snapshot should be rebuilt: it changed, and
// the last one is RefreshEvery old, or it is a day old.
func (d *Data) Stale() bool {
	s := d.snap.Load()
	if s == nil {
		return true
	}
	age := time.Since(s.at)
	changed := d.touched.Load() || d.cfg.Index.Revision() != s.rev
	return age >= refreshDaily || changed && age >= RefreshEvery
}

// RemoveStray removes the generations a stopped process left. Another
// process may share the directory: only those a day old go.
func (d *Data) RemoveStray() {
	entries, _ := os.ReadDir(d.cfg.Dir)
	for _, e := range entries {
		info, err := e.Info()
		if err == nil && e.IsDir() && strings.HasPrefix(e.Name(), "gen-") && time.Since(info.ModTime()) > refreshDaily {
			os.RemoveAll(filepath.Join(d.cfg.Dir, e.Name()))
		}
	}
}
