package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/app"
	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/config"
	"github.com/repere-spie/repere/internal/oidc/oidctest"
)

func TestSignUpVerifyAndLogin(t *testing.T) {
	e := partner(t)
	v := e.visitor(t)
	email := "camille" + uniq() + "@exemple.fr"

	// A weak password and a bad address come back with a message each, and
	// what was typed (but the password).
	p := v.post("/inscription", url.Values{"nom": {"Camille Martin"}, "email": {"camille@"}, "mot_de_passe": {"motdepasse"}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid sign-up: %d", p.status)
	}
	for _, sel := range []string{"#champ-email-erreur", "#champ-mot-de-passe-erreur"} {
		if p.doc.Find(sel).Length() != 1 {
			t.Errorf("invalid sign-up: no message %s", sel)
		}
	}
	if got := p.doc.Find(`input[name="nom"]`).AttrOr("value", ""); got != "Camille Martin" {
		t.Errorf("name typed not kept: %q", got)
	}
	if got := p.doc.Find(`input[name="mot_de_passe"]`).AttrOr("value", ""); got != "" {
		t.Errorf("the password is sent back: %q", got)
	}

	p = v.post("/inscription", url.Values{"nom": {"Camille Martin"}, "email": {email}, "mot_de_passe": {testPassword}})
	if p.status != http.StatusOK || !strings.Contains(p.body, "Vérifiez votre messagerie") {
		t.Fatalf("sign-up: %d", p.status)
	}
	// Not confirmed yet: the login refuses, and sends a new link.
	p = v.post(account.LoginPath, url.Values{"email": {email}, "mot_de_passe": {testPassword}})
	if p.status != http.StatusForbidden || v.cookies[account.SessionCookieName] != "" {
		t.Fatalf("login before confirmation: %d, session %q", p.status, v.cookies[account.SessionCookieName])
	}

	// The development mailbox lists the mail, with its link.
	box := v.get("/dev/courriels")
	link := ""
	box.doc.Find(".mail").EachWithBreak(func(_ int, m *goquery.Selection) bool {
		if strings.Contains(m.Find(".mail__to").Text(), email) && strings.Contains(m.Find(".mail__subject").Text(), "Confirmez") {
			link = m.Find(".mail__text a").AttrOr("href", "")
			return false
		}
		return true
	})
	if !strings.HasPrefix(link, e.base+account.VerifyPath+"?jeton=") {
		t.Fatalf("no confirmation link in the mailbox page: %q", link)
	}
	u, _ := url.Parse(link)
	confirm := v.get(u.RequestURI())
	if confirm.status != http.StatusOK || confirm.doc.Find(`form[action="/compte/confirmer"] button`).Length() != 1 {
		t.Fatalf("confirmation page: %d", confirm.status)
	}
	p = v.post(account.VerifyPath, url.Values{"jeton": {u.Query().Get("jeton")}})
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, account.LoginPath) {
		t.Fatalf("confirm: %d %s", p.status, p.location)
	}
	if again := v.post(account.VerifyPath, url.Values{"jeton": {u.Query().Get("jeton")}}); again.status != http.StatusNotFound {
		t.Errorf("a confirmation link works twice: %d", again.status)
	}

	// A wrong password, then the right one.
	if p = v.post(account.LoginPath, url.Values{"email": {email}, "mot_de_passe": {"pas le bon mot de passe"}}); p.status != http.StatusUnauthorized {
		t.Errorf("wrong password: %d", p.status)
	}
	anon := v.cookies[account.AnonCookieName]
	p = v.post(account.LoginPath, url.Values{"email": {email}, "mot_de_passe": {testPassword}, "retour": {"/compte"}})
	if p.status != http.StatusSeeOther || p.location != "/compte" {
		t.Fatalf("login: %d %s", p.status, p.location)
	}
	if anon == "" || v.cookies[account.AnonCookieName] != "" {
		t.Errorf("the anonymous cookie outlives the login")
	}
	if p = v.get("/espace"); p.status != http.StatusOK || !strings.Contains(p.doc.Find("h1").Text(), "Camille Martin") {
		t.Errorf("dashboard after login: %d", p.status)
	}
	// An open redirect is refused, also when a browser would strip a tab or
	// read a backslash as a slash.
	for _, back := range []string{"//evil.example/", "/\t/evil.example", "/\\evil.example", "/\n/evil.example"} {
		v2 := e.visitor(t)
		if p = v2.post(account.LoginPath, url.Values{"email": {email}, "mot_de_passe": {testPassword}, "retour": {back}}); p.location != account.DashboardPath {
			t.Errorf("login with retour=%q goes to %q", back, p.location)
		}
	}
}

