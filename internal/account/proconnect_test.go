package account

import (
	"net/url"
	"strings"
	"testing"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/oidc"
	"github.com/repere-spie/repere/internal/oidc/oidctest"
	"github.com/repere-spie/repere/internal/store"
)

func proConnectFixture(t *testing.T) (*fixture, *oidctest.Provider) {
	t.Helper()
	p := oidctest.Start(t, "repere", "secret-client")
	c, err := oidc.New(oidc.Config{Issuer: p.Issuer(), ClientID: "repere", ClientSecret: "secret-client",
		RedirectURL: "https://repere.exemple.fr/connexion/proconnect/retour"})
	if err != nil {
		t.Fatal(err)
	}
	return newFixture(t, c), p
}

// signIn runs the browser's part: start, go to the provider, come back with
// the state cookie.
func signIn(f *fixture, p *oidctest.Provider) (*Login, error) {
	f.t.Helper()
	authURL, state, err := f.acc.StartProConnect(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	if c := ProConnectCookie(state); c.Name != ProConnectCookieName || !c.Secure || c.MaxAge != 600 {
		f.t.Fatalf("state cookie %+v", c)
	}
	back, err := p.Login(authURL)
	if err != nil {
		f.t.Fatal(err)
	}
	return f.acc.FinishProConnect(f.ctx, state, back, browser, "")
}

func TestProConnectSignIn(t *testing.T) {
	f, p := proConnectFixture(t)
	if !f.acc.ProConnectEnabled() {
		t.Fatal("ProConnect configured but disabled")
	}
	p.User = oidctest.Identity{Subject: "pc-1", Email: "Agent.Public@Exemple.gouv.fr", GivenName: "Agent", UsualName: "Public", SIRET: "13002526500013"}
	l, err := signIn(f, p)
	if err != nil {
		t.Fatal(err)
	}
	if l.User.Email != "agent.public@exemple.gouv.fr" || l.User.Name != "Agent Public" || !l.User.Verified() ||
		l.User.PasswordHash != "" || l.User.ProConnectSub != "pc-1" || l.Session.Via != "proconnect" || l.Session.IDToken == "" {
		t.Fatalf("ProConnect user %+v session %+v", l.User, l.Session)
	}
	actor := f.auth(l.Token)
	logout, err := f.acc.ProConnectLogoutURL(f.ctx, actor, "https://repere.exemple.fr/")
	if err != nil || !strings.HasPrefix(logout, p.Issuer()+"/logout?") {
		t.Fatalf("logout URL %q %v", logout, err)
	}
	// No password to log in with.
	_, err = f.acc.Login(f.ctx, LoginForm{Email: "agent.public@exemple.gouv.fr", Password: goodPassword}, browser, "")
	wantCode(t, "password login of a ProConnect account", err, directory.EUNAUTHORIZED)

	// The same person again: the same account.
	again, err := signIn(f, p)
	if err != nil || again.User.ID != l.User.ID {
		t.Fatalf("second sign-in: %+v %v", again, err)
	}
	if n, _ := f.store.CountUsers(f.ctx); n != 1 {
		t.Fatalf("%d accounts", n)
	}
}

func TestProConnectLinksAccounts(t *testing.T) {
	f, p := proConnectFixture(t)
	// A verified password account: linked, password kept.
	known := f.member("claude@exemple.gouv.fr", "Claude")
	p.User = oidctest.Identity{Subject: "pc-claude", Email: "claude@exemple.gouv.fr", GivenName: "Claude", UsualName: "Agent"}
	l, err := signIn(f, p)
	if err != nil || l.User.ID != known.User.ID || l.User.PasswordHash == "" {
		t.Fatalf("link to a verified account: %+v %v", l, err)
	}
	f.login("claude@exemple.gouv.fr", goodPassword)

	// An account someone opened with the address but never verified: the
	// address's owner takes it, and the squatter's password dies with it.
	if err := f.acc.SignUp(f.ctx, SignUpForm{Email: "dominique@exemple.gouv.fr", Name: "Squatteur", Password: goodPassword}, browser); err != nil {
		t.Fatal(err)
	}
	squat, _ := f.store.UserByKey(f.ctx, store.EmailKey("dominique@exemple.gouv.fr"))
	p.User = oidctest.Identity{Subject: "pc-dominique", Email: "dominique@exemple.gouv.fr", GivenName: "Dominique", UsualName: "Agent"}
	l, err = signIn(f, p)
	if err != nil || l.User.ID != squat.ID || l.User.PasswordHash != "" || !l.User.Verified() {
		t.Fatalf("unverified account: %+v %v", l, err)
	}
	if _, err := f.acc.VerifyEmail(f.ctx, f.link("dominique@exemple.gouv.fr", "Confirmez")); err != nil {
		t.Fatal(err)
	}
	_, err = f.acc.Login(f.ctx, LoginForm{Email: "dominique@exemple.gouv.fr", Password: goodPassword}, browser, "")
	wantCode(t, "squatter's password", err, directory.EUNAUTHORIZED)
}

func TestProConnectRefusals(t *testing.T) {
	f, p := proConnectFixture(t)
	p.User = oidctest.Identity{Subject: "pc-2", Email: "agent@exemple.gouv.fr", GivenName: "A", UsualName: "B"}

	authURL, state, err := f.acc.StartProConnect(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	back, err := p.Login(authURL)
	if err != nil {
		t.Fatal(err)
	}
	// The callback comes to a browser that did not start the sign-in.
	_, err = f.acc.FinishProConnect(f.ctx, "", back, browser, "")
	wantCode(t, "no state cookie", err, directory.EUNAUTHORIZED)
	other, _, _ := f.acc.StartProConnect(f.ctx)
	otherState := mustQuery(t, other).Get("state")
	_, err = f.acc.FinishProConnect(f.ctx, otherState, back, browser, "")
	wantCode(t, "another browser's state", err, directory.EUNAUTHORIZED)
	if p.TokenRequests() != 0 {
		t.Fatal("a code was exchanged for a mismatched state")
	}
	// The right browser: once.
	if _, err := f.acc.FinishProConnect(f.ctx, state, back, browser, ""); err != nil {
		t.Fatal(err)
	}
	_, err = f.acc.FinishProConnect(f.ctx, state, back, browser, "")
	wantCode(t, "replayed callback", err, directory.EUNAUTHORIZED)

	// Expired flows and cancelled sign-ins.
	authURL, state, _ = f.acc.StartProConnect(f.ctx)
	back, _ = p.Login(authURL)
	f.clock.Advance(flowTTL)
	_, err = f.acc.FinishProConnect(f.ctx, state, back, browser, "")
	wantCode(t, "expired flow", err, directory.EUNAUTHORIZED)
	p.Deny = true
	authURL, state, _ = f.acc.StartProConnect(f.ctx)
	back, _ = p.Login(authURL)
	_, err = f.acc.FinishProConnect(f.ctx, state, back, browser, "")
	wantCode(t, "cancelled", err, directory.EUNAUTHORIZED)
	if !strings.Contains(directory.ErrorMessage(err), "annulé") {
		t.Fatalf("cancel message %q", directory.ErrorMessage(err))
	}

	// Without configuration, nothing starts.
	plain := newFixture(t, nil)
	if plain.acc.ProConnectEnabled() {
		t.Fatal("enabled without configuration")
	}
	if _, _, err := plain.acc.StartProConnect(plain.ctx); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("start without configuration: %v", err)
	}
}

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}
