package ui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/repere-spie/repere/internal/ui"
)

func init() {
	openapi3filter.RegisterBodyDecoder("application/gzip", openapi3filter.FileBodyDecoder)
	// kin-openapi reads CSV with commas; ours has semicolons, and
	// TestSearchDownloads reads it.
	openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.FileBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", openapi3filter.FileBodyDecoder)
}

// together are parameters that only make sense with another.
var together = map[string]string{"lat": "lon", "lon": "lat"}

// TestOpenAPIDescribesTheHandlers walks the OpenAPI document against the
// running handlers: the document is valid OpenAPI 3.1; every public GET
// route of the API is in it; each documented parameter, given its example,
// is accepted and the answer matches the documented schema; an
// undocumented parameter is refused with a problem document naming it,
// which matches the documented schema too.
func TestOpenAPIDescribesTheHandlers(t *testing.T) {
	e := testEnv(t)
	ctx := context.Background()
	r := e.get(t, "/api/v1/openapi.json")
	if r.status != 200 {
		t.Fatalf("openapi.json: %d", r.status)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData([]byte(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(ctx); err != nil {
		t.Fatalf("invalid OpenAPI: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}

	// Every public read of the API and the files is documented.
	for _, rt := range ui.Routes() {
		if rt.Method != http.MethodGet || !(strings.HasPrefix(rt.Path, "/api/") || strings.HasPrefix(rt.Path, "/donnees/")) {
			continue
		}
		paths := []string{rt.Path}
		if strings.HasSuffix(rt.Path, ".:format") {
			paths = nil
			for _, ext := range []string{"csv", "xlsx", "geojson"} {
				paths = append(paths, strings.TrimSuffix(rt.Path, ":format")+ext)
			}
		}
		for _, p := range paths {
			p = strings.NewReplacer(":id", "{id}", ":file", "{fichier}").Replace(p)
			if doc.Paths.Find(p) == nil {
				t.Errorf("%s is not documented", p)
			}
		}
	}

	// Path parameters of the test data.
	pathValues := map[string]string{"id": e.fx.garage.ID, "fichier": "repere-services-datainclusion-v1.json.gz"}
	checked := 0
	for path, item := range doc.Paths.Map() {
		op := item.Get
		if op == nil {
			t.Errorf("%s has no GET", path)
			continue
		}
		p := path
		if strings.HasPrefix(path, "/api/v1/structures/") {
			pathValues["id"] = e.fx.garageSt.ID
		} else {
			pathValues["id"] = e.fx.garage.ID
		}
		base := url.Values{}
		examples := map[string]string{}
		for _, pr := range op.Parameters {
			v := pr.Value
			if v.In == "path" {
				p = strings.Replace(p, "{"+v.Name+"}", pathValues[v.Name], 1)
				continue
			}
			if v.Example == nil {
				examples[v.Name] = "" // documented without an example: checked below by hand
				continue
			}
			examples[v.Name] = exampleValue(v.Example)
			if v.Required {
				base.Set(v.Name, examples[v.Name])
			}
		}
		call := func(q url.Values, want int) {
			t.Helper()
			target := p
			if len(q) > 0 {
				target += "?" + q.Encode()
			}
			resp := e.get(t, target)
			if resp.status != want {
				t.Errorf("GET %s: %d, want %d: %.300s", target, resp.status, want, resp.body)
				return
			}
			req := httptest.NewRequest(http.MethodGet, "https://repere.example"+target, nil)
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Errorf("GET %s: %v", target, err)
				return
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route}
			if want == 200 {
				if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
					t.Errorf("GET %s: the example does not match its parameter: %v", target, err)
				}
			}
			out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.status, Header: resp.header,
				Options: &openapi3filter.Options{IncludeResponseStatus: true}}
			out.SetBodyBytes([]byte(resp.body))
			if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
				t.Errorf("GET %s: the answer does not match the document: %.600v", target, err)
			}
			checked++
		}
		call(base, 200)
		for name, ex := range examples {
			if ex == "" {
				continue
			}
			q := url.Values{}
			for k, v := range base {
				q[k] = v
			}
			q.Set(name, ex)
			if other := together[name]; other != "" {
				q.Set(other, examples[other])
			}
			if name == "code_postal" || name == "lat" || name == "lon" {
				q.Del("code_commune")
			}
			call(q, 200)
		}
		// An undocumented parameter is refused, by name.
		q := url.Values{}
		for k, v := range base {
			q[k] = v
		}
		q.Set("parametre_inconnu", "1")
		resp := e.get(t, p+"?"+q.Encode())
		var prob problemDoc
		if resp.status != 400 || json.Unmarshal([]byte(resp.body), &prob) != nil || len(prob.Errors) == 0 ||
			!slices.ContainsFunc(prob.Errors, func(f struct{ Parameter, Detail string }) bool { return f.Parameter == "parametre_inconnu" }) {
			t.Errorf("GET %s with an unknown parameter: %d %.200s", path, resp.status, resp.body)
		}
		call(q, 400)
	}
	if checked < 60 {
		t.Errorf("only %d calls checked", checked)
	}
	// structure, without an example in the document, with a real id.
	if r := e.get(t, "/api/v1/search/services?structure="+e.fx.garageSt.ID); r.status != 200 {
		t.Errorf("structure: %d", r.status)
	}
}

// The page /api shows every endpoint of the document with a curl example.
func TestAPIDocumentationPage(t *testing.T) {
	e := testEnv(t)
	r := e.get(t, "/api")
	if r.status != 200 {
		t.Fatalf("/api: %d", r.status)
	}
	var doc struct {
		Paths map[string]any
	}
	if err := json.Unmarshal([]byte(e.get(t, "/api/v1/openapi.json").body), &doc); err != nil {
		t.Fatal(err)
	}
	sections := r.doc.Find("section.api__endpoint")
	if sections.Length() != len(doc.Paths) {
		t.Errorf("%d endpoints on the page, %d in the document", sections.Length(), len(doc.Paths))
	}
	for path := range doc.Paths {
		found := false
		sections.Each(func(_ int, s *goquery.Selection) {
			if text(s.Find("h3 code")) == path {
				found = true
				if curl := text(s.Find("pre code")); !strings.HasPrefix(curl, "curl 'https://repere.example/") {
					t.Errorf("%s: curl %q", path, curl)
				}
			}
		})
		if !found {
			t.Errorf("%s not on the page", path)
		}
	}
	body := text(r.doc.Find("main"))
	for _, want := range []string{"/api/v1", "Deprecation", "429", "Licence Ouverte 2.0", "sans jeton"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page does not say %q", want)
		}
	}
}

// exampleValue is an example as a query parameter: a list comma-separated.
func exampleValue(v any) string {
	if l, ok := v.([]any); ok {
		parts := make([]string, len(l))
		for i, x := range l {
			parts[i] = fmt.Sprint(x)
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v)
}
