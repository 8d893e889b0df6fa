// Package oidctest runs an OpenID Connect provider in-process for tests,
// shaped like ProConnect: discovery, authorisation with PKCE (S256), a token
// endpoint checking the client secret and the code verifier, RS256-signed ID
// tokens, and a userinfo endpoint answering a signed JWT. Fields let a test
// make it misbehave.
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Identity is the person who signs in at the provider.
type Identity struct {
	Subject   string
	Email     string
	GivenName string
	UsualName string
	SIRET     string
}

// Provider is a running test provider.
type Provider struct {
	Server       *httptest.Server
	ClientID     string
	ClientSecret string

	mu sync.Mutex
	// User signs in at the next authorisation.
	User Identity
	// Deny makes the next authorisations answer error=access_denied.
	Deny bool
	// EditIDToken changes the ID token's claims before signing.
	EditIDToken func(claims map[string]any)
	// EditUserInfo changes the userinfo claims before signing.
	EditUserInfo func(claims map[string]any)
	// ForeignKey signs tokens with a key the JWKS does not publish.
	ForeignKey bool

	key, foreign  *rsa.PrivateKey
	codes, tokens map[string]*grant
	tokenRequests int
}

type grant struct {
	user      Identity
	nonce     string
	challenge string
	redirect  string
}

// Start runs a provider for the client until the test ends.
func Start(t testing.TB, clientID, clientSecret string) *Provider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	foreign, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &Provider{ClientID: clientID, ClientSecret: clientSecret, key: key, foreign: foreign,
		codes: map[string]*grant{}, tokens: map[string]*grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /userinfo", p.userinfo)
	mux.HandleFunc("GET /logout", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Server.Close)
	return p
}

// Issuer is the provider's issuer URL.
func (p *Provider) Issuer() string { return p.Server.URL }

// TokenRequests counts the calls to the token endpoint.
func (p *Provider) TokenRequests() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tokenRequests
}

// Login plays the browser and the person: it opens the authorisation URL and
// returns the query of the redirect back to the client.
func (p *Provider) Login(authURL string) (url.Values, error) {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(authURL)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("oidctest: authorize answered %s", resp.Status)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		return nil, err
	}
	return loc.Query(), nil
}

func (p *Provider) discovery(w http.ResponseWriter, r *http.Request) {
	u := p.Issuer()
	writeJSON(w, map[string]any{
		"issuer":                                u,
		"authorization_endpoint":                u + "/authorize",
		"token_endpoint":                        u + "/token",
		"userinfo_endpoint":                     u + "/userinfo",
		"jwks_uri":                              u + "/jwks",
		"end_session_endpoint":                  u + "/logout",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"userinfo_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	})
}

func (p *Provider) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &p.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
}

func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	switch {
	case q.Get("client_id") != p.ClientID || redirect == "":
		http.Error(w, "unknown client", http.StatusBadRequest)
		return
	case q.Get("response_type") != "code" || !strings.Contains(" "+q.Get("scope")+" ", " openid "),
		q.Get("code_challenge_method") != "S256", q.Get("code_challenge") == "",
		q.Get("state") == "", q.Get("nonce") == "":
		http.Error(w, "bad authorisation request", http.StatusBadRequest)
		return
	}
	back, _ := url.Parse(redirect)
	v := back.Query()
	v.Set("state", q.Get("state"))
	p.mu.Lock()
	if p.Deny {
		v.Set("error", "access_denied")
	} else {
		code := random()
		p.codes[code] = &grant{user: p.User, nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: redirect}
		v.Set("code", code)
	}
	p.mu.Unlock()
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokenRequests++
	id, secret, ok := r.BasicAuth()
	if ok {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	if id != p.ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(p.ClientSecret)) != 1 {
		tokenError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	code := r.PostFormValue("code")
	g := p.codes[code]
	delete(p.codes, code) // single use, whatever happens next
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	switch {
	case r.PostFormValue("grant_type") != "authorization_code" || g == nil,
		r.PostFormValue("redirect_uri") != g.redirect,
		base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		tokenError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	now := time.Now()
	claims := map[string]any{
		"iss": p.Issuer(), "sub": g.user.Subject, "aud": p.ClientID,
		"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "nonce": g.nonce,
		"acr": "eidas1", "amr": []string{"pwd"},
	}
	if p.EditIDToken != nil {
		p.EditIDToken(claims)
	}
	idToken, err := p.sign(claims)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	access := random()
	p.tokens[access] = g
	writeJSON(w, map[string]any{"access_token": access, "token_type": "Bearer", "expires_in": 60, "id_token": idToken})
}

func (p *Provider) userinfo(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	g := p.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	if g == nil {
		http.Error(w, "invalid token", http.StatusUnauthorized)
		return
	}
	claims := map[string]any{
		"iss": p.Issuer(), "aud": p.ClientID, "sub": g.user.Subject, "email": g.user.Email,
		"given_name": g.user.GivenName, "usual_name": g.user.UsualName, "siret": g.user.SIRET, "uid": "uid-" + g.user.Subject,
	}
	if p.EditUserInfo != nil {
		p.EditUserInfo(claims)
	}
	jwt, err := p.sign(claims)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/jwt")
	_, _ = w.Write([]byte(jwt))
}

func (p *Provider) sign(claims map[string]any) (string, error) {
	key := p.key
	if p.ForeignKey {
		key = p.foreign
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "k1"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}

func tokenError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func random() string {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(errors.New("oidctest: no randomness"))
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}
