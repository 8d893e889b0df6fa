package ui_test

import (
	"testing"

	"github.com/chromedp/chromedp/kb"
)

// TestBrowserAskPlace is the resident's and professional's journey of issue
// 17, items 2 and 3, by keyboard at both widths: the Mobilité shortcut asks
// where first (the field in view on a phone), a misspelt commune brings the
// page back with its message and "Vouliez-vous dire…", and the commune
// chosen leads to its results with the thématique kept.
func TestBrowserAskPlace(t *testing.T) {
	for _, w := range widths {
		t.Run(w.name, func(t *testing.T) {
			b := newTab(t)
			b.viewport(w.width, w.height, w.phone)
			b.open("/recherche?raccourci=mobilite")
			b.waitFor(`document.querySelector("h1").textContent === "Où habite la personne ?"`)
			if bottom := eval[float64](b, `document.getElementById("commune").getBoundingClientRect().bottom`); bottom <= 0 || bottom > float64(w.height) {
				t.Errorf("the « Où ? » field is at %.0f px, not in the first screen", bottom)
			}
			b.axeStrict("où " + w.name)
			b.tabTo(`#commune`)
			b.press("Chatelleraut")
			b.press(kb.Escape) // close the suggestions, if any
			b.enter()
			b.waitFor(`document.querySelector("h1").textContent === "Précisez la commune" && document.readyState === "complete"`)
			if got := eval[string](b, `document.getElementById("commune").value + " | " + document.getElementById("commune-erreur").textContent`); got != "Chatelleraut | Commune introuvable : vérifiez l’orthographe ou indiquez le code postal." {
				t.Errorf("field shown again as %q", got)
			}
			b.axeStrict("commune mal orthographiée " + w.name)
			b.tabTo(`section[aria-labelledby="vouliez-vous-dire"] a`)
			if label := eval[string](b, `document.activeElement.textContent`); label[:len("Châtellerault")] != "Châtellerault" {
				t.Errorf("first suggestion %q", label)
			}
			b.enter()
			b.waitFor(`location.search === "?code_commune=` + chatellerault + `&thematiques=mobilite" && document.getElementById("resultats-titre")`)
			b.noConsoleErrors("où " + w.name)
		})
	}
}