func TestSessionCookies(t *testing.T) {
	e := partner(t)
	v := e.member(t, "Dominique Durand")

	// The login sets a __Host- cookie: Secure, HttpOnly, SameSite=Lax, no
	// Domain, Path=/.
	f := url.Values{"email": {v.email}, "mot_de_passe": {v.pass}, "csrf": {v.csrf()}}
	old := v.cookies[account.SessionCookieName]
	p := v.do(http.MethodPost, account.LoginPath, f)
	var set *http.Cookie
	for _, c := range (&http.Response{Header: p.header}).Cookies() {
		if c.Name == account.SessionCookieName {
			set = c
		}
	}
	if set == nil {
		t.Fatal("no session cookie set at login")
	}
	if !set.Secure || !set.HttpOnly || set.SameSite != http.SameSiteLaxMode || set.Path != "/" || set.Domain != "" {
		t.Errorf("session cookie attributes: %+v", set)
	}
	// The session is rotated: the old token is dead.
	if set.Value == old {
		t.Fatal("the session token did not change at login")
	}
	if _, err := e.accounts.Authenticate(context.Background(), old); err == nil {
		t.Error("the session of before the login still works")
	}

	// "Se déconnecter de partout" ends every session of the account.
	other := e.visitor(t)
	other.email, other.pass = v.email, v.pass
	other.login()
	if p = v.post("/compte/deconnexion-partout", nil); p.status != http.StatusSeeOther {
		t.Fatalf("logout everywhere: %d", p.status)
	}
	if p = other.get("/espace"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, account.LoginPath) {
		t.Errorf("another browser's session survives logout everywhere: %d %s", p.status, p.location)
	}

	// Logout ends this one.
	v.login()
	if p = v.post("/deconnexion", nil); p.status != http.StatusSeeOther || v.cookies[account.SessionCookieName] != "" {
		t.Errorf("logout: %d, cookie %q", p.status, v.cookies[account.SessionCookieName])
	}
}

func TestPasswordReset(t *testing.T) {
	e := partner(t)
	v := e.member(t, "Alex Petit")
	anon := e.visitor(t)
	if p := anon.post("/compte/mot-de-passe/oubli", url.Values{"email": {v.email}}); p.status != http.StatusOK {
		t.Fatalf("reset request: %d", p.status)
	}
	token := e.token(t, v.email, "nouveau mot de passe")
	if p := anon.get(account.ResetPath + "?jeton=" + token); p.status != http.StatusOK || p.doc.Find(`input[name="mot_de_passe"]`).Length() != 1 {
		t.Fatalf("reset page: %d", p.status)
	}
	if p := anon.post(account.ResetPath, url.Values{"jeton": {token}, "mot_de_passe": {"court"}}); p.status != http.StatusUnprocessableEntity {
		t.Errorf("short password: %d", p.status)
	}
	if p := anon.post(account.ResetPath, url.Values{"jeton": {token}, "mot_de_passe": {"une toute nouvelle phrase secrète"}}); p.status != http.StatusSeeOther {
		t.Fatalf("reset: %d", p.status)
	}
	if p := v.get("/espace"); p.status != http.StatusSeeOther {
		t.Errorf("a session survives the password reset: %d", p.status)
	}
	v.pass = "une toute nouvelle phrase secrète"
	v.login()
}

