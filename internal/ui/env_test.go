package ui_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/app"
	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/catalog"
	"github.com/repere-spie/repere/internal/config"
	"github.com/repere-spie/repere/internal/demand"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
	"github.com/repere-spie/repere/internal/observatory"
	"github.com/repere-spie/repere/internal/opendata"
	"github.com/repere-spie/repere/internal/store"
)

// testNow is the clock of the pages under test: Tuesday 10 March 2026,
// 10:00 in Paris.
var testNow = time.Date(2026, 3, 10, 10, 0, 0, 0, directory.Paris)

// env is the real site under test: the geography snapshot, an embedded
// store and an index holding the fixtures. It is built once per test binary
// and only read by the tests.
type env struct {
	gaz     *geo.Gazetteer
	store   *store.Store
	index   *indexer.Index
	catalog *catalog.Catalog
	demand  *demand.Counter
	data    *opendata.Data
	app     *fiber.App
	obs     *observatory.Observatory
	fx      fixtures
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

// gazetteer is the geography snapshot, loaded once per test binary.
func gazetteer(t testing.TB) *geo.Gazetteer {
	t.Helper()
	_, gaz := apptest.Geography(t)
	return gaz
}

// testEnv returns the shared site, building it on first use.
func testEnv(t testing.TB) *env {
	t.Helper()
	once.Do(func() {
		shared, sharedErr = newEnv(t, "")
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return &shared
}

// startSite opens the site through app.Main, as the binary does, with the
// geography snapshot already loaded. Parts set in m (a store, an index) are
// reused; fill, when given, writes fixtures into the store before the index
// is built from it.
func startSite(t testing.TB, m *app.Main, fill func(*store.Store) error) error {
	ctx := context.Background()
	m.Logger = apptest.QuietLogger()
	m.Geography, m.Gazetteer = apptest.Geography(t)
	if err := m.OpenStore(ctx); err != nil {
		return err
	}
	if fill != nil {
		if err := fill(m.Store); err != nil {
			return err
		}
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	// The observatory computes its coverage in Run, which tests do not
	// call: compute it once here.
	return m.Observatory.Refresh(ctx)
}

// siteConfig is the configuration of the public pages under test, on dir,
// with the map background tiles ("" for none).
func siteConfig(t testing.TB, dir, tiles string) *config.Config {
	cfg := apptest.Config(t, dir)
	cfg.BaseURL = "https://repere.example"
	cfg.TilesURL, cfg.TilesAttribution = tiles, "Fond de test"
	cfg.ContactEmail = "signalement@repere.example"
	return cfg
}

// newEnv starts a site on a temporary store holding the fixtures, marked as
// demo data. tiles is the map background URL ("" for none).
func newEnv(t testing.TB, tiles string) (env, error) {
	dir, err := os.MkdirTemp("", "repere-ui-test-")
	if err != nil {
		return env{}, err
	}
	cleanup = append(cleanup, func() { os.RemoveAll(dir) })
	m := &app.Main{Config: siteConfig(t, dir, tiles), Now: func() time.Time { return testNow }}
	cleanup = append(cleanup, m.Close)
	fx := newFixtures(gazetteer(t))
	err = startSite(t, m, func(st *store.Store) error {
		ctx := context.Background()
		if err := st.InsertStructures(ctx, fx.structures); err != nil {
			return err
		}
		if err := st.InsertServices(ctx, fx.services); err != nil {
			return err
		}
		return st.SetDemoInfo(ctx, store.DemoInfo{Seed: 1, Services: len(fx.services), Structures: len(fx.structures), GeneratedAt: testNow})
	})
	if err != nil {
		return env{}, err
	}
	return env{gaz: m.Gazetteer, store: m.Store, index: m.Index, catalog: m.Catalog, demand: m.Demand, data: m.OpenData, app: m.App, obs: m.Observatory, fx: fx}, nil
}

// newApp serves another site on an open store and index (its data
// directory is not used), with the clock of the tests and the map
// background tiles ("" for none).
func newApp(t testing.TB, st *store.Store, idx *indexer.Index, tiles string) (*fiber.App, error) {
	m := &app.Main{Config: siteConfig(t, os.TempDir(), tiles), Store: st, Index: idx, Now: func() time.Time { return testNow }}
	if err := startSite(t, m, nil); err != nil {
		return nil, err
	}
	return m.App, nil
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
	return e.request(t, http.MethodGet, path, headers...)
}

// request sends a request without a body.
func (e *env) request(t testing.TB, method, path string, headers ...string) response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := e.app.Test(req, 30_000)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
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
