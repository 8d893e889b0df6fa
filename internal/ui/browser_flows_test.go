package ui_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

var leadingNumber = regexp.MustCompile(`^\s*([\d\s\x{202f}]+)`)

// headingCount reads the count at the start of the results heading.
func headingCount(b *tab) int {
	b.t.Helper()
	h := eval[string](b, `document.getElementById("resultats-titre").textContent`)
	m := leadingNumber.FindStringSubmatch(h)
	if m == nil {
		b.t.Fatalf("no count in heading %q", h)
	}
	n, err := strconv.Atoi(strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, m[1]))
	if err != nil {
		b.t.Fatal(err)
	}
	return n
}

// facetCount reads the count shown beside a filter value.
func facetCount(b *tab, param, value string) int {
	b.t.Helper()
	s := eval[string](b, fmt.Sprintf(`(document.querySelector('input[name=%q][value=%q] + label .count') || {textContent: "(0)"}).textContent`, param, value))
	n, err := strconv.Atoi(strings.Trim(s, "() "))
	if err != nil {
		b.t.Fatalf("facet count %q: %v", s, err)
	}
	return n
}

func TestBrowserKeyboardSearch(t *testing.T) {
	b := newTab(t)
	b.open("/")
	b.noConsoleErrors("accueil")
	b.tabTo("#commune")
	b.press("Poitiers")
	if apiCommunes(t) {
		b.waitFor(`document.querySelector('#commune-suggestions [role="option"]')`)
		if got := eval[string](b, `document.getElementById("commune").getAttribute("aria-expanded")`); got != "true" {
			t.Errorf("combobox aria-expanded = %q with suggestions", got)
		}
		b.press(kb.ArrowDown)
		if got := eval[string](b, `document.getElementById("commune").getAttribute("aria-activedescendant")`); got == "" {
			t.Error("ArrowDown highlights no suggestion")
		}
		b.enter()
		if got := eval[string](b, `document.querySelector('input[name="code_commune"]').value`); got != poitiers {
			t.Errorf("code_commune after choosing = %q, want %s", got, poitiers)
		}
	}
	b.enter() // submits the form
	b.waitFor(`location.pathname === "/recherche" && document.getElementById("resultats-titre")`)
	if loc := eval[string](b, `location.search`); !strings.Contains(loc, "code_commune="+poitiers) || strings.Contains(loc, "?commune=") || strings.Contains(loc, "&commune=") {
		t.Errorf("results URL %q: want the commune code only", loc)
	}
	if h := eval[string](b, `document.getElementById("resultats-titre").textContent`); !strings.Contains(h, "Poitiers") {
		t.Errorf("results heading %q", h)
	}
	b.noConsoleErrors("résultats")
	b.tabTo("#resultats-liste .fr-card__title a")
	want := eval[string](b, `document.activeElement.getAttribute("href")`)
	b.enter()
	b.waitFor(fmt.Sprintf(`location.pathname === %q && document.querySelector("h1")`, want))
	if !strings.HasPrefix(want, "/services/") {
		t.Errorf("first result links to %q", want)
	}
	b.noConsoleErrors("service")
}

// apiCommunes reports whether the autocomplete API is served (it is written
// beside these pages); without it the form still works, as without scripts.
func apiCommunes(t *testing.T) bool {
	r := testEnv(t).get(t, "/api/v1/communes?q=poitiers")
	if r.status != 200 {
		t.Logf("GET /api/v1/communes: %d, the combobox part is skipped", r.status)
		return false
	}
	return true
}

func TestBrowserFilterUpdatesResults(t *testing.T) {
	b := newTab(t)
	b.open("/recherche?code_commune=" + poitiers)
	before := headingCount(b)
	mobility := facetCount(b, "thematiques", "mobilite")
	if mobility == 0 || mobility >= before {
		t.Fatalf("fixtures: %d results, %d in mobilité", before, mobility)
	}
	b.tabTo(`input[name="thematiques"][value="mobilite"]`)
	b.press(" ")
	b.waitFor(fmt.Sprintf(`location.search.includes("thematiques=mobilite") && !document.getElementById("resultats-titre").textContent.startsWith("%d ")`, before))
	if got := headingCount(b); got != mobility {
		t.Errorf("after ticking Mobilité: %d results, the filter said %d", got, mobility)
	}
	if got := len(eval[[]string](b, `[...document.querySelectorAll("#resultats-liste > li")].map(li => li.id)`)); got != mobility {
		t.Errorf("after ticking Mobilité: %d cards, want %d", got, mobility)
	}
	if got := facetCount(b, "frais", "payant"); got != 1 {
		t.Errorf("after ticking Mobilité: payant counts %d, want 1 (the garage)", got)
	}
	if !eval[bool](b, `document.activeElement && document.activeElement.value === "mobilite" && document.activeElement.checked`) {
		t.Error("the focus left the ticked filter")
	}
	if got := eval[string](b, `document.getElementById("resultats-statut").textContent`); !strings.HasPrefix(got, strconv.Itoa(mobility)+" ") {
		t.Errorf("status announces %q", got)
	}
	b.do(chromedp.NavigateBack())
	b.waitFor(fmt.Sprintf(`!location.search.includes("thematiques") && document.getElementById("resultats-titre").textContent.startsWith("%d ")`, before))
	b.noConsoleErrors("filtres")
}