func TestProConnect(t *testing.T) {
	e := partner(t)
	provider := oidctest.Start(t, "repere", "secret-client")
	cfg := apptest.Config(t, os.TempDir())
	cfg.BaseURL, cfg.TilesURL, cfg.SecretKey = e.base, "", "une autre clé de test de trente-deux octets"
	cfg.ProConnect = config.ProConnect{Issuer: provider.Issuer(), ClientID: "repere", ClientSecret: "secret-client"}
	m := &app.Main{Config: cfg, Store: e.store, Index: e.index, Catalog: e.catalog}
	if err := startSite(t, m, nil); err != nil {
		t.Fatal(err)
	}
	withPC := *e
	withPC.app, withPC.accounts = m.App, m.Accounts
	v := withPC.visitor(t)
	login := v.get(account.LoginPath)
	if login.doc.Find(`form[action="/connexion/proconnect"] button.fr-connect--pro`).Length() != 1 {
		t.Fatal("no ProConnect button")
	}
	if csp := login.header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' "+provider.Issuer()) {
		t.Errorf("CSP does not let the forms go to ProConnect: %s", csp)
	}
	provider.User = oidctest.Identity{Subject: "pc-" + uniq(), Email: "agent" + uniq() + "@exemple.gouv.fr", GivenName: "Agnès", UsualName: "Publique"}
	p := v.post("/connexion/proconnect", nil)
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, provider.Issuer()) || v.cookies[account.ProConnectCookieName] == "" {
		t.Fatalf("start: %d %s", p.status, p.location)
	}
	back, err := provider.Login(p.location)
	if err != nil {
		t.Fatal(err)
	}
	p = v.get("/connexion/proconnect/retour?" + back.Encode())
	if p.status != http.StatusSeeOther || p.location != account.DashboardPath || v.cookies[account.SessionCookieName] == "" {
		t.Fatalf("callback: %d %s %s", p.status, p.location, p.body)
	}
	if v.cookies[account.ProConnectCookieName] != "" {
		t.Error("the state cookie outlives the sign-in")
	}
	if d := v.get("/espace"); d.status != http.StatusOK || !strings.Contains(d.doc.Find("h1").Text(), "Agnès Publique") {
		t.Errorf("dashboard after ProConnect: %d", d.status)
	}
	// The same callback again is refused: the state was used.
	if again := v.get("/connexion/proconnect/retour?" + back.Encode()); again.status != http.StatusUnauthorized {
		t.Errorf("replayed callback: %d", again.status)
	}
	// Logging out ends the ProConnect session too.
	if p = v.post("/deconnexion", nil); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, provider.Issuer()+"/logout?") {
		t.Errorf("logout: %d %s", p.status, p.location)
	}
}

// TestLockedLoginOffersReset: an account locked by wrong passwords answers
// 429 with a link to the reset form, whose address field is filled in.
func TestLockedLoginOffersReset(t *testing.T) {
	e := partner(t)
	m := e.member(t, "Dominique Bernard")
	v := e.visitor(t)
	var p page
	for i := 0; i < 6 && p.status != http.StatusTooManyRequests; i++ {
		p = v.post(account.LoginPath, url.Values{"email": {m.email}, "mot_de_passe": {"pas le bon mot de passe"}})
	}
	if p.status != http.StatusTooManyRequests {
		t.Fatalf("six wrong passwords: %d, want 429", p.status)
	}
	link, ok := p.doc.Find(`.fr-alert a[href^="/compte/mot-de-passe/oubli"]`).Attr("href")
	if !ok {
		t.Fatalf("the locked-out page offers no reset link:\n%s", p.body)
	}
	form := v.get(link)
	if got, _ := form.doc.Find(`input[name="email"]`).Attr("value"); form.status != http.StatusOK || got != m.email {
		t.Errorf("reset form from the lock: %d, address %q, want %q", form.status, got, m.email)
	}
	// Platform administrators see the lock.
	admin := people(t, e).roles[rPlatform]
	locks := admin.get("/espace/administration/courriels")
	if row := locks.doc.Find("table.login-locks tbody tr").FilterFunction(func(_ int, r *goquery.Selection) bool {
		return strings.Contains(r.Text(), m.email)
	}); locks.status != http.StatusOK || row.Length() != 1 {
		t.Errorf("the administrators' page does not show the lock of %s: %d", m.email, locks.status)
	}
}
