package ui_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/repere-spie/repere/internal/ui"
)

// The security probes of issue 9, kept as tests: every route of the table
// with hostile path parameters, query strings and forms, as an anonymous
// visitor and signed in; no answer may be a 5xx.

// hostileValues are what an attacker puts anywhere.
var hostileValues = []string{
	"", "'", `"><script>alert(1)</script>`, "../../../../etc/passwd", "%00", "\x00", "\u202e\u0644gnp.exe",
	strings.Repeat("a", 5000), "-1", "99999999999999999999", "1e309", "NaN", "{{.}}", "${7*7}", "🙂",
	"/\t/evil.example", "\\\\evil.example", "javascript:alert(1)", "\r\nSet-Cookie: x=1", "%ff%fe", "[]", "{}",
}

// hostileParams are the query and form fields the site reads, and some it
// does not.
var hostileParams = []string{"q", "code_commune", "commune", "lat", "lon", "rayon", "thematiques", "types", "frais",
	"publics", "modes_accueil", "sort", "page", "size", "vue", "raccourci", "horaires", "retour", "jeton", "email",
	"mot_de_passe", "nom", "csrf", "structure", "services", "format", "x"}

// fill replaces the parameters of a route path with v.
func fill(path, v string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		switch {
		case p == "*":
			parts[i] = url.PathEscape(v)
		case strings.HasPrefix(p, ":"):
			parts[i] = url.PathEscape(v)
		case strings.Contains(p, ".:"): // flux.:format
			parts[i] = p[:strings.Index(p, ".:")+1] + url.PathEscape(v)
		}
	}
	return strings.Join(parts, "/")
}

// TestHostileInputsNo5xx is the probe: each route, each hostile value in
// its path parameters and in every parameter, by GET and HEAD or by POST.
// It counts the requests it made.
func TestHostileInputsNo5xx(t *testing.T) {
	e := partner(t)
	member := e.member(t, "Sonde")
	var probes, fives atomic.Int64
	send := func(who *visitor, method, path string, form url.Values) {
		var body io.Reader
		if form != nil {
			form.Set("csrf", who.csrf())
			body = strings.NewReader(form.Encode())
		}
		if len(path) > 4000 {
			return // over fasthttp's 4 KiB header buffer: the server refuses it before any handler
		}
		req := httptest.NewRequest(method, path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for k, v := range who.cookies {
			req.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		resp, err := e.app.Test(req, 60_000)
		probes.Add(1)
		if err != nil {
			t.Errorf("%s %.120q: %v", method, path, err)
			return
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			fives.Add(1)
			t.Errorf("%s %.120q: %d", method, path, resp.StatusCode)
		}
	}
	for _, r := range ui.Routes() {
		for _, who := range []*visitor{e.visitor(t), member} {
			for _, v := range hostileValues {
				path := fill(r.Path, v)
				if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "\r\n") {
					continue
				}
				q := url.Values{}
				for _, p := range hostileParams {
					q.Set(p, v)
				}
				switch r.Method {
				case http.MethodGet:
					send(who, http.MethodGet, path, nil)
					send(who, http.MethodGet, path+"?"+q.Encode(), nil)
					send(who, http.MethodHead, path+"?"+q.Encode(), nil)
				default:
					send(who, r.Method, path, q)
				}
			}
		}
	}
	t.Logf("%d hostile requests on %d routes, %d answered 5xx", probes.Load(), len(ui.Routes()), fives.Load())
}

// Bidi override characters never reach a page: they would show a name
// backwards.
func TestNoBidiControlsOnPages(t *testing.T) {
	e := testEnv(t)
	r := e.get(t, "/recherche?q="+url.QueryEscape("atelier \u202egpj.exe\u2066x\u2069"))
	if r.status != http.StatusOK || !strings.Contains(r.body, "atelier gpj.exex") {
		t.Fatalf("results: %d, query not shown", r.status)
	}
	if strings.ContainsAny(r.body, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") {
		t.Error("a bidi control reached the page")
	}
}

// Signed-in pages are never stored by a cache.
func TestSignedInPagesNoStore(t *testing.T) {
	e := partner(t)
	m := e.member(t, "Cache")
	for _, path := range []string{"/espace", "/compte", "/", "/recherche?code_commune=" + poitiers} {
		if p := m.get(path); p.status != http.StatusOK || p.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s signed in: %d, Cache-Control %q", path, p.status, p.header.Get("Cache-Control"))
		}
	}
	if p := e.visitor(t).get("/connexion"); p.header.Get("Cache-Control") != "no-store" {
		t.Errorf("login form: Cache-Control %q", p.header.Get("Cache-Control"))
	}
}

// TestHeadAnswersWhereGetDoes: monitors and link checkers ask with HEAD.
func TestHeadAnswersWhereGetDoes(t *testing.T) {
	e := testEnv(t)
	svc := e.get(t, "/services/"+e.fx.garage.ID).header.Get("Location")
	for _, path := range []string{"/", "/recherche?code_commune=" + poitiers, svc, "/departements", "/thematiques",
		"/sitemap.xml", "/robots.txt", "/healthz", "/api/v1/communes?q=poit", "/flux/recherche.atom?code_commune=" + poitiers} {
		get := e.get(t, path)
		resp, err := e.app.Test(httptest.NewRequest(http.MethodHead, path, nil), 30_000)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != get.status || get.status != http.StatusOK {
			t.Errorf("HEAD %s: %d, GET: %d", path, resp.StatusCode, get.status)
		}
		if len(b) != 0 {
			t.Errorf("HEAD %s has a body of %d bytes", path, len(b))
		}
		if ct := resp.Header.Get("Content-Type"); ct != get.header.Get("Content-Type") {
			t.Errorf("HEAD %s: Content-Type %q, GET %q", path, ct, get.header.Get("Content-Type"))
		}
	}
}
