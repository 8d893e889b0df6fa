package ui_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/chromedp/chromedp/kb"
)

// TestBrowserEditor is the partner's journey of issue 17, items 8 to 10, at
// desktop and phone widths, by keyboard: a new service has its zone taken
// from the structure's commune, the week is typed day by day in French, no
// focused field hides under the save bar, and "cannot publish yet" takes the
// focus and links each item to its field. The structure page has its
// headings in order.
func TestBrowserEditor(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	x := c.setup(t, e)
	admin := c.roles[rAdmin]
	for _, w := range widths {
		t.Run(w.name, func(t *testing.T) {
			b := partnerTab(t)
			b.login(admin.email, admin.pass)
			b.viewport(w.width, w.height, w.phone)
			b.open("/espace/structures/" + x.S.ID)
			b.axeStrict("structure " + w.name)
			b.open("/espace/structures/" + x.S.ID + "/services/nouveau")
			if !eval[bool](b, `!!document.querySelector('input[name="zone_eligibilite"][value="commune:`+poitiers+`"]:checked')`) {
				t.Error("the new service's zone is not the structure's commune")
			}
			if got := eval[string](b, `getComputedStyle(document.querySelector(".editor__actions")).position`); (got == "sticky") == w.phone {
				t.Errorf("save bar position %q at %d px", got, w.width)
			}

			// Every tab stop of the form, from the name to the save bar:
			// none is under the bar.
			b.tabTo(`#champ-nom`)
			b.press("Atelier mobilité " + uniq())
			hidden := []string{}
			check := `(() => {
				const a = document.activeElement, bar = document.querySelector(".editor__actions");
				if (!a || bar.contains(a)) return "bar";
				if (a.matches('input[type="checkbox"], input[type="radio"]') && a.closest("details:not([open])")) return "";
				const r = a.getBoundingClientRect();
				const br = bar.getBoundingClientRect();
				const covered = getComputedStyle(bar).position === "sticky" && r.bottom > br.top + 1 && r.top < br.bottom;
				return covered || r.top >= innerHeight || r.bottom <= 0 ? (a.id || a.name || a.outerHTML.slice(0, 60)) + " [" + Math.round(r.top) + "," + Math.round(r.bottom) + "/" + innerHeight + "]" : "";
			})()`
			for range 200 {
				b.press(kb.Tab)
				state := eval[string](b, check)
				for i := 0; state != "" && state != "bar" && i < 10; i++ {
					time.Sleep(100 * time.Millisecond) // a smooth scroll may still be running
					state = eval[string](b, check)
				}
				if state == "bar" {
					break
				}
				if state != "" {
					hidden = append(hidden, state)
				}
			}
			if len(hidden) > 0 {
				t.Errorf("%d focused fields out of view or under the save bar: %s", len(hidden), strings.Join(hidden, ", "))
			}

			// The week, by keyboard, in French.
			b.do(chromedp.Evaluate[chromedp.Void](`document.getElementById("champ-adresse").focus()`))
			b.tabTo(`#champ-horaires-lundi`)
			b.press("9h-12h, 14h-17h")
			b.tabTo(`#champ-horaires-mardi`)
			b.press("9h à 12h")
			b.tabTo(`#champ-horaires-rdv`)
			b.press(" ")
			b.axeStrict("éditeur " + w.name)
			b.click(`.editor__actions button[type="submit"]`)
			b.waitFor(`location.search.includes("ok=brouillon") && document.readyState === "complete"`)
			if got := eval[string](b, `document.getElementById("champ-horaires-lundi").value`); got != "09:00-12:00, 14:00-17:00" {
				t.Errorf("Monday saved and shown again as %q", got)
			}
			if !eval[bool](b, `document.querySelector("[data-hours-preview]").textContent.includes("14 h – 17 h")`) {
				t.Error("the preview does not show the week typed")
			}

			// Publishing a draft that lacks things: the list takes the
			// focus and leads to each field.
			b.click(`.editor__actions button[formaction$="/publier"]`)
			b.waitFor(`document.querySelector("#a-completer.fr-alert--error") && document.readyState === "complete"`)
			if id := eval[string](b, `document.activeElement.id`); id != "a-completer" {
				t.Errorf("after a refused publication the focus is on %q", id)
			}
			links := eval[[]string](b, `[...document.querySelectorAll("#a-completer li a")].map(a => a.getAttribute("href"))`)
			for _, want := range []string{"#champ-description", "#champ-thematiques", "#champ-modes-accueil"} {
				if !strings.Contains(strings.Join(links, " "), want) {
					t.Errorf("cannot-publish list links %v, lacks %s", links, want)
				}
			}
			b.axeStrict("publication refusée " + w.name)
			b.consoleErrors() // the 422 of the refused publication: intended
			b.tabTo(`#a-completer a[href="#champ-description"]`)
			b.enter()
			b.waitFor(`location.hash === "#champ-description"`)
			if top := eval[float64](b, `document.getElementById("champ-description").getBoundingClientRect().top`); top < -1 || top > float64(w.height) {
				t.Errorf("the description field is at %.0f px after its link", top)
			}
			b.noConsoleErrors(fmt.Sprintf("éditeur %s", w.name))
		})
	}
}
