package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/importer"
	"github.com/repere-spie/repere/internal/opendata"
	"github.com/repere-spie/repere/internal/openinghours"
	"github.com/repere-spie/repere/internal/ui"
)

// openImportSite opens a site with no demo data, ready to import.
func openImportSite(t *testing.T) *Main {
	t.Helper()
	cfg := apptest.Config(t, t.TempDir())
	cfg.Demo = false
	g, gaz := apptest.Geography(t)
	m := &Main{Config: cfg, Logger: apptest.QuietLogger(), Geography: g, Gazetteer: gaz}
	t.Cleanup(m.Close)
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	return m
}

// apiAt serves the site's handlers with the clock fixed at now.
func apiAt(t *testing.T, m *Main, now time.Time) *fiber.App {
	t.Helper()
	clock := func() time.Time { return now }
	od := opendata.New(opendata.Config{Store: m.Store, Index: m.Index, Gazetteer: m.Gazetteer, Dir: t.TempDir(), BaseURL: m.Config.BaseURL, Now: clock})
	app, err := ui.New(ui.Deps{Config: m.Config, Gazetteer: m.Gazetteer, Index: m.Index, Logger: m.Logger,
		Catalog: m.Catalog, Accounts: m.Accounts, Mailbox: m.Mailbox, OpenData: od, Stats: func() ui.Stats { return ui.Stats{} },
		Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	return app
}

type apiResults struct {
	Total   int `json:"total"`
	Results []struct {
		ID        string `json:"id"`
		Nom       string `json:"nom"`
		Structure struct {
			Nom string `json:"nom"`
		} `json:"structure"`
		Commune *struct {
			Code string `json:"code"`
		} `json:"commune"`
		Horaires string `json:"horaires_accueil"`
		Ouvert   *bool  `json:"ouvert_maintenant"`
	} `json:"results"`
}

func search(t *testing.T, app *fiber.App, query string) apiResults {
	t.Helper()
	resp, err := app.Test(httptest.NewRequest("GET", "/api/v1/search/services?"+query, nil), 30_000)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("search %s: %d %s", query, resp.StatusCode, b)
	}
	var out apiResults
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func getBody(t *testing.T, app *fiber.App, path string) string {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for range 3 { // /services/{id} redirects to its canonical address
		resp, err := app.Test(req, 30_000)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 301 || resp.StatusCode == 302 {
			req = httptest.NewRequest("GET", resp.Header.Get("Location"), nil)
			continue
		}
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return string(b)
	}
	t.Fatalf("GET %s: too many redirects", path)
	return ""
}

func getJSON(t *testing.T, app *fiber.App, path string, out any) {
	t.Helper()
	if err := json.Unmarshal([]byte(getBody(t, app, path)), out); err != nil {
		t.Fatal(err)
	}
}

func runImport(t *testing.T, m *Main, r importer.Reader) *importer.Report {
	t.Helper()
	im, err := m.Importer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := im.Run(context.Background(), r, importer.Options{Grace: 7 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func reasons(counts []importer.Count) map[string]int {
	out := map[string]int{}
	for _, c := range counts {
		out[c.Reason] = c.N
	}
	return out
}

// The three real files of ../shared/realdata import end to end, with the
// counts and reasons their contents call for; a professional then finds
// through the API what they would expect; importing again writes nothing.
func TestImportRealFiles(t *testing.T) {
	m := openImportSite(t)
	real := filepath.Join(apptest.SharedDir(t), "realdata")
	ctx := context.Background()

	// Around Lille: v1 records with thématiques as a JSON string, no ids, no
	// INSEE codes, structures named, "LILLE" and "Lille".
	lille := runImport(t, m, &importer.DirReader{Dir: filepath.Join(real, "gip-inclusion-fluo-proto")})
	if lille.Read != 581 || lille.New != 581 || lille.Rejected != 0 || lille.Warnings != 0 || lille.StructuresNew != 434 {
		t.Errorf("Lille: %+v", lille)
	}
	// La Réunion: v0 vocabulary, Postgres arrays, decimal commas; only 777
	// services name a structure of structures.json.
	reunion := runImport(t, m, &importer.DirReader{Dir: filepath.Join(real, "gip-inclusion-offre-inclusion")})
	if reunion.Read != 2705+276 || reunion.New != 2704 || reunion.Rejected != 1 || reunion.StructuresNew != 276 {
		t.Errorf("Réunion: %+v", reunion)
	}
	if got := reasons(reunion.Reasons); got["Impossible de situer le service : ni commune, ni coordonnées, ni zone d’éligibilité."] != 1 {
		t.Errorf("Réunion rejections: %v", got)
	}
	w := reasons(reunion.WarningKinds)
	if w["Structure absente de la source : le service est importé sans elle."] != 2705-777 || w["Profil v0 sans équivalent v1, ignoré"] != 973 ||
		w["Thématique v0 sans équivalent v1, ignoré"] != 339 {
		t.Errorf("Réunion warnings: %v", w)
	}
	// France services: one structure per site, two services each.
	fs := runImport(t, m, &importer.FranceServicesReader{Path: filepath.Join(real, "anct-carto-france_services", "liste-fs-20240801.csv")})
	if fs.Read != 2845 || fs.New != 2*2845 || fs.Rejected != 0 || fs.StructuresNew != 2845 {
		t.Errorf("France services: %+v", fs)
	}
	if w := reasons(fs.WarningKinds); w["Courriel ignoré : Cette adresse électronique n’est pas valide"] != 2 {
		t.Errorf("France services warnings: %v", fs.WarningKinds)
	}
	n, err := m.Store.CountServices(ctx)
	if err != nil || n != 581+2704+2*2845 {
		t.Errorf("store holds %d services, %v", n, err)
	}

	// Childcare at Roubaix, as a professional searches it.
	app := apiAt(t, m, time.Date(2026, 3, 3, 10, 0, 0, 0, directory.Paris)) // a Tuesday, 10:00
	res := search(t, app, "code_commune=59512&thematiques=famille--garde-denfants&size=20")
	if res.Total == 0 || res.Results[0].Commune == nil || res.Results[0].Commune.Code != "59512" {
		t.Errorf("garde d'enfants à Roubaix: %+v", res)
	}
	// Its page and the API say where it comes from.
	var monenfant string
	for _, h := range res.Results {
		if svc, err := m.Store.Service(ctx, h.ID); err == nil && svc.Source == "monenfant" {
			monenfant = h.ID
			break
		}
	}
	if monenfant == "" {
		t.Fatalf("no Mon enfant service among %+v", res.Results)
	}
	var detail struct {
		Nom        string `json:"nom"`
		Source     string `json:"source"`
		Provenance struct {
			Texte   string `json:"texte"`
			Licence string `json:"licence"`
		} `json:"provenance"`
	}
	getJSON(t, app, "/api/v1/services/"+monenfant, &detail)
	if detail.Source != "monenfant" || !strings.HasPrefix(detail.Provenance.Texte, "Source : Mon enfant, via data·inclusion, mis à jour le ") ||
		!strings.Contains(detail.Provenance.Licence, "Licence Ouverte") {
		t.Errorf("API provenance: %+v", detail)
	}
	page := getBody(t, app, "/services/"+monenfant)
	if !strings.Contains(page, "Source : Mon enfant, via data·inclusion, mis à jour le") || !strings.Contains(page, "Licence : Licence Ouverte") {
		t.Errorf("the page does not say where the service comes from")
	}

	// In La Réunion, v0 thématiques mapped to v1 are searchable.
	res = search(t, app, "code_commune=97411&thematiques=famille--garde-denfants")
	if res.Total == 0 {
		t.Error("garde d'enfants à Saint-Denis (974): nothing")
	}
	// A France services site near Poitiers, open on a Tuesday at 10:00 and
	// closed on Sunday, from hours converted to opening_hours.
	query := "code_commune=86194&thematiques=difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"
	res = search(t, app, query)
	var open int
	for _, h := range res.Results {
		if strings.HasPrefix(h.Nom, "Accompagnement aux démarches") && h.Ouvert != nil && *h.Ouvert {
			open++
		}
	}
	if open == 0 {
		t.Errorf("no France services site open on Tuesday 10:00 near Poitiers: %+v", res)
	}
	sunday := search(t, apiAt(t, m, time.Date(2026, 3, 8, 10, 0, 0, 0, directory.Paris)), query)
	for _, h := range sunday.Results {
		if h.Ouvert != nil && *h.Ouvert {
			if s, err := openinghours.Parse(h.Horaires); err != nil || !strings.Contains(s.String(), "Su") {
				t.Errorf("%s open on Sunday with hours %q", h.Nom, h.Horaires)
			}
		}
	}

	// Importing the same files again is a sync with nothing to do.
	again := runImport(t, m, &importer.DirReader{Dir: filepath.Join(real, "gip-inclusion-fluo-proto")})
	if again.Unchanged != 581 || again.New+again.Updated+again.Unpublished+again.Missing != 0 {
		t.Errorf("second Lille import: %+v", again)
	}
	if n2, _ := m.Store.CountServices(ctx); n2 != n {
		t.Errorf("second import changed the count: %d then %d", n, n2)
	}
	fixed, err := m.Catalog.Reconcile(ctx)
	if err != nil || fixed != 0 {
		t.Errorf("index out of step with the store: %d fixed, %v", fixed, err)
	}
}
