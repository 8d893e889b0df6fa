package oidc_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/oidc"
	"github.com/repere-spie/repere/internal/oidc/oidctest"
)

const redirect = "https://repere.exemple.fr/connexion/proconnect/retour"

var camille = oidctest.Identity{Subject: "sub-camille", Email: "Camille.Martin@Exemple.gouv.fr",
	GivenName: "Camille", UsualName: "Martin", SIRET: "13002526500013"}

func setup(t *testing.T) (*oidctest.Provider, *oidc.Client) {
	t.Helper()
	p := oidctest.Start(t, "repere", "secret-client")
	p.User = camille
	c, err := oidc.New(oidc.Config{Issuer: p.Issuer(), ClientID: "repere", ClientSecret: "secret-client", RedirectURL: redirect})
	if err != nil {
		t.Fatal(err)
	}
	return p, c
}

func TestProConnectFlow(t *testing.T) {
	p, c := setup(t)
	ctx := context.Background()
	authURL, flow, err := c.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(authURL)
	q := u.Query()
	for k, want := range map[string]string{
		"client_id": "repere", "redirect_uri": redirect, "response_type": "code",
		"code_challenge_method": "S256", "state": flow.State, "nonce": flow.Nonce,
	} {
		if q.Get(k) != want {
			t.Errorf("authorisation URL %s = %q, want %q", k, q.Get(k), want)
		}
	}
	if q.Get("code_challenge") == "" || q.Get("code_challenge") == flow.Verifier {
		t.Errorf("code_challenge %q must be derived from the verifier, not equal to it", q.Get("code_challenge"))
	}
	if !strings.Contains(q.Get("scope"), "siret") || !strings.Contains(q.Get("scope"), "openid") {
		t.Errorf("scope %q", q.Get("scope"))
	}
	back, err := p.Login(authURL)
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.Finish(ctx, flow, back)
	if err != nil {
		t.Fatal(err)
	}
	if id.Subject != camille.Subject || id.Email != "camille.martin@exemple.gouv.fr" || id.Name() != "Camille Martin" ||
		id.SIRET != camille.SIRET || id.IDToken == "" {
		t.Fatalf("identity %+v", id)
	}
	// The code is single-use.
	if _, err := c.Finish(ctx, flow, back); err == nil {
		t.Fatal("a code was accepted twice")
	}
	logout, err := c.LogoutURL(ctx, id.IDToken, "https://repere.exemple.fr/", "xyz")
	if err != nil {
		t.Fatal(err)
	}
	lu, _ := url.Parse(logout)
	if !strings.HasPrefix(logout, p.Issuer()+"/logout?") || lu.Query().Get("id_token_hint") != id.IDToken ||
		lu.Query().Get("post_logout_redirect_uri") != "https://repere.exemple.fr/" {
		t.Errorf("logout URL %s", logout)
	}
}

func TestProConnectRefusals(t *testing.T) {
	tests := []struct {
		name      string
		provider  func(p *oidctest.Provider)
		callback  func(q url.Values)
		flow      func(f *oidc.Flow)
		noToken   bool // refused before any call to the token endpoint
		cancelled bool
	}{
		{name: "state differs", callback: func(q url.Values) { q.Set("state", "forged") }, noToken: true},
		{name: "no state kept", flow: func(f *oidc.Flow) { f.State = "" }, callback: func(q url.Values) { q.Set("state", "") }, noToken: true},
		{name: "access denied", provider: func(p *oidctest.Provider) { p.Deny = true }, noToken: true, cancelled: true},
		{name: "PKCE verifier differs", flow: func(f *oidc.Flow) { f.Verifier = strings.Repeat("x", 43) }},
		{name: "nonce differs", provider: func(p *oidctest.Provider) {
			p.EditIDToken = func(c map[string]any) { c["nonce"] = "replayed" }
		}},
		{name: "no nonce", provider: func(p *oidctest.Provider) {
			p.EditIDToken = func(c map[string]any) { delete(c, "nonce") }
		}},
		{name: "signed with an unknown key", provider: func(p *oidctest.Provider) { p.ForeignKey = true }},
		{name: "expired", provider: func(p *oidctest.Provider) {
			p.EditIDToken = func(c map[string]any) { c["exp"] = time.Now().Add(-time.Hour).Unix() }
		}},
		{name: "other audience", provider: func(p *oidctest.Provider) {
			p.EditIDToken = func(c map[string]any) { c["aud"] = "another-client" }
		}},
		{name: "other issuer", provider: func(p *oidctest.Provider) {
			p.EditIDToken = func(c map[string]any) { c["iss"] = "https://evil.example" }
		}},
		{name: "userinfo for someone else", provider: func(p *oidctest.Provider) {
			p.EditUserInfo = func(c map[string]any) { c["sub"] = "sub-other" }
		}},
		{name: "userinfo without e-mail", provider: func(p *oidctest.Provider) {
			p.EditUserInfo = func(c map[string]any) { delete(c, "email") }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, c := setup(t)
			ctx := context.Background()
			if tt.provider != nil {
				tt.provider(p)
			}
			authURL, flow, err := c.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			back, err := p.Login(authURL)
			if err != nil {
				t.Fatal(err)
			}
			if tt.callback != nil {
				tt.callback(back)
			}
			if tt.flow != nil {
				tt.flow(&flow)
			}
			id, err := c.Finish(ctx, flow, back)
			if err == nil {
				t.Fatalf("accepted: %+v", id)
			}
			if tt.noToken && p.TokenRequests() != 0 {
				t.Errorf("the code was exchanged before the refusal")
			}
			if errors.Is(err, oidc.ErrCancelled) != tt.cancelled {
				t.Errorf("error %v: cancelled = %v, want %v", err, !tt.cancelled, tt.cancelled)
			}
		})
	}
}

func TestUnreachableProvider(t *testing.T) {
	c, err := oidc.New(oidc.Config{Issuer: "http://127.0.0.1:1", ClientID: "repere", ClientSecret: "s", RedirectURL: redirect})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Begin(context.Background()); err == nil {
		t.Fatal("Begin succeeded without a reachable provider")
	}
	if _, err := oidc.New(oidc.Config{Issuer: "http://127.0.0.1:1"}); err == nil {
		t.Fatal("New accepted a configuration without client id")
	}
}
