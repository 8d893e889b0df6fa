package ui_test

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/repere-spie/repere/internal/geo"
)

// The caches of the site under concurrent requests with distinct keys: each
// answer must be its own request's, never another's (run with -race). Keys
// come from request strings that Fiber reuses once a handler returns.

// hammer runs n requests over workers goroutines; check returns what is
// wrong with the i-th answer, "" when right.
func hammer(t *testing.T, e *env, n, workers int, path func(i int) string, check func(i int, status int, body string) string) {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var wrong []string
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				resp, err := e.app.Test(httptest.NewRequest(http.MethodGet, path(i), nil), 30_000)
				if err != nil {
					t.Error(err)
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if msg := check(i, resp.StatusCode, string(b)); msg != "" {
					mu.Lock()
					wrong = append(wrong, msg)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if len(wrong) > 0 {
		t.Fatalf("%d of %d answers wrong, first: %s", len(wrong), n, wrong[0])
	}
}

func TestHoursCacheUnderConcurrency(t *testing.T) {
	e := testEnv(t)
	clock := func(m int) string {
		if m%60 == 0 {
			return fmt.Sprintf("%d h", m/60)
		}
		return fmt.Sprintf("%d h %02d", m/60, m%60)
	}
	span := func(i int) (int, int) { return 6*60 + i%300, 12*60 + (i/300)*7%480 }
	hammer(t, e, 1200, 8, func(i int) string {
		from, to := span(i)
		return "/api/v1/horaires?horaires=" + url.QueryEscape(fmt.Sprintf("Mo %02d:%02d-%02d:%02d", from/60, from%60, to/60, to%60))
	}, func(i, status int, body string) string {
		var p struct {
			Valid bool `json:"valide"`
			Days  []struct {
				Hours string `json:"horaires"`
			} `json:"jours"`
		}
		if status != http.StatusOK || json.Unmarshal([]byte(body), &p) != nil || !p.Valid || len(p.Days) != 7 {
			return fmt.Sprintf("request %d: %d %s", i, status, body)
		}
		from, to := span(i)
		if want := clock(from) + " – " + clock(to); p.Days[0].Hours != want {
			return fmt.Sprintf("request %d: Monday %q, want %q", i, p.Days[0].Hours, want)
		}
		return ""
	})
}

func TestFeedCacheUnderConcurrency(t *testing.T) {
	e := testEnv(t)
	var codes []string
	for _, cm := range e.gaz.CommunesOf("86") {
		codes = append(codes, cm.Code)
	}
	n := min(len(codes), 240)
	hammer(t, e, 2*n, 6, func(i int) string {
		return "/flux/recherche.atom?code_commune=" + codes[i%n]
	}, func(i, status int, body string) string {
		self := `href="https://repere.example/flux/recherche.atom?code_commune=` + codes[i%n] + `"`
		if status != http.StatusOK || !strings.Contains(body, self) {
			return fmt.Sprintf("feed of %s: %d, self link missing in %.300s", codes[i%n], status, body)
		}
		return ""
	})
}

func TestDepartementCountsCacheUnderConcurrency(t *testing.T) {
	e := testEnv(t)
	deps := e.gaz.Departements()
	n := min(len(deps), 8) // each computes a search per commune
	hammer(t, e, 3*n, 6, func(i int) string {
		return "/departements/" + deps[i%n].Code + "-" + geo.Slug(deps[i%n].Name)
	}, func(i, status int, body string) string {
		d := deps[i%n]
		// The page lists the communes of its own département.
		if status != http.StatusOK || !strings.Contains(body, html.EscapeString(d.Name)) {
			return fmt.Sprintf("département %s: %d", d.Code, status)
		}
		for _, cm := range e.gaz.CommunesOf(d.Code)[:1] {
			if !strings.Contains(body, cm.Code) {
				return fmt.Sprintf("département %s lacks its commune %s", d.Code, cm.Code)
			}
		}
		return ""
	})
}

func TestCatalogueCacheUnderConcurrency(t *testing.T) {
	e := testEnv(t)
	first := e.get(t, "/sitemap.xml")
	if first.status != http.StatusOK {
		t.Fatalf("sitemap: %d", first.status)
	}
	hammer(t, e, 40, 8, func(int) string { return "/sitemap.xml" }, func(i, status int, body string) string {
		if status != http.StatusOK || body != first.body {
			return fmt.Sprintf("sitemap %d differs: %d", i, status)
		}
		return ""
	})
}
