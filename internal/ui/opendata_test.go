package ui_test

import (
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/repere-spie/repere/internal/app"
)

// The download of a search has every result in the order of the pages, in
// each format.
func TestSearchDownloads(t *testing.T) {
	e := testEnv(t)
	const query = "code_commune=86194&sort=distance"
	var want []string
	for page := 1; ; page++ {
		_, res, _ := apiSearch(t, query+"&size=5&page="+strconv.Itoa(page))
		for _, h := range res.Results {
			want = append(want, h.ID)
		}
		if page*5 >= res.Total {
			break
		}
	}
	if len(want) < 10 {
		t.Fatalf("only %d results to download", len(want))
	}

	r := e.get(t, "/api/v1/search/services.csv?"+query)
	if r.status != 200 || r.header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.Contains(r.header.Get("Content-Disposition"), `attachment; filename="repere-recherche-`) {
		t.Fatalf("CSV: %d %v", r.status, r.header)
	}
	if !strings.HasPrefix(r.body, "\ufeff") {
		t.Error("no byte order mark")
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\ufeff")))
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Identifiant" || rows[0][1] != "Service" {
		t.Errorf("header %v", rows[0])
	}
	var got []string
	for _, row := range rows[1:] {
		got = append(got, row[0])
	}
	if !slices.Equal(got, want) {
		t.Errorf("CSV rows %v\nwant %v", got, want)
	}
	// A formula never reaches a spreadsheet; a phone number stays one.
	for _, row := range rows[1:] {
		for _, v := range row {
			if strings.HasPrefix(v, "=") || strings.HasPrefix(v, "@") {
				t.Errorf("cell %q starts a formula", v)
			}
		}
	}
	if again := e.get(t, "/api/v1/search/services.csv?"+query, "If-None-Match", r.header.Get("ETag")); again.status != http.StatusNotModified {
		t.Errorf("CSV again with its ETag: %d", again.status)
	}

	r = e.get(t, "/api/v1/search/services.xlsx?"+query)
	f, err := excelize.OpenReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatalf("XLSX: %d %v %q %v", r.status, err, r.body[:min(len(r.body), 80)], r.header)
	}
	sheet, err := f.GetRows("Services")
	if err != nil || len(sheet) != len(want)+1 || sheet[1][0] != want[0] {
		t.Errorf("XLSX: %d rows, %v", len(sheet), err)
	}

	r = e.get(t, "/api/v1/search/services.geojson?"+query)
	var fc struct {
		Type     string
		Features []struct {
			ID       string `json:"id"`
			Geometry *struct {
				Type        string
				Coordinates []float64
			}
			Properties map[string]string
		}
	}
	if err := json.Unmarshal([]byte(r.body), &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) != len(want) {
		t.Fatalf("GeoJSON: %v %s", err, r.body[:min(200, len(r.body))])
	}
	for _, f := range fc.Features {
		if f.Properties["nom"] == "" || f.ID == e.fx.garage.ID && (f.Geometry == nil || f.Geometry.Type != "Point" || len(f.Geometry.Coordinates) != 2) {
			t.Errorf("feature %+v", f)
		}
	}

	for _, bad := range []string{"page=2", "size=10", "inconnu=1", "code_commune=99999"} {
		if r := e.get(t, "/api/v1/search/services.csv?"+bad); r.status != 400 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s: %d", bad, r.status)
		}
	}
	if r := e.get(t, "/api/v1/search/services.pdf"); r.status != 404 {
		t.Errorf("pdf: %d", r.status)
	}
	// The results page links to them.
	page := e.get(t, "/recherche?"+query)
	links := page.doc.Find("#telecharger a[download]")
	if links.Length() != 3 {
		t.Fatalf("%d download links", links.Length())
	}
	if href, _ := links.First().Attr("href"); href != "/api/v1/search/services.csv?code_commune=86194&sort=distance" {
		t.Errorf("CSV link %q", href)
	}
}

// The whole-offer files hold every visible record; the page describes them.
func TestOpenDataFiles(t *testing.T) {
	e := testEnv(t)
	page := e.get(t, "/donnees")
	if page.status != 200 {
		t.Fatalf("/donnees: %d", page.status)
	}
	links := page.doc.Find("#fichiers ~ .fr-table a[download]")
	if links.Length() != 3 {
		t.Fatalf("%d files listed", links.Length())
	}
	if !strings.Contains(text(page.doc.Find("main")), "Licence Ouverte 2.0") || page.doc.Find("#sources ~ .fr-table tbody tr").Length() == 0 {
		t.Error("no licence or no sources on /donnees")
	}
	visible := 0
	for _, s := range e.fx.services {
		if s.Visible(testNow) {
			visible++
		}
	}
	services := v1Schema(t, "service.json")
	for _, name := range []string{"repere-services-datainclusion-v1.json.gz", "repere-structures-datainclusion-v1.json.gz", "repere-services-hsds-3.0.json.gz"} {
		r := e.get(t, "/donnees/"+name)
		if r.status != 200 || r.header.Get("Content-Type") != "application/gzip" || r.header.Get("Last-Modified") == "" || r.header.Get("Access-Control-Allow-Origin") != "*" {
			t.Fatalf("%s: %d %v", name, r.status, r.header)
		}
		zr, err := gzip.NewReader(strings.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		var records []map[string]any
		if err := json.Unmarshal(b, &records); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		switch {
		case strings.Contains(name, "structures"):
			if len(records) != len(e.fx.structures) {
				t.Errorf("%s: %d records", name, len(records))
			}
			checkRecords(t, v1Schema(t, "structure.json"), records)
		case strings.Contains(name, "hsds"):
			if len(records) != visible {
				t.Errorf("%s: %d records, want %d", name, len(records), visible)
			}
			checkHSDS(t, records)
		default:
			if len(records) != visible {
				t.Errorf("%s: %d records, want %d", name, len(records), visible)
			}
			checkRecords(t, services, records)
		}
		if again := e.get(t, "/donnees/"+name, "If-Modified-Since", r.header.Get("Last-Modified")); again.status != http.StatusNotModified {
			t.Errorf("%s since its date: %d", name, again.status)
		}
	}
	if r := e.get(t, "/donnees/inconnu.json.gz"); r.status != 404 {
		t.Errorf("unknown file: %d", r.status)
	}
}

// A client over its limit gets 429 with Retry-After, as a problem
// document; another client is not affected.
func TestAPIRateLimit(t *testing.T) {
	e := testEnv(t)
	cfg := siteConfig(t, t.TempDir(), "")
	cfg.APIRate, cfg.APIBurst = 0.5, 3
	// The test client comes through a proxy that says who asks.
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")}
	m := &app.Main{Config: cfg, Store: e.store, Index: e.index, Now: func() time.Time { return testNow }}
	if err := startSite(t, m, nil); err != nil {
		t.Fatal(err)
	}
	site := env{app: m.App}
	ask := func(client string) response {
		return site.get(t, "/api/v1/communes?q=poit", "X-Forwarded-For", client)
	}
	for i := range 3 {
		if r := ask("192.0.2.1"); r.status != 200 || r.header.Get("RateLimit") == "" {
			t.Fatalf("request %d: %d %v", i, r.status, r.header)
		}
	}
	r := ask("192.0.2.1")
	var p problemDoc
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "2" ||
		json.Unmarshal([]byte(r.body), &p) != nil || p.Status != 429 || !strings.Contains(p.Detail, "reprendre") {
		t.Fatalf("over the limit: %d %v %s", r.status, r.header, r.body)
	}
	if r := ask("192.0.2.2"); r.status != 200 {
		t.Errorf("another client: %d", r.status)
	}
	if r := site.get(t, "/recherche?code_commune=86194", "X-Forwarded-For", "192.0.2.1"); r.status != 200 {
		t.Errorf("the pages are not limited: %d", r.status)
	}
}
