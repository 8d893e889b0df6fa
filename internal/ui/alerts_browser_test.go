package ui_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/repere-spie/repere/internal/directory"
)

// TestBrowserAlertJourney creates an alert from a results page in a real
// browser, on a phone, without an account: the form, the confirmation
// link from the development mailbox, then the list of one's alerts, where
// the frequency changes and the alert is deleted.
func TestBrowserAlertJourney(t *testing.T) {
	b := partnerTab(t)
	e := partner(t)
	ctx := context.Background()
	b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	email := "alerte.navigateur" + uniq() + "@exemple.fr"

	b.open("/recherche?code_commune=" + poitiers + "&thematiques=mobilite")
	b.click(`a.alert-create`)
	b.waitFor(`location.pathname === "/alertes/nouvelle" && document.readyState === "complete"`)
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the alert form is %d px wide on a 390 px phone", w)
	}
	b.axe("créer une alerte")
	b.screenshot("alerte-creation-telephone")
	b.fill(`#champ-email`, email)
	b.click(`label[for="frequence-quotidienne"]`)
	b.click(`form.alert-form button[type="submit"]`)
	b.waitFor(`document.querySelector("h1") && document.querySelector("h1").textContent.includes("Confirmez votre alerte") && document.readyState === "complete"`)
	b.noConsoleErrors("alerte créée")

	// The confirmation link, from the development mailbox.
	b.open("/dev/courriels")
	b.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const mail = [...document.querySelectorAll(".mail")].find(m => m.querySelector(".mail__to").textContent === %q);
		[...mail.querySelectorAll(".mail__text a")].find(a => a.href.includes("/alertes/confirmer")).click();
	})()`, email)))
	b.waitFor(`location.pathname === "/alertes/confirmer" && document.readyState === "complete"`)
	b.click(`form[action="/alertes/confirmer"] button`)
	b.waitFor(`document.querySelector(".fr-alert--success") && document.readyState === "complete"`)
	b.click(`a[href*="/alertes?adresse="]`)
	b.waitFor(`document.querySelector(".alert-item") && document.readyState === "complete"`)
	b.axe("mes alertes")
	b.screenshot("alertes-liste-telephone")
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the list of alerts is %d px wide on a 390 px phone", w)
	}

	b.click(`.alert-item label[for$="-mensuelle"]`)
	b.click(`.alert-item button[type="submit"]:not([formaction])`)
	b.waitFor(`location.search.includes("ok=alerte-modifiee") && document.readyState === "complete"`)
	list, err := e.site.Alerts.ForEmail(ctx, email)
	if err != nil || len(list) != 1 || list[0].Frequency != directory.AlertMonthly || !list[0].Confirmed() {
		t.Fatalf("after changing the frequency: %+v, %v", list, err)
	}
	if !eval[bool](b, `document.querySelector('.alert-item input[value="mensuelle"]').checked`) {
		t.Error("the list does not show the new frequency")
	}
	b.click(`.alert-item button[formaction$="/supprimer"]`)
	b.waitFor(`location.search.includes("ok=alerte-supprimee") && document.readyState === "complete"`)
	if n := eval[int](b, `document.querySelectorAll(".alert-item").length`); n != 0 {
		t.Errorf("%d alerts listed after deleting", n)
	}
	if list, _ := e.site.Alerts.ForEmail(ctx, email); len(list) != 0 {
		t.Errorf("alert still stored: %+v", list)
	}
	b.noConsoleErrors("mes alertes")
}
