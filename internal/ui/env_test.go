package ui_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/config"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
	"github.com/repere-spie/repere/internal/store"
	"github.com/repere-spie/repere/internal/ui"
)

// testNow is the clock of the pages under test: Tuesday 10 March 2026,
// 10:00 in Paris.
var testNow = time.Date(2026, 3, 10, 10, 0, 0, 0, directory.Paris)

// env is the real site under test: the geography snapshot, an embedded
// store and an index holding the fixtures. It is built once per test binary
// and only read by the tests.
type env struct {
	gaz   *geo.Gazetteer
	store *store.Store
	index *indexer.Index
	app   *fiber.App
	fx    fixtures
}

var (
	shared    env
	sharedErr error
	once      sync.Once
	cleanup   []func()
)

func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(cleanup) - 1; i >= 0; i-- {
		cleanup[i]()
	}
	os.Exit(code)
}

// moduleRoot walks up from the working directory to go.mod.
func moduleRoot(t testing.TB) string {
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

// sharedDir is $REPERE_SHARED_DIR, by default ../shared beside the module.
func sharedDir(t testing.TB) string {
	if d := os.Getenv("REPERE_SHARED_DIR"); d != "" {
		return d
	}
	return filepath.Join(moduleRoot(t), "..", "shared")
}

var geoOnce struct {
	sync.Once
	geo *directory.Geography
	gaz *geo.Gazetteer
	err error
}

// gazetteer loads the geography snapshot once per test binary.
func gazetteer(t testing.TB) *geo.Gazetteer {
	t.Helper()
	dir := filepath.Join(sharedDir(t), "geodata")
	geoOnce.Do(func() {
		g, err := geo.Load(context.Background(), geo.Dir(dir))
		if err != nil {
			geoOnce.err = fmt.Errorf("load %s: %w", dir, err)
			return
		}
		geoOnce.geo, geoOnce.gaz = g, geo.NewGazetteer(g)
	})
	if geoOnce.err != nil {
		t.Fatal(geoOnce.err)
	}
	return geoOnce.gaz
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// testEnv returns the shared site, building it on first use.
func testEnv(t testing.TB) *env {
	t.Helper()
	gaz := gazetteer(t)
	once.Do(func() {
		shared, sharedErr = newEnv(gaz, "")
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return &shared
}

// newEnv starts a store and an index in temporary folders, loads the
// fixtures and builds the app. tiles is the map background URL ("" for none).
func newEnv(gaz *geo.Gazetteer, tiles string) (env, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "repere-ui-test-")
	if err != nil {
		return env{}, err
	}
	cleanup = append(cleanup, func() { os.RemoveAll(dir) })
	st, err := store.Open(ctx, store.Config{DataDir: dir, Logger: quietLogger()})
	if err != nil {
		return env{}, err
	}
	cleanup = append(cleanup, func() { st.Close(context.Background()) })
	fx := newFixtures(gaz)
	if err := st.InsertStructures(ctx, fx.structures); err != nil {
		return env{}, err
	}
	if err := st.InsertServices(ctx, fx.services); err != nil {
		return env{}, err
	}
	idx, err := indexer.Open(filepath.Join(dir, "index"), gaz)
	if err != nil {
		return env{}, err
	}
	cleanup = append(cleanup, func() { idx.Close() })
	if err := idx.Rebuild(ctx, st, nil); err != nil {
		return env{}, err
	}
	app, err := newApp(gaz, st, idx, tiles)
	if err != nil {
		return env{}, err
	}
	return env{gaz: gaz, store: st, index: idx, app: app, fx: fx}, nil
}

func newApp(gaz *geo.Gazetteer, st *store.Store, idx *indexer.Index, tiles string) (*fiber.App, error) {
	cfg, err := config.Load(func(string) string { return "" }, nil)
	if err != nil {
		return nil, err
	}
	cfg.BaseURL = "https://repere.example"
	return ui.New(ui.Deps{
		Config: cfg, Store: st, Gazetteer: gaz, Index: idx, Logger: quietLogger(),
		Stats: func() ui.Stats { return ui.Stats{Services: 42, Structures: 4, Communes: 34969, Demo: true} },
		Site:  ui.Site{TilesURL: tiles, TilesAttribution: "Fond de test", ContactEmail: "signalement@repere.example"},
		Now:   func() time.Time { return testNow },
	})
}

// response is a page fetched from the app.
type response struct {
	status int
	header http.Header
	body   string
	doc    *goquery.Document
}

// get requests path from the app, without following redirects.
func (e *env) get(t testing.TB, path string, headers ...string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := e.app.Test(req, 30_000)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: string(b)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		if r.doc, err = goquery.NewDocumentFromReader(strings.NewReader(r.body)); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	return r
}

// text is the whitespace-normalised text of the selection.
func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }
