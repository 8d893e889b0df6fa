package ui_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/catalog"
	"github.com/repere-spie/repere/internal/datainclusion/schema"
	"github.com/repere-spie/repere/internal/directory"
)

type listPage struct {
	Items      []map[string]any `json:"items"`
	Size       int              `json:"size"`
	NextCursor string           `json:"next_cursor"`
	Next       string           `json:"next"`
}

// walkAPI reads a whole listing from path (with its query), following
// next_cursor, and returns its records. Each page is checked: status, size,
// the Link header, and between is called before the next page.
func walkAPI(t *testing.T, e *env, path string, between func(page int)) []map[string]any {
	t.Helper()
	var all []map[string]any
	next := path
	for page := 0; next != ""; page++ {
		r := e.get(t, next)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", next, r.status, r.body)
		}
		var p listPage
		if err := json.Unmarshal([]byte(r.body), &p); err != nil {
			t.Fatal(err)
		}
		if p.Size != len(p.Items) {
			t.Fatalf("size %d for %d items", p.Size, len(p.Items))
		}
		all = append(all, p.Items...)
		if p.NextCursor == "" {
			if r.header.Get("Link") != "" || p.Next != "" {
				t.Fatalf("last page with a next link: %q %q", r.header.Get("Link"), p.Next)
			}
			break
		}
		u, err := url.Parse(p.Next)
		if err != nil || u.Query().Get("cursor") != p.NextCursor || !strings.HasPrefix(p.Next, "https://repere.example/api/v1/") {
			t.Fatalf("next %q for cursor %q", p.Next, p.NextCursor)
		}
		if r.header.Get("Link") != "<"+p.Next+`>; rel="next"` {
			t.Fatalf("Link header %q", r.header.Get("Link"))
		}
		next = u.RequestURI()
		if between != nil {
			between(page)
		}
	}
	return all
}

func v1Schema(t *testing.T, name string) *schema.Schema {
	t.Helper()
	s, err := schema.Load(apptest.SharedDir(t), name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkRecords validates every record against the v1 schema, exactly its
// fields.
func checkRecords(t *testing.T, s *schema.Schema, records []map[string]any) {
	t.Helper()
	failures := 0
	for _, rec := range records {
		if errs := s.CheckObject(rec); len(errs) > 0 {
			if failures++; failures <= 10 {
				t.Errorf("record %v: %s", rec["id"], strings.Join(errs, "\n\t"))
			}
		}
	}
}

func ids(records []map[string]any) []string {
	out := make([]string, len(records))
	for i, r := range records {
		out[i] = r["id"].(string)
	}
	return out
}

func TestAPIServicesListing(t *testing.T) {
	e := testEnv(t)
	var want []string
	for _, s := range e.fx.services {
		if s.Visible(testNow) {
			want = append(want, s.ID)
		}
	}
	slices.Sort(want)
	got := walkAPI(t, e, "/api/v1/services?size=4", nil)
	if !slices.Equal(ids(got), want) {
		t.Fatalf("listing %v\nwant %v", ids(got), want)
	}
	checkRecords(t, v1Schema(t, "service.json"), got)

	var hostile map[string]any
	for _, r := range got {
		if r["id"] == e.fx.hostile.ID {
			hostile = r
		}
	}
	if hostile["lien_mobilisation"] != nil {
		t.Errorf("a javascript: link published: %v", hostile["lien_mobilisation"])
	}

	// Filters.
	since := testNow.AddDate(0, 0, -20).Format(time.DateOnly)
	for _, tt := range []struct {
		query string
		keep  func(*directory.Service) bool
	}{
		{"code_departement=37", func(s *directory.Service) bool { return strings.HasPrefix(s.CodeInsee, "37") }},
		{"code_departement=86&maj_depuis=" + since, func(s *directory.Service) bool {
			return strings.HasPrefix(s.CodeInsee, "86") && s.UpdatedAt.Format(time.DateOnly) >= since
		}},
		{"source=test&size=1000", func(*directory.Service) bool { return true }},
		{"source=dora", func(*directory.Service) bool { return false }},
	} {
		var want []string
		for _, s := range e.fx.services {
			if s.Visible(testNow) && tt.keep(s) {
				want = append(want, s.ID)
			}
		}
		slices.Sort(want)
		if got := ids(walkAPI(t, e, "/api/v1/services?"+tt.query, nil)); !slices.Equal(got, want) && (len(got) > 0 || len(want) > 0) {
			t.Errorf("%s: %v\nwant %v", tt.query, got, want)
		}
	}
}

func TestAPIStructures(t *testing.T) {
	e := testEnv(t)
	got := walkAPI(t, e, "/api/v1/structures?size=2", nil)
	var want []string
	for _, st := range e.fx.structures {
		want = append(want, st.ID)
	}
	slices.Sort(want)
	if !slices.Equal(ids(got), want) {
		t.Fatalf("structures %v, want %v", ids(got), want)
	}
	checkRecords(t, v1Schema(t, "structure.json"), got)

	r := e.get(t, "/api/v1/structures/"+e.fx.garageSt.ID)
	var one map[string]any
	if err := json.Unmarshal([]byte(r.body), &one); err != nil || r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if one["siret"] != "12345678900012" || !strings.HasPrefix(one["url"].(string), "https://repere.example/structures/"+e.fx.garageSt.ID) {
		t.Errorf("structure: %v", one)
	}
	if r.header.Get("Last-Modified") == "" || r.header.Get("ETag") == "" {
		t.Errorf("headers: %v", r.header)
	}
	if r := e.get(t, "/api/v1/structures/inconnue"); r.status != 404 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("unknown structure: %d %s", r.status, r.header.Get("Content-Type"))
	}
}

// A walk with writes between its pages reads every record that stayed
// visible exactly once: records changed behind the cursor and ahead of it,
// a new one, one unpublished.
func TestAPIServicesWalkWithWrites(t *testing.T) {
	e, err := newEnv(t, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	edit := catalog.Edit{By: directory.Author{Name: "Test"}, Action: "test"}
	visible := map[string]bool{}
	for _, s := range e.fx.services {
		if s.Visible(testNow) {
			visible[s.ID] = true
		}
	}
	seen := map[string]bool{}
	var read []string
	created := ""
	if r := e.get(t, "/api/v1/services"); r.status != 200 { // the first snapshot, before any write
		t.Fatal(r.status)
	}
	got := walkAPI(t, &e, "/api/v1/services?size=5", func(page int) {
		// Change the first and the last visible service: one is behind the
		// cursor, the other ahead; both get a new date_maj.
		for _, id := range []string{e.fx.garage.ID, e.fx.tours.ID} {
			_, err := e.catalog.Change(ctx, id, edit, func(s *directory.Service) error {
				s.Description = "Modifié pendant le parcours, page " + string(rune('0'+page)) + "."
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if page == 1 {
			svc := *e.fx.creche
			svc.ID, svc.Name, svc.Version = "", "Nouvelle crèche", 0
			if err := e.catalog.Create(ctx, &svc, edit); err != nil {
				t.Fatal(err)
			}
			created = svc.ID
			_, err := e.catalog.Change(ctx, e.fx.permis.ID, edit, func(s *directory.Service) error {
				s.Status = directory.StatusArchived
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		// The listings read a snapshot, rebuilt when the data change
		// (at most every opendata.RefreshEvery): rebuild it now.
		if err := e.data.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
	})
	for _, r := range got {
		if r["id"] == e.fx.tours.ID && !strings.HasPrefix(r["description"].(string), "Modifié pendant le parcours") {
			t.Errorf("a record changed ahead of the cursor is read as it was: %v", r["description"])
		}
	}
	for _, id := range ids(got) {
		if seen[id] {
			t.Errorf("%s read twice", id)
		}
		seen[id] = true
		read = append(read, id)
	}
	for id := range visible {
		if !seen[id] && id != e.fx.permis.ID {
			t.Errorf("%s skipped", id)
		}
	}
	if !slices.IsSorted(read) {
		t.Errorf("not in id order: %v", read)
	}
	if last := read[len(read)-1]; created > last && !seen[created] || created < read[0] && seen[created] {
		t.Errorf("new record %s: read %v", created, seen[created])
	}
}

func TestAPIListingBadInput(t *testing.T) {
	e := testEnv(t)
	long := strings.Repeat("x", 300)
	for _, tt := range []struct{ query, param string }{
		{"departement=86", "departement"},
		{"code_departement=20", "code_departement"},
		{"code_departement=86&code_departement=37", "code_departement"},
		{"source=Dora%20!", "source"},
		{"maj_depuis=01/02/2026", "maj_depuis"},
		{"cursor=%%%", "cursor"},
		{"cursor=" + long, "cursor"},
		{"cursor=AAAA", "cursor"},
		{"size=0", "size"},
		{"size=1001", "size"},
		{"size=dix", "size"},
	} {
		for _, path := range []string{"/api/v1/services?", "/api/v1/structures?"} {
			r := e.get(t, path+tt.query)
			var p problemDoc
			if r.status != 400 || json.Unmarshal([]byte(r.body), &p) != nil || !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("%s%s: %d %s", path, tt.query, r.status, r.body)
				continue
			}
			if len(p.Errors) == 0 || p.Errors[0].Parameter != tt.param {
				t.Errorf("%s%s: errors %+v, want %s named", path, tt.query, p.Errors, tt.param)
			}
		}
	}
}

func TestAPIConditionalAndCORS(t *testing.T) {
	e := testEnv(t)
	for _, path := range []string{"/api/v1/services?size=3", "/api/v1/services/" + e.fx.garage.ID, "/api/v1/structures",
		"/api/v1/search/services?code_commune=86194", "/api/v1/communes?q=poit"} {
		r := e.get(t, path, "Origin", "https://autre.example")
		etag := r.header.Get("ETag")
		if r.status != 200 || etag == "" || r.header.Get("Access-Control-Allow-Origin") != "*" || r.header.Get("Cache-Control") == "" {
			t.Errorf("%s: %d %v", path, r.status, r.header)
			continue
		}
		if again := e.get(t, path, "If-None-Match", etag); again.status != http.StatusNotModified || again.body != "" {
			t.Errorf("%s with its ETag: %d %q", path, again.status, again.body)
		}
		if other := e.get(t, path, "If-None-Match", `W/"autre"`); other.status != 200 {
			t.Errorf("%s with another ETag: %d", path, other.status)
		}
		if lm := r.header.Get("Last-Modified"); lm != "" {
			if again := e.get(t, path, "If-Modified-Since", lm); again.status != http.StatusNotModified {
				t.Errorf("%s since its Last-Modified: %d", path, again.status)
			}
		}
	}
	pre := e.request(t, http.MethodOptions, "/api/v1/services", "Origin", "https://autre.example",
		"Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "if-none-match")
	if pre.status != http.StatusNoContent || !strings.Contains(pre.header.Get("Access-Control-Allow-Headers"), "If-None-Match") {
		t.Errorf("preflight: %d %v", pre.status, pre.header)
	}
}
