package ui_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp/kb"
)

// TestBrowserFiltersPanel is issue 17, item 5, by keyboard at both widths:
// "Aller aux résultats" comes before the filters and leads to the first
// result; on a phone the filters panel stays open while filters are ticked,
// the focus stays on the box ticked, and "Afficher les N résultats" gives
// the new count and leads back to the results.
func TestBrowserFiltersPanel(t *testing.T) {
	for _, w := range widths {
		t.Run(w.name, func(t *testing.T) {
			b := newTab(t)
			b.viewport(w.width, w.height, w.phone)
			b.open("/recherche?code_commune=" + poitiers)
			before := headingCount(b)
			b.axeStrict("résultats " + w.name)

			// The skip link: the first results link a few tab stops later.
			b.tabTo(`a[href="#resultats"]`)
			if eval[bool](b, `document.activeElement.compareDocumentPosition(document.querySelector('input[name="thematiques"]')) & Node.DOCUMENT_POSITION_PRECEDING ? true : false`) {
				t.Error("« Aller aux résultats » comes after the filters")
			}
			b.enter()
			b.waitFor(`location.hash === "#resultats" && document.activeElement && document.activeElement.id === "resultats"`)
			stops := 0
			for ; stops <= 8 && !eval[bool](b, `!!document.activeElement && !!document.activeElement.closest("#resultats-liste")`); stops++ {
				b.press(kb.Tab)
			}
			if stops > 8 {
				t.Errorf("the first result is more than 8 tab stops after « Aller aux résultats » (focus on %s)", eval[string](b, `document.activeElement.outerHTML.slice(0, 100)`))
			}
			if !w.phone {
				return
			}

			// On a phone: open the panel, tick a filter, the panel stays.
			b.click(`button[aria-controls="filtres"]`)
			b.waitFor(`document.getElementById("filtres").classList.contains("fr-collapse--expanded")`)
			// Focus the box once the panel's opening transition lets it.
			b.waitFor(`(() => { const cb = document.querySelector('input[name="thematiques"][value="mobilite"]'); cb.focus(); return document.activeElement === cb; })()`)
			b.press(" ")
			b.waitFor(`document.querySelector('input[name="thematiques"][value="mobilite"]').checked`)
			b.waitFor(fmt.Sprintf(`location.search.includes("thematiques=mobilite") && !document.getElementById("resultats-titre").textContent.startsWith("%d ")`, before))
			after := headingCount(b)
			if !eval[bool](b, `document.getElementById("filtres").classList.contains("fr-collapse--expanded") && document.querySelector('[aria-controls="filtres"]').getAttribute("aria-expanded") === "true"`) {
				t.Error("the filters panel closed after a tick")
			}
			if !eval[bool](b, `document.activeElement && document.activeElement.value === "mobilite" && document.activeElement.checked`) {
				t.Error("the focus left the ticked filter")
			}
			show := eval[string](b, `document.getElementById("afficher-resultats").textContent`)
			if show != fmt.Sprintf("Afficher les %d résultats", after) {
				t.Errorf("the button says %q after ticking, the results are %d", show, after)
			}
			b.tabTo(`#afficher-resultats`)
			b.enter()
			b.waitFor(`location.hash === "#resultats"`)
			if top := eval[float64](b, `document.getElementById("resultats").getBoundingClientRect().top`); top < -1 || top > 200 {
				t.Errorf("after « Afficher les résultats » the results are at %.0f px", top)
			}
			b.axeStrict("filtres ouverts " + w.name)
			b.noConsoleErrors("filtres " + w.name)
		})
	}
}
