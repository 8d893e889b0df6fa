package ui_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// partnerTab is a browser tab on the partner test site; another tab made
// with session() has its own cookies, as another browser would.
func partnerTab(t *testing.T) *tab {
	t.Helper()
	b := newTab(t)
	b.site = &site{base: partner(t).base}
	return b
}

// session is a tab of a new browser context: no cookie shared with b.
func (b *tab) session() *tab {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	other := &tab{t: b.t, ctx: ctx, site: b.site}
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		b.t.Fatal(err)
	}
	return other
}

func (b *tab) fill(sel, text string) {
	b.t.Helper()
	b.quick(sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

func (b *tab) click(sel string) {
	b.t.Helper()
	b.quick(sel, chromedp.Click(chromedp.CSS(sel)))
}

// quick runs an action on an element that must be there within 20 seconds.
func (b *tab) quick(sel string, a chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, a); err != nil {
		b.t.Fatalf("%s: %v", sel, err)
	}
}

// clear empties a field as a person selecting its text and deleting it.
func (b *tab) clear(sel string) {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.focus(); el.select(); })()`, sel)))
	b.press(kb.Delete)
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(document.querySelector(%q) || {textContent: ""}).textContent`, sel))
}

// screenshot leaves a picture of the page in the test artefacts.
func (b *tab) screenshot(name string) {
	b.t.Helper()
	b.waitFor(`document.readyState === "complete"`)
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err) // a picture for people, not a check
		return
	}
	if err := os.WriteFile(filepath.Join(artifactDir(b.t), name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// login signs in through the login page.
func (b *tab) login(email, password string) {
	b.t.Helper()
	b.open("/connexion")
	b.fill(`#champ-email`, email)
	b.fill(`#champ-mot-de-passe`, password)
	b.click(`form[action="/connexion"] button[type="submit"]`)
	b.waitFor(`location.pathname === "/espace" && document.readyState === "complete"`)
}

// TestBrowserPartnerJourney is the partner's journey of the issue, in a real
// browser: sign up, confirm the address from the development mailbox,
// create a structure, write a service, publish it and find it in the
// search, edit it while another session does and merge, archive it and see
// it leave the search.
func TestBrowserPartnerJourney(t *testing.T) {
	b := partnerTab(t)
	e := partner(t)
	email, password := "camille.partenaire"+uniq()+"@exemple.fr", "une phrase de passe pour le test"

	// Sign up.
	b.open("/inscription")
	b.fill(`#champ-nom`, "Camille Partenaire")
	b.fill(`#champ-email`, email)
	b.fill(`#champ-mot-de-passe`, password)
	b.click(`form[action="/inscription"] button[type="submit"]`)
	b.waitFor(`document.querySelector("h1") && document.querySelector("h1").textContent.includes("Vérifiez votre messagerie") && document.readyState === "complete"`)
	b.noConsoleErrors("inscription")

	// The confirmation link, from the development mailbox.
	b.open("/dev/courriels")
	b.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const mail = [...document.querySelectorAll(".mail")].find(m => m.querySelector(".mail__to").textContent === %q &&
			m.querySelector(".mail__subject").textContent.includes("Confirmez"));
		mail.querySelector(".mail__text a").click();
	})()`, email)))
	b.waitFor(`location.pathname === "/compte/confirmer" && document.readyState === "complete"`)
	b.click(`form[action="/compte/confirmer"] button`)
	b.waitFor(`location.pathname === "/connexion" && document.querySelector(".fr-alert--success") && document.readyState === "complete"`)
	b.login(email, password)
	b.noConsoleErrors("espace")
	b.axe("tableau de bord")

	// A structure, its commune chosen among the suggestions.
	b.click(`a[href="/espace/structures/nouvelle"]`)
	b.waitFor(`location.pathname === "/espace/structures/nouvelle" && document.readyState === "complete"`)
	structure := "Association Mobilité Pour Tous " + uniq()
	b.fill(`#champ-nom`, structure)
	b.fill(`#champ-siret`, newSIRET())
	b.fill(`#champ-adresse`, "8 rue des Écoles")
	b.fill(`#champ-commune`, "Poitie")
	b.waitFor(`document.querySelector('#champ-commune-suggestions [role="option"]')`)
	b.press(kb.ArrowDown)
	b.enter()
	if code := eval[string](b, `document.querySelector('input[name="code_insee"]').value`); code != poitiers {
		t.Fatalf("commune chosen: code %q", code)
	}
	b.click(`form[action="/espace/structures"] button[type="submit"]`)
	b.waitFor(fmt.Sprintf(`document.querySelector("h1") && document.querySelector("h1").textContent === %q && document.readyState === "complete"`, structure))
	b.noConsoleErrors("structure")

	// A service, every section of the editor used.
	b.click(`a[href$="/services/nouveau"]`)
	b.waitFor(`document.querySelector("form[data-editor]") && document.readyState === "complete"`)
	service := "Location de scooters à un euro " + uniq()
	b.fill(`#champ-nom`, service)
	b.click(`details.choices__section:nth-of-type(9) summary`) // Mobilité
	b.click(`label[for="champ-thematiques-mobilite--acceder-a-un-vehicule"]`)
	b.fill(`#champ-description`, "Des scooters **à un euro** par jour pour aller travailler.")
	b.click(`[data-preview-button]`)
	b.waitFor(`document.querySelector("[data-preview-body] strong")`)
	b.click(`label[for="champ-publics-demandeurs-emploi"]`)
	b.click(`label[for="champ-modes-accueil-en-presentiel"]`)
	b.fill(`#champ-telephone`, "05 49 11 22 33")
	b.fill(`#champ-horaires-lundi`, "9h-12h")
	b.fill(`#champ-zone-ajout`, "Vienne")
	b.waitFor(`[...document.querySelectorAll('#champ-zone-ajout-suggestions [role="option"]')].some(o => o.textContent === "Département : Vienne (86)")`)
	b.do(chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('#champ-zone-ajout-suggestions [role="option"]')].find(o => o.textContent === "Département : Vienne (86)").click()`))
	b.waitFor(`document.querySelector('input[name="zone_eligibilite"][value="departement:86"]:checked')`)
	b.click(`.editor__actions button[type="submit"]`) // "Enregistrer le brouillon"
	b.waitFor(`location.search.includes("ok=brouillon") && document.readyState === "complete"`)
	b.waitFor(`document.querySelector("[data-hours-preview] table") && document.querySelector("[data-hours-preview]").textContent.includes("9 h – 12 h")`)
	b.noConsoleErrors("éditeur")
	b.axe("éditeur de service")
	b.screenshot("espace-editeur")
	editor := eval[string](b, `location.pathname`)

	// Published, it is in the search at once.
	b.click(`button[formaction$="/publier"]`)
	b.waitFor(`location.search.includes("ok=publie") && document.readyState === "complete"`)
	start := time.Now()
	b.open("/recherche?partout=1&q=" + url.QueryEscape(service))
	b.waitFor(`document.getElementById("resultats-titre") && document.readyState === "complete"`)
	if !eval[bool](b, fmt.Sprintf(`[...document.querySelectorAll(".fr-card__title a")].some(a => a.textContent === %q)`, service)) {
		t.Fatalf("the published service is not in the search: %q", b.text("#resultats-titre"))
	}
	t.Logf("published to found in the search page: %v", time.Since(start))

	// Another session edits it at the same time.
	other := b.session()
	other.login(email, password)
	other.open(editor)
	b.open(editor)
	other.clear(`#champ-description`)
	other.fill(`#champ-description`, "Texte de l’autre session.")
	other.click(`.editor__actions button[type="submit"]`)
	other.waitFor(`location.search.includes("ok=enregistre") && document.readyState === "complete"`)

	b.clear(`#champ-description`)
	b.fill(`#champ-description`, "Mon texte.")
	b.clear(`#champ-telephone`)
	b.fill(`#champ-telephone`, "05 49 44 55 66")
	b.click(`.editor__actions button[type="submit"]`)
	b.waitFor(`document.getElementById("conflit") && document.readyState === "complete"`)
	b.screenshot("espace-conflit")
	if got := b.text(".conflict-summary tbody"); !strings.Contains(got, "Mon texte.") || !strings.Contains(got, "Texte de l’autre session.") {
		t.Fatalf("conflict: both versions not shown: %q", got)
	}
	for _, msg := range b.consoleErrors() {
		if !strings.Contains(msg, "status of 409") { // the conflict page's own status
			t.Errorf("conflit: console: %s", msg)
		}
	}
	// Merge: take the other text, add one's own, keep one's phone.
	b.click(`#champ-description ~ .conflict [data-use-other]`)
	if got := eval[string](b, `document.getElementById("champ-description").value`); got != "Texte de l’autre session." {
		t.Fatalf("taking the other version: %q", got)
	}
	b.do(chromedp.Evaluate[chromedp.Void](`(() => { const d = document.getElementById("champ-description"); d.focus(); d.setSelectionRange(d.value.length, d.value.length); })()`))
	b.press(" Et le mien.")
	b.click(`.editor__actions button[type="submit"]`)
	b.waitFor(`location.search.includes("ok=enregistre") && document.readyState === "complete"`)
	id := strings.TrimPrefix(editor, "/espace/services/")
	svc, err := e.store.Service(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if svc.Description != "Texte de l’autre session. Et le mien." || svc.Phone != "+33549445566" {
		t.Errorf("merged: %q, %q", svc.Description, svc.Phone)
	}

	// Archived, it leaves the search.
	b.click(`form[action$="/archiver"] button`)
	b.waitFor(`location.search.includes("ok=archive") && document.readyState === "complete"`)
	b.open("/espace")
	b.axe("tableau de bord avec une structure")
	b.screenshot("espace-tableau-de-bord")
	b.open("/recherche?partout=1&q=" + url.QueryEscape(service))
	b.waitFor(`document.getElementById("resultats-titre") && document.readyState === "complete"`)
	if eval[bool](b, fmt.Sprintf(`[...document.querySelectorAll(".fr-card__title a")].some(a => a.textContent === %q)`, service)) {
		t.Error("the archived service is still in the search")
	}
	b.noConsoleErrors("recherche")
}
