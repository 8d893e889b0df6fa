package ui_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/indexer"
)

// maxResultsHTML is the budget of a results page before compression.
const maxResultsHTML = 60 << 10

var richOnce struct {
	sync.Once
	app *fiber.App
	err error
}

// richApp serves a synthetic directory of the Vienne and its neighbours,
// where every filter value has results: the heaviest results pages.
func richApp(t testing.TB) *fiber.App {
	e := testEnv(t)
	richOnce.Do(func() {
		dir, err := os.MkdirTemp("", "repere-ui-rich-")
		if err != nil {
			richOnce.err = err
			return
		}
		cleanup = append(cleanup, func() { os.RemoveAll(dir) })
		idx, err := indexer.Open(filepath.Join(dir, "index"), e.gaz)
		if err == nil {
			cleanup = append(cleanup, func() { idx.Close() })
			err = idx.Rebuild(context.Background(), generate(e.gaz, 3000, 7, "86", "37", "79", "16", "87", "36"), nil)
		}
		if err == nil {
			richOnce.app, err = newApp(t, e.store, idx, "")
		}
		richOnce.err = err
	})
	if richOnce.err != nil {
		t.Fatal(richOnce.err)
	}
	return richOnce.app
}

func TestResultsPageSize(t *testing.T) {
	e := &env{app: richApp(t)}
	for _, path := range []string{
		"/recherche?code_commune=" + poitiers,
		"/recherche?code_commune=" + poitiers + "&thematiques=mobilite&thematiques=famille&thematiques=sante",
		"/recherche?code_commune=" + poitiers + "&vue=carte",
	} {
		r := e.get(t, path)
		if r.status != 200 {
			t.Fatalf("%s: status %d", path, r.status)
		}
		if n := len(cards(r.doc)); n != 20 {
			t.Errorf("%s: %d cards, want a full page", path, n)
		}
		if r.doc.Find(`#filtre-publics input`).Length() < 10 {
			t.Errorf("%s: the facets are not full", path)
		}
		size := len(r.body)
		t.Logf("%s: %d bytes", path, size)
		if size > maxResultsHTML {
			t.Errorf("%s: %d bytes of HTML, budget %d", path, size, maxResultsHTML)
		}
	}
}
