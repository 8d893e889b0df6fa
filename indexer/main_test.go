package indexer

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// sharedDir finds the shared reference folder: REPERE_SHARED_DIR, else
// ../shared beside the module root.
func sharedDir(tb testing.TB) string {
	if d := os.Getenv("REPERE_SHARED_DIR"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

var (
	geoOnce sync.Once
	geoData *directory.Geography
	gazette *geo.Gazetteer
	geoErr  error
)

// gazetteer loads the real geography once per test binary.
func gazetteer(tb testing.TB) (*geo.Gazetteer, *directory.Geography) {
	geoOnce.Do(func() {
		geoData, geoErr = geo.Load(context.Background(), geo.Dir(filepath.Join(sharedDir(tb), "geodata")))
		if geoErr == nil {
			gazette = geo.NewGazetteer(geoData)
		}
	})
	if geoErr != nil {
		tb.Fatalf("load geography: %v", geoErr)
	}
	return gazette, geoData
}

// memSource is a Source over slices, for rebuilds in tests. (The store
// implements Source for real; the indexer tests do not need a database.)
type memSource struct {
	services   []*directory.Service
	structures map[string]*directory.Structure
	delay      time.Duration // per service, to keep a rebuild running
}

func (m *memSource) EachService(ctx context.Context, fn func(*directory.Service) error) error {
	for _, s := range m.services {
		if err := ctx.Err(); err != nil {
			return err
		}
		if m.delay > 0 {
			time.Sleep(m.delay)
		}
		if err := fn(s); err != nil {
			return err
		}
	}
	return nil
}

func (m *memSource) Structure(ctx context.Context, id string) (*directory.Structure, error) {
	if st, ok := m.structures[id]; ok {
		return st, nil
	}
	return nil, directory.Errorf(directory.ENOTFOUND, "Structure introuvable.")
}

// commune is a commune of the geography snapshot, loaded by then; nil for an
// unknown code.
func commune(code string) *directory.Commune {
	c, _ := gazette.Commune(code)
	return c
}

// locate is the commune at a position, as directory.ParseSearch finds it.
func locate(lat, lon float64) *directory.Commune {
	c, _ := gazette.Locate(orb.Point{lon, lat})
	return c
}
