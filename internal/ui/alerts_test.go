package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/repere-spie/repere/internal/directory"
)

// linkIn returns the first URL of the site in text that contains part,
// relative to the site.
func linkIn(t *testing.T, e *partnerEnv, text, part string) string {
	t.Helper()
	for _, f := range strings.Fields(text) {
		if strings.HasPrefix(f, e.base) && strings.Contains(f, part) {
			return strings.TrimPrefix(f, e.base)
		}
	}
	t.Fatalf("no link with %q in:\n%s", part, text)
	return ""
}

// An alert from a results page, without an account: the form, the
// confirmation by mail, the list opened by the mail's link, a new
// frequency, and the one-click unsubscribe, which needs no session and
// cannot be forged.
func TestAlertWithoutAccount(t *testing.T) {
	e := partner(t)
	ctx := context.Background()
	v := e.visitor(t)
	p := v.get("/recherche?code_commune=" + poitiers + "&thematiques=mobilite")
	href, ok := p.doc.Find("a.alert-create").Attr("href")
	if p.status != http.StatusOK || !ok || href != "/alertes/nouvelle?code_commune="+poitiers+"&thematiques=mobilite" {
		t.Fatalf("results page: %d, alert link %q", p.status, href)
	}
	p = v.get(href)
	if p.status != http.StatusOK || !strings.Contains(p.doc.Find("h1 + p").Text(), "Mobilité à Poitiers") {
		t.Fatalf("form: %d %q", p.status, p.doc.Find("h1 + p").Text())
	}
	if p := v.post(href, url.Values{"email": {"pas une adresse"}, "frequence": {"hebdomadaire"}}); p.status != http.StatusUnprocessableEntity ||
		p.doc.Find(".fr-error-text, .fr-alert--error").Length() == 0 {
		t.Fatalf("bad address: %d", p.status)
	}
	email := "abonnee" + uniq() + "@exemple.fr"
	if p := v.post(href, url.Values{"email": {email}, "frequence": {"hebdomadaire"}}); p.status != http.StatusOK || !strings.Contains(p.body, "Confirmez votre alerte") {
		t.Fatalf("create: %d\n%s", p.status, p.body)
	}
	list, err := e.site.Alerts.ForEmail(ctx, email)
	if err != nil || len(list) != 1 || list[0].Confirmed() {
		t.Fatalf("after the form: %+v, %v", list, err)
	}
	al := list[0]
	m, ok := e.mailbox.Last(email)
	if !ok {
		t.Fatal("no confirmation mail")
	}
	confirm := linkIn(t, e, m.Text, "/alertes/confirmer")
	p = v.get(confirm)
	if p.status != http.StatusOK || p.doc.Find(`form[action="/alertes/confirmer"] button`).Length() != 1 {
		t.Fatalf("confirmation page: %d", p.status)
	}
	u, _ := url.Parse(confirm)
	p = v.post("/alertes/confirmer", url.Values{"alerte": {u.Query().Get("alerte")}, "jeton": {u.Query().Get("jeton")}})
	if p.status != http.StatusOK || !strings.Contains(p.body, "Votre alerte est confirmée") {
		t.Fatalf("confirm: %d", p.status)
	}

	// The list, opened by the link every alert mail carries.
	manage := strings.TrimPrefix(e.site.Alerts.ManageURL(email), e.base)
	stranger := e.visitor(t)
	p = stranger.get(manage)
	if p.status != http.StatusOK || p.doc.Find("#alerte-"+al.ID).Length() != 1 {
		t.Fatalf("list: %d\n%s", p.status, p.body)
	}
	mu, _ := url.Parse(manage)
	access := url.Values{"adresse": {email}, "jeton": {mu.Query().Get("jeton")}}
	forged := url.Values{"adresse": {email}, "jeton": {mu.Query().Get("jeton") + "x"}, "frequence": {"mensuelle"}}
	if p := stranger.get("/alertes?adresse=" + url.QueryEscape(email) + "&jeton=x"); p.doc.Find("#alerte-"+al.ID).Length() != 0 {
		t.Fatal("a forged link opens the list")
	}
	if p := stranger.post("/alertes/"+al.ID+"/frequence", forged); p.status == http.StatusSeeOther && !strings.HasPrefix(p.location, "/connexion") {
		t.Fatalf("forged change: %d %s", p.status, p.location)
	}
	access.Set("frequence", "mensuelle")
	if p := stranger.post("/alertes/"+al.ID+"/frequence", access); p.status != http.StatusSeeOther || !strings.Contains(p.location, "ok=alerte-modifiee") {
		t.Fatalf("change: %d %s", p.status, p.location)
	}
	if got, _ := e.site.Alerts.ForEmail(ctx, email); got[0].Frequency != directory.AlertMonthly {
		t.Fatalf("frequency %s", got[0].Frequency)
	}
	// Another address's link cannot touch it.
	other := strings.TrimPrefix(e.site.Alerts.ManageURL("autre"+uniq()+"@exemple.fr"), e.base)
	ou, _ := url.Parse(other)
	if p := stranger.post("/alertes/"+al.ID+"/supprimer", url.Values{"adresse": {ou.Query().Get("adresse")}, "jeton": {ou.Query().Get("jeton")}}); p.status != http.StatusNotFound {
		t.Fatalf("deleting another address's alert: %d", p.status)
	}

	// One click from the mail client: no cookie, no CSRF token.
	unsub := strings.TrimPrefix(e.site.Alerts.UnsubscribeURL(al.ID), e.base)
	oneClick := func(path string) page {
		return e.visitor(t).do(http.MethodPost, path, url.Values{"List-Unsubscribe": {"One-Click"}})
	}
	if p := oneClick(unsub[:len(unsub)-3] + "abc"); p.status != http.StatusNotFound {
		t.Fatalf("forged unsubscribe: %d", p.status)
	}
	if got, _ := e.site.Alerts.ForEmail(ctx, email); len(got) != 1 {
		t.Fatal("a forged unsubscribe deleted the alert")
	}
	if p := e.visitor(t).get(unsub); p.status != http.StatusOK || p.doc.Find("form button").Length() != 1 {
		t.Fatalf("unsubscribe page: %d", p.status)
	}
	if p := oneClick(unsub); p.status != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %d\n%s", p.status, p.body)
	}
	if got, _ := e.site.Alerts.ForEmail(ctx, email); len(got) != 0 {
		t.Fatalf("after unsubscribing: %+v", got)
	}
}

