package ui_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"regexp"
	"strings"
	"testing"
)

var siteCSS = regexp.MustCompile(`href="(/static/([0-9a-f]+)/site\.css)"`)

func TestStaticFiles(t *testing.T) {
	e := testEnv(t)
	m := siteCSS.FindStringSubmatch(e.get(t, "/").body)
	if m == nil {
		t.Fatal("no versioned site.css in the home page")
	}
	url, version := m[1], m[2]
	plain := e.get(t, url)
	if plain.status != 200 || !strings.HasPrefix(plain.header.Get("Content-Type"), "text/css") || !strings.Contains(plain.body, ".map-marker") {
		t.Fatalf("site.css: %d %s", plain.status, plain.header.Get("Content-Type"))
	}
	if got := plain.header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control %q", got)
	}
	for _, c := range []struct{ accept, encoding string }{
		{"gzip, deflate, br", "br"},
		{"gzip", "gzip"},
		{"br;q=0, gzip", "gzip"},
		{"identity", ""},
	} {
		r := e.get(t, url, "Accept-Encoding", c.accept)
		if got := r.header.Get("Content-Encoding"); got != c.encoding {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", c.accept, got, c.encoding)
		}
		if r.header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: no Vary", c.accept)
		}
		if c.encoding == "gzip" {
			zr, err := gzip.NewReader(strings.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(zr)
			if !bytes.Equal(b, []byte(plain.body)) || len(r.body) >= len(plain.body) {
				t.Errorf("gzip body: %d bytes for %d", len(r.body), len(plain.body))
			}
		}
	}
	if r := e.get(t, url, "If-None-Match", plain.header.Get("ETag")); r.status != 304 {
		t.Errorf("conditional request: %d", r.status)
	}
	old := e.get(t, strings.Replace(url, version, "000000000000", 1))
	if old.status != 200 || old.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("old version: %d %q", old.status, old.header.Get("Cache-Control"))
	}
	if r := e.get(t, "/static/"+version+"/nope.css"); r.status != 404 {
		t.Errorf("missing file: %d", r.status)
	}
	page := e.get(t, "/", "Accept-Encoding", "gzip")
	if page.header.Get("Content-Encoding") != "gzip" {
		t.Errorf("pages are not compressed: %q", page.header.Get("Content-Encoding"))
	}
}