func TestBrowserMap(t *testing.T) {
	b := newTab(t)
	b.open("/recherche?code_commune=" + poitiers + "&vue=carte")
	b.waitFor(`document.querySelector("[data-map][data-markers]")`)
	markers := eval[int](b, `+document.querySelector("[data-map]").dataset.markers`)
	located := eval[int](b, `document.querySelectorAll("#resultats-liste [data-lat]").length`)
	if markers == 0 || markers != located {
		t.Errorf("map shows %d markers for %d located results", markers, located)
	}
	if got := eval[int](b, `document.querySelectorAll(".leaflet-marker-icon").length`); got == 0 {
		t.Error("no marker or cluster drawn")
	}
	b.waitFor(`document.querySelector(".leaflet-tile-loaded")`)
	if b.site.tiles.Load() == 0 {
		t.Error("no tile requested from the configured tile server")
	}
	b.noConsoleErrors("carte des résultats")

	b.open("/communes/" + poitiers + "-poitiers")
	b.waitFor(`document.querySelector("[data-map][data-outlined]") && document.querySelector(".leaflet-overlay-pane path")`)
	// axe only sometimes judges links over map tiles: check the underline itself.
	if d := eval[string](b, `getComputedStyle(document.querySelector(".leaflet-control-attribution a")).textDecorationLine`); d != "underline" {
		t.Errorf("attribution link decoration %q, want underline (colour alone does not mark it as a link)", d)
	}
	b.noConsoleErrors("commune")
}

// TestBrowserPages opens every kind of page: no console error, and no
// serious or critical axe-core violation on the main ones.
func TestBrowserPages(t *testing.T) {
	e := testEnv(t)
	b := newTab(t)
	for _, p := range []struct {
		name, path string
		axe        bool
	}{
		{"accueil", "/", true},
		{"résultats", "/recherche?code_commune=" + poitiers + "&thematiques=mobilite", true},
		{"carte", "/recherche?code_commune=" + poitiers + "&vue=carte", true},
		{"aucun résultat", "/recherche?code_commune=" + poitiers + "&rayon=5&thematiques=mobilite--entretenir-reparer-son-vehicule", true},
		{"service", "/services/" + e.fx.garage.ID, true},
		{"service ancien", "/services/" + e.fx.stale.ID, true},
		{"service hostile", "/services/" + e.fx.hostile.ID, false},
		{"structure", "/structures/" + e.fx.garageSt.ID, true},
		{"commune", "/communes/" + poitiers, true},
		{"département", "/departements/86", false},
		{"départements", "/departements", false},
		{"à propos", "/a-propos", false},
		{"mentions légales", "/mentions-legales", false},
		{"accessibilité", "/accessibilite", false},
		{"choix de commune", "/recherche?commune=Saint-Denis", false},
	} {
		b.open(p.path)
		if p.axe {
			b.axe(p.name)
		}
		if p.name == "service hostile" && eval[bool](b, `window.__hostile === true`) {
			t.Error("hostile text ran")
		}
		b.noConsoleErrors(p.name)
	}
}

func TestBrowserPhoneScreenshot(t *testing.T) {
	b := newTab(t)
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	b.open("/recherche?code_commune=" + poitiers)
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("results page is %d px wide on a 390 px phone", w)
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(artifactDir(t), "resultats-telephone.png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	b.noConsoleErrors("résultats sur téléphone")
}

// TestBrowserSuggestions: by keyboard, a misspelt word leads to the
// correction, and a search without results to the ways to widen it.
func TestBrowserSuggestions(t *testing.T) {
	b := newTab(t)
	// All of France chosen: without a place the page asks for one first.
	b.open("/recherche?partout=1")
	b.tabTo("#q")
	b.press("logemnt")
	b.enter()
	b.waitFor(`document.querySelector("#orthographe a")`)
	b.axe("correction proposée")
	b.tabTo("#orthographe a")
	b.enter()
	b.waitFor(`location.search.includes("q=logement") && document.getElementById("resultats-liste") && !document.querySelector("#orthographe")`)
	if n := headingCount(b); n == 0 {
		t.Error("the correction finds nothing")
	}

	b.open("/recherche?code_commune=" + poitiers + "&rayon=5&thematiques=mobilite--entretenir-reparer-son-vehicule")
	b.waitFor(`document.getElementById("aucun-resultat")`)
	if got := eval[string](b, `document.getElementById("aucun-resultat").textContent`); !strings.Contains(got, "Essayez") {
		t.Errorf("no suggestion: %q", got)
	}
	b.axe("aucun résultat")
	want := eval[string](b, `document.querySelector("#aucun-resultat a").getAttribute("href")`)
	b.tabTo("#aucun-resultat a")
	b.enter()
	b.waitFor(fmt.Sprintf(`location.pathname + location.search === %q && document.getElementById("resultats-liste")`, want))
	if n := headingCount(b); n == 0 {
		t.Error("the suggestion finds nothing")
	}
	b.noConsoleErrors("suggestions")
}