// Signed in, an alert to one's own address needs no confirmation, and the
// list is at /alertes.
func TestAlertSignedIn(t *testing.T) {
	e := partner(t)
	v := people(t, e).roles[rOtherModerator] // sign-ups are limited by address: the matrix's people
	href := "/alertes/nouvelle?q=" + url.QueryEscape("vélo")
	p := v.get(href)
	if got, _ := p.doc.Find("#champ-email").Attr("value"); got != v.email {
		t.Fatalf("address not filled in: %q", got)
	}
	p = v.post(href, url.Values{"email": {v.email}, "frequence": {"quotidienne"}})
	if p.status != http.StatusSeeOther || p.location != "/alertes?ok=alerte" {
		t.Fatalf("create: %d %s", p.status, p.location)
	}
	p = v.get("/alertes")
	if p.doc.Find(".alert-item").Length() != 1 || strings.Contains(p.doc.Find(".alert-item").Text(), "En attente de confirmation") ||
		!strings.Contains(p.doc.Find(".alert-item h2").Text(), "« vélo » dans toute la France") {
		t.Fatalf("list:\n%s", p.doc.Find("main").Text())
	}
	if p := e.visitor(t).get("/alertes"); p.doc.Find(".alert-item").Length() != 0 || p.doc.Find(`form[action="/alertes/lien"]`).Length() != 1 {
		t.Fatal("an anonymous visitor sees alerts, or no way to ask for the link")
	}
}
