package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserRemoteServices is issue 17, item 4, by keyboard at both widths:
// around Poitiers the remote service takes the third rank (two on site, then
// one at a distance), its card names the zone it serves and the page states
// the split and the ratio; in Bordeaux, where nothing receives people within
// the radius, the page says that the only service found works at a distance
// for all of France.
func TestBrowserRemoteServices(t *testing.T) {
	for _, w := range widths {
		t.Run(w.name, func(t *testing.T) {
			b := newTab(t)
			b.viewport(w.width, w.height, w.phone)
			b.open("/")
			b.tabTo("#commune")
			b.press("Poitiers")
			b.press(kb.Escape) // close the suggestions, if any
			b.enter()
			b.waitFor(`location.pathname === "/recherche" && document.getElementById("resultats-titre") && document.readyState === "complete"`)
			if h := eval[string](b, `document.getElementById("resultats-titre").textContent`); !strings.Contains(h, "Poitiers") {
				t.Fatalf("heading %q", h)
			}
			places := eval[[]string](b, `[...document.querySelectorAll("#resultats-liste > li")].slice(0, 4).map(li => li.id + " | " + li.querySelector("[data-place]").textContent)`)
			if len(places) != 4 || places[2] != "s-svremote00000001 | À distance · Toute la France" ||
				strings.Contains(places[0], "distance") || strings.Contains(places[1], "distance") || strings.Contains(places[3], "distance") {
				t.Errorf("first cards: %q, want the remote one third with its zone", places)
			}
			note := eval[string](b, `document.getElementById("a-distance").textContent`)
			if !strings.Contains(note, "services reçoivent le public à moins de 50 km, 1 travaille à distance pour toute la France.") ||
				!strings.Contains(note, "Par pertinence, ils alternent : deux sur place, puis un à distance.") {
				t.Errorf("note %q", note)
			}
			if eval[bool](b, `!!document.querySelector("#a-distance.fr-alert")`) {
				t.Error("the note is an alert although services receive people nearby")
			}
			b.axeStrict("résultats avec services à distance " + w.name)
			shoot(b, "distance-poitiers-"+w.name)

			// A place where nothing receives people nearby.
			b.open("/")
			b.tabTo("#commune")
			b.press("Bordeaux")
			b.press(kb.Escape)
			b.enter()
			b.waitFor(`document.getElementById("resultats-titre").textContent.includes("Bordeaux") && document.readyState === "complete"`)
			alert := eval[string](b, `(document.querySelector("#a-distance.fr-alert") || {textContent: ""}).textContent`)
			if strings.TrimSpace(alert) != "Aucun service ne reçoit le public à moins de 50 km : le seul service trouvé travaille à distance pour toute la France." {
				t.Errorf("only remote: alert %q", alert)
			}
			if got := eval[string](b, `[...document.querySelectorAll("#resultats-liste [data-place]")].map(p => p.textContent).join(" / ")`); got != "À distance · Toute la France" {
				t.Errorf("only remote: places %q", got)
			}
			b.axeStrict("seulement à distance " + w.name)
			shoot(b, "distance-bordeaux-"+w.name)

			// The card leads to the service, whose page names the same zone.
			b.tabTo("#resultats-liste .fr-card__title a")
			b.enter()
			b.waitFor(`location.pathname.startsWith("/services/") && document.getElementById("zone")`)
			if z := eval[string](b, `document.querySelector('section[aria-labelledby="zone"] ul').textContent.trim()`); z != "Toute la France" {
				t.Errorf("service page zone %q", z)
			}
			b.noConsoleErrors("services à distance " + w.name)
		})
	}
}

// shoot saves the first screen among the test artifacts, to be looked at:
// what a person sees before scrolling.
func shoot(b *tab, name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatal(err)
	}
	path := filepath.Join(artifactDir(b.t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot: %s", path)
}
