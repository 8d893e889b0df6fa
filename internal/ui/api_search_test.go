package ui_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

type apiResult struct {
	Total  int `json:"total"`
	Page   int `json:"page"`
	Size   int `json:"size"`
	Centre *struct {
		Coordinates [2]float64 `json:"coordinates"`
	} `json:"centre"`
	Commune *struct{ Code, Nom string } `json:"commune"`
	Results []struct {
		ID          string `json:"id"`
		Nom         string `json:"nom"`
		URL         string `json:"url"`
		DistanceM   *int   `json:"distance_m"`
		ADistance   bool   `json:"a_distance"`
		DateMaj     string `json:"date_maj"`
		Thematiques []struct{ Value, Label string }
		Structure   struct{ ID, Nom string }
	} `json:"results"`
	Facets map[string][]struct {
		Value, Label string
		Count        int
	} `json:"facets"`
}

// problemDoc is an RFC 9457 problem document as the API sends it.
type problemDoc struct {
	Type, Title string
	Status      int
	Detail      string
	Errors      []struct{ Parameter, Detail string }
}

func apiSearch(t *testing.T, query string) (int, apiResult, problemDoc) {
	t.Helper()
	r := testEnv(t).get(t, "/api/v1/search/services?"+query)
	var ok apiResult
	var p problemDoc
	if r.status == 200 {
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("%s: content type %q", query, ct)
		}
		if err := json.Unmarshal([]byte(r.body), &ok); err != nil {
			t.Fatalf("%s: %v\n%s", query, err, r.body)
		}
	} else {
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			t.Fatalf("%s: status %d with content type %q, want a problem document", query, r.status, ct)
		}
		if err := json.Unmarshal([]byte(r.body), &p); err != nil {
			t.Fatalf("%s: %v\n%s", query, err, r.body)
		}
	}
	return r.status, ok, p
}

func TestAPISearchFromACommune(t *testing.T) {
	e := testEnv(t)
	status, res, _ := apiSearch(t, "code_commune=86066&thematiques=mobilite&sort=distance")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	if res.Commune == nil || res.Commune.Code != "86066" || res.Centre == nil {
		t.Fatalf("search centre missing: %+v", res)
	}
	ids := map[string]bool{}
	for _, h := range res.Results {
		ids[h.ID] = true
		if u, err := url.Parse(h.URL); err != nil || !u.IsAbs() || !strings.Contains(h.URL, "/services/"+h.ID+"-") {
			t.Errorf("%s: page URL %q is not absolute and canonical", h.ID, h.URL)
		}
		if !h.ADistance && h.DistanceM == nil {
			t.Errorf("%s: on-site result without a distance", h.ID)
		}
		if len(h.DateMaj) != len("2006-01-02") {
			t.Errorf("%s: date_maj %q", h.ID, h.DateMaj)
		}
	}
	for _, want := range []string{e.fx.garage.ID, e.fx.permis.ID, e.fx.remote.ID} {
		if !ids[want] {
			t.Errorf("result %s missing from %v", want, ids)
		}
	}
	if ids[e.fx.tours.ID] || ids[e.fx.draft.ID] {
		t.Errorf("results include a service that does not serve Châtellerault or is not published: %v", ids)
	}
	if res.Total != len(res.Results) {
		t.Errorf("total %d for %d results on one page", res.Total, len(res.Results))
	}
	// Facet counts: ticking "payant" gives as many results as its count says.
	for _, f := range res.Facets["frais"] {
		if f.Value == "payant" {
			_, filtered, _ := apiSearch(t, "code_commune=86066&thematiques=mobilite&frais=payant")
			if filtered.Total != f.Count {
				t.Errorf("facet frais=payant counts %d, the filtered search gives %d", f.Count, filtered.Total)
			}
			return
		}
	}
	t.Errorf("no frais=payant facet in %+v", res.Facets["frais"])
}

// A postal code of one commune is that commune; of several, a 400 that
// lists them with their INSEE codes.
func TestAPISearchPostalCode(t *testing.T) {
	status, res, _ := apiSearch(t, "code_postal=86000")
	if status != 200 || res.Commune == nil || res.Commune.Code != "86194" {
		t.Fatalf("86000: status %d, commune %+v; want Poitiers 86194", status, res.Commune)
	}
	status, _, p := apiSearch(t, "code_postal=86100")
	if status != 400 || len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Detail, "Châtellerault (86066)") {
		t.Fatalf("86100: status %d, problem %+v; want the communes listed", status, p)
	}
}

