// Package apptest holds what the tests of several packages need to start
// the site through app.Main: the shared reference data beside the project,
// a test configuration, the geography snapshot loaded once per test binary.
package apptest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/config"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// ModuleRoot walks up from the working directory to go.mod.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// SharedDir is $REPERE_SHARED_DIR, by default ../shared beside the module.
func SharedDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("REPERE_SHARED_DIR"); d != "" {
		return d
	}
	return filepath.Join(ModuleRoot(t), "..", "shared")
}

// GeoDir is the geography snapshot in the shared data.
func GeoDir(t testing.TB) string { return filepath.Join(SharedDir(t), "geodata") }

// Config is the configuration of a test site on dataDir: the embedded store,
// the geography snapshot, 300 demo services generated when the store is
// empty (a store given fixtures first is left alone), warnings only.
func Config(t testing.TB, dataDir string) *config.Config {
	t.Helper()
	env := map[string]string{
		"REPERE_DATA_DIR":      dataDir,
		"REPERE_GEO_SOURCE":    GeoDir(t),
		"REPERE_DEMO":          "true",
		"REPERE_DEMO_SERVICES": "300",
		"REPERE_LOG_LEVEL":     "warn",
		// Tests ask the API far faster than a client may: those of the
		// limit set their own.
		"REPERE_API_RATE": "0",
	}
	cfg, err := config.Load(func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// QuietLogger discards every record, and says so: progress reports are skipped too.
func QuietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelError + 1}))
}

var geography struct {
	sync.Once
	geo *directory.Geography
	gaz *geo.Gazetteer
	err error
}

// Geography loads the snapshot once per test binary (a test site given it
// skips importing it into its store).
func Geography(t testing.TB) (*directory.Geography, *geo.Gazetteer) {
	t.Helper()
	dir := GeoDir(t)
	geography.Do(func() {
		g, err := geo.Load(context.Background(), geo.Dir(dir))
		if err != nil {
			geography.err = fmt.Errorf("load %s: %w", dir, err)
			return
		}
		geography.geo, geography.gaz = g, geo.NewGazetteer(g)
	})
	if geography.err != nil {
		t.Fatal(geography.err)
	}
	return geography.geo, geography.gaz
}

// Clock is a time that tests set by hand, for the Now of the site and its
// parts; safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// Paris reads "2006-01-02 15:04" in Paris time.
func Paris(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, directory.Paris)
	if err != nil {
		panic(err)
	}
	return t
}
