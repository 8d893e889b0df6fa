package ui_test

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// TestBrowserImportJourney is a territory moderator's import, in a real
// browser at desktop width: from the dashboard to the import page, a
// spreadsheet sent, the dry run's report read (a rejected line and why),
// the import confirmed and followed to its end, the history, and the new
// service found by the public search.
func TestBrowserImportJourney(t *testing.T) {
	b := partnerTab(t)
	e := partner(t)
	mod, _ := e.moderators(t)

	name := "Atelier numérique de la médiathèque " + uniq()
	xlsx := filepath.Join(t.TempDir(), "offre-vienne.xlsx")
	f := excelize.NewFile()
	for i, row := range [][]string{
		{"Nom du service", "Thématiques", "Adresse", "Code postal", "Ville", "Tél."},
		{name, "Numérique", "4 rue de l’Université", "86000", "Poitiers", "05 49 52 31 51"},
		{"", "Numérique", "", "86000", "Poitiers", ""},
	} {
		for j, v := range row {
			col, _ := excelize.ColumnNumberToName(j + 1)
			if err := f.SetCellStr("Sheet1", fmt.Sprintf("%s%d", col, i+1), v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}

	before, err := e.store.CountServices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b.login(mod.email, mod.pass)
	b.click(`a[href="/espace/imports"]`)
	b.waitFor(`location.pathname === "/espace/imports" && document.readyState === "complete"`)
	b.noConsoleErrors("imports")
	b.axe("page des imports")
	if href := eval[string](b, `document.querySelector('a[href="/espace/imports/modele.xlsx"]').getAttribute("href")`); href == "" {
		t.Fatal("no template to download")
	}
	b.do(chromedp.SetUploadFiles(`#champ-fichier`, []string{xlsx}))
	b.click(`form[action="/espace/imports"] button[type="submit"]`)
	b.waitFor(`document.querySelector("h1") && document.querySelector("h1").textContent.startsWith("Essai d’import") && !document.querySelector('meta[http-equiv="refresh"]') && document.readyState === "complete"`)
	b.noConsoleErrors("essai")
	b.axe("rapport d’essai")
	b.screenshot("espace-import-essai")
	if got := b.text(".fr-alert--info"); !strings.Contains(got, "rien n’a encore été enregistré") {
		t.Fatalf("dry run: %q", b.text("main"))
	}
	counts := b.text(`table:first-of-type tbody`)
	if !strings.Contains(eval[string](b, `[...document.querySelectorAll("tbody tr")].find(r => r.textContent.includes("Services nouveaux")).textContent`), "1") {
		t.Errorf("new services: %q", counts)
	}
	rejected := eval[string](b, `[...document.querySelectorAll("table")].find(t => t.caption && t.caption.textContent.includes("rejetés")).tBodies[0].textContent`)
	if !strings.Contains(rejected, "ligne 3") || !strings.Contains(rejected, "Service sans nom.") {
		t.Errorf("rejected rows: %q", rejected)
	}
	if n, _ := e.store.CountServices(context.Background()); n != before {
		t.Fatalf("the dry run wrote: %d services, want %d", n, before)
	}

	b.click(`form[action$="/confirmer"] button[type="submit"]`)
	b.waitFor(`document.querySelector(".fr-alert--success") && document.readyState === "complete"`)
	b.noConsoleErrors("import")
	b.screenshot("espace-import-termine")
	if got := b.text(".fr-alert--success"); !strings.Contains(got, "Import terminé") {
		t.Fatalf("import: %q", got)
	}

	b.click(`a[href="/espace/imports"].fr-link`)
	b.waitFor(`location.pathname === "/espace/imports" && document.readyState === "complete"`)
	history := b.text(`table tbody`)
	if !strings.Contains(history, "Essai") || !strings.Contains(history, "Import") || !strings.Contains(history, "offre-vienne.xlsx") ||
		!strings.Contains(history, "1 nouveaux") {
		t.Errorf("history: %q", history)
	}

	b.open("/recherche?partout=1&q=" + url.QueryEscape(name))
	b.waitFor(`document.getElementById("resultats-titre") && document.readyState === "complete"`)
	if !eval[bool](b, fmt.Sprintf(`[...document.querySelectorAll(".fr-card__title a")].some(a => a.textContent === %q)`, name)) {
		t.Fatalf("the imported service is not in the search: %q", b.text("#resultats-titre"))
	}
}
