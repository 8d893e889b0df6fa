package ui_test

import (
	"strings"
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

// TestBrowserWordsAskPlace is the rest of issue 17, item 3, by keyboard at
// both widths: words typed without a place ask where the person lives
// first, the words kept and shown; the place given leads to the results
// with the words, and on a phone « Où ? » and the words stay in view
// outside the folded filters; all of France only when chosen.
func TestBrowserWordsAskPlace(t *testing.T) {
	for _, w := range widths {
		t.Run(w.name, func(t *testing.T) {
			b := newTab(t)
			b.viewport(w.width, w.height, w.phone)
			b.open("/")
			b.tabTo("#q")
			b.press("garage")
			b.enter()
			b.waitFor(`document.querySelector("h1").textContent === "Où habite la personne ?" && document.readyState === "complete"`)
			if got := eval[string](b, `document.getElementById("recherche-criteres").textContent`); got != "Votre recherche : « garage »" {
				t.Errorf("words shown as %q", got)
			}
			if bottom := eval[float64](b, `document.getElementById("commune").getBoundingClientRect().bottom`); bottom <= 0 || bottom > float64(w.height) {
				t.Errorf("the « Où ? » field is at %.0f px, not in the first screen", bottom)
			}
			if label := eval[string](b, `(b => b.getBoundingClientRect().width > 80 ? b.innerText.trim() : "")(document.querySelector('#recherche-lieu button[type="submit"]'))`); label != "Rechercher" {
				t.Errorf("the submit button shows %q, want its label « Rechercher » in view", label)
			}
			b.axeStrict("où, avec des mots " + w.name)
			b.tabTo("#commune")
			b.press("Chatellerault")
			b.press(kb.Escape)
			b.enter()
			b.waitFor(`document.getElementById("resultats-titre") && document.readyState === "complete"`)
			if s := eval[string](b, `location.search`); !strings.Contains(s, "code_commune=86066") || !strings.Contains(s, "q=garage") {
				t.Errorf("results URL %q: want the place and the words", s)
			}
			if h := eval[string](b, `document.getElementById("resultats-titre").textContent`); !strings.Contains(h, "pour les habitants de Châtellerault") {
				t.Errorf("heading %q", h)
			}
			// « Où ? » and the words in the first screen, the filters folded
			// on a phone.
			for _, id := range []string{"commune", "q"} {
				if r := eval[[]float64](b, `(r => [r.top, r.bottom, r.width])(document.getElementById("`+id+`").getBoundingClientRect())`); r[0] < 0 || r[1] > float64(w.height) || r[2] == 0 {
					t.Errorf("#%s at %v, not in the first screen", id, r)
				}
			}
			if got := eval[string](b, `document.getElementById("commune").value + " | " + document.getElementById("q").value`); got != "Châtellerault (86) | garage" {
				t.Errorf("fields %q", got)
			}
			if w.phone && eval[bool](b, `document.getElementById("filtres").classList.contains("fr-collapse--expanded") || document.getElementById("commune").closest("#filtres") !== null`) {
				t.Error("on a phone « Où ? » is inside the filters panel, or the panel is open")
			}
			b.axeStrict("résultats avec des mots " + w.name)
			shoot(b, "mots-chatellerault-"+w.name)

			// All of France, chosen: from the question, by keyboard.
			b.open("/recherche?q=garage")
			b.tabTo("#toute-la-france")
			b.enter()
			b.waitFor(`document.getElementById("resultats-titre") && document.readyState === "complete"`)
			if s, h := eval[string](b, `location.search`), eval[string](b, `document.getElementById("resultats-titre").textContent`); !strings.Contains(s, "partout=1") || !strings.HasSuffix(h, "dans toute la France") {
				t.Errorf("all of France: %q, heading %q", s, h)
			}
			b.noConsoleErrors("mots sans lieu " + w.name)
		})
	}
}