// A category given with one of its besoins narrows the API search to that
// besoin, as on the results page and in the feeds.
func TestAPISearchCategoryWithBesoinNarrows(t *testing.T) {
	_, besoin, _ := apiSearch(t, "code_commune=86066&thematiques=mobilite--preparer-un-permis")
	status, both, _ := apiSearch(t, "code_commune=86066&thematiques=mobilite&thematiques=mobilite--preparer-un-permis")
	_, category, _ := apiSearch(t, "code_commune=86066&thematiques=mobilite")
	if status != 200 || both.Total != besoin.Total || both.Total >= category.Total {
		t.Fatalf("category+besoin %d (status %d), besoin %d, category %d: want the besoin's", both.Total, status, besoin.Total, category.Total)
	}
}

// A position searches from its commune, even where no contour holds it.
func TestAPISearchPositionFallsBackToNearestCommune(t *testing.T) {
	status, res, _ := apiSearch(t, "lat=48.6361&lon=-1.5115") // the abbey of Mont-Saint-Michel
	if status != 200 || res.Commune == nil || res.Commune.Code != "50353" || res.Centre == nil || res.Centre.Coordinates != [2]float64{-1.5115, 48.6361} {
		t.Fatalf("status %d, commune %+v, centre %+v", status, res.Commune, res.Centre)
	}
}

func TestAPISearchArrondissementResolves(t *testing.T) {
	status, res, _ := apiSearch(t, "code_commune=75115")
	if status != 200 || res.Commune == nil || res.Commune.Code != "75056" {
		t.Fatalf("75115: status %d, commune %+v; want Paris 75056", status, res.Commune)
	}
}

// Unknown or malformed parameters get a 400 problem document naming each
// parameter at fault, never a 500.
func TestAPISearchRejectsBadParameters(t *testing.T) {
	cases := []struct {
		query string
		want  []string
	}{
		{"code_commune=99999", []string{"code_commune"}},
		{"code_commune=8606", []string{"code_commune"}},
		{"code_commune=75001", []string{"code_commune"}}, // a postal code, not an INSEE code
		{"code_commune=86066&lat=48.853&lon=2.3499", []string{"code_commune", "lat", "lon"}},
		{"code_postal=86100", []string{"code_postal"}}, // several communes
		{"code_postal=86000&code_commune=86066", []string{"code_commune", "code_postal"}},
		{"rayon=7", []string{"rayon"}},
		{"lat=abc&lon=0.5", []string{"lat"}},
		{"lat=46.8", []string{"lon"}},
		{"lat=123&lon=0", []string{"lat"}},
		{"thematiques=mobilite--voler-une-voiture", []string{"thematiques"}},
		{"frais=cher&publics=martiens", []string{"frais", "publics"}},
		{"size=500", []string{"size"}},
		{"page=0", []string{"page"}},
		{"page=-1&size=x", []string{"page", "size"}},
		{"sort=hasard", []string{"sort"}},
		{"maj_depuis=hier", []string{"maj_depuis"}},
		{"ville=Poitiers", []string{"ville"}},
		{"q=" + strings.Repeat("a", 201), []string{"q"}},
		{"q=a&q=b", []string{"q"}},
		{url.Values{"q": {"\x00\xff<script>"}}.Encode() + "&code_commune=%00", []string{"code_commune"}},
	}
	for _, c := range cases {
		status, _, p := apiSearch(t, c.query)
		if status != 400 || p.Status != 400 || p.Title == "" {
			t.Errorf("%s: status %d, problem %+v; want 400", c.query, status, p)
			continue
		}
		got := map[string]bool{}
		for _, f := range p.Errors {
			got[f.Parameter] = true
			if f.Detail == "" {
				t.Errorf("%s: parameter %s without a message", c.query, f.Parameter)
			}
		}
		for _, name := range c.want {
			if !got[name] {
				t.Errorf("%s: problem does not name %q: %+v", c.query, name, p.Errors)
			}
		}
	}
}

func TestAPICommunes(t *testing.T) {
	e := testEnv(t)
	r := e.get(t, "/api/v1/communes?q=chatel")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	var got []struct{ Code, Nom, URL string }
	if err := json.Unmarshal([]byte(r.body), &got); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range got {
		found = found || c.Code == "86066" && c.Nom == "Châtellerault" && c.URL == "/communes/86066-chatellerault"
	}
	if !found {
		t.Errorf("Châtellerault missing from %+v", got)
	}
	r = e.get(t, "/api/v1/communes?q=86100")
	if !strings.Contains(r.body, `"86066"`) {
		t.Errorf("postal code 86100 does not give Châtellerault: %s", r.body)
	}
	for _, bad := range []string{"", "?q=", "?q=" + strings.Repeat("x", 101), "?q=pa&limit=0", "?q=pa&limit=x"} {
		if r := e.get(t, "/api/v1/communes"+bad); r.status != 400 || !strings.Contains(r.header.Get("Content-Type"), "problem+json") {
			t.Errorf("communes%s: status %d %s", bad, r.status, r.header.Get("Content-Type"))
		}
	}
}
