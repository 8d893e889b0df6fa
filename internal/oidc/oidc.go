// Package oidc signs professionals in with ProConnect, the State's OpenID
// Connect provider: authorisation code flow with PKCE (S256), state and nonce
// checked, ID token signature, issuer, audience and expiry verified, and the
// identity read from the (signed) userinfo endpoint.
package oidc

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Config describes the client registered with the provider.
type Config struct {
	Issuer       string // e.g. https://auth.agentconnect.gouv.fr/api/v2
	ClientID     string
	ClientSecret string
	RedirectURL  string   // the site's callback, e.g. https://repere.example/connexion/proconnect/retour
	Scopes       []string // default: openid email given_name usual_name siret uid
	ACRValues    string   // optional acr_values, e.g. "eidas1"
	HTTPClient   *http.Client
}

// DefaultScopes ask ProConnect for the identity a partner account needs.
var DefaultScopes = []string{gooidc.ScopeOpenID, "email", "given_name", "usual_name", "siret", "uid"}

// Client runs the flow. Discovery happens on first use, so the site starts
// even when the provider is unreachable.
type Client struct {
	cfg Config

	mu       sync.Mutex
	provider *gooidc.Provider
	verifier *gooidc.IDTokenVerifier
	logout   string
}

// New checks the configuration.
func New(cfg Config) (*Client, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.ClientSecret == "" || cfg.RedirectURL == "" {
		return nil, errors.New("oidc: issuer, client id, client secret and redirect URL are required")
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = DefaultScopes
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	return &Client{cfg: cfg}, nil
}

func (c *Client) ctx(ctx context.Context) context.Context {
	ctx = gooidc.ClientContext(ctx, c.cfg.HTTPClient)
	return context.WithValue(ctx, oauth2.HTTPClient, c.cfg.HTTPClient)
}

// discover fetches the provider's metadata once; a failure is retried at the
// next call.
func (c *Client) discover(ctx context.Context) (*gooidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.provider, nil
	}
	p, err := gooidc.NewProvider(c.ctx(ctx), c.cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc: discovery: %w", err)
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&meta); err != nil {
		return nil, fmt.Errorf("oidc: discovery: %w", err)
	}
	c.provider, c.logout = p, meta.EndSession
	c.verifier = p.Verifier(&gooidc.Config{ClientID: c.cfg.ClientID})
	return p, nil
}

func (c *Client) oauth(p *gooidc.Provider) *oauth2.Config {
	return &oauth2.Config{
		ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, RedirectURL: c.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: c.cfg.Scopes,
	}
}

// Flow is what the site keeps between Begin and Finish, out of the browser's
// reach (the browser only holds State).
type Flow struct {
	State    string
	Nonce    string
	Verifier string // PKCE code verifier
}

// Begin returns the provider's authorisation URL to redirect the browser to,
// and the flow to keep for Finish.
func (c *Client) Begin(ctx context.Context) (string, Flow, error) {
	p, err := c.discover(ctx)
	if err != nil {
		return "", Flow{}, err
	}
	f := Flow{State: oauth2.GenerateVerifier(), Nonce: oauth2.GenerateVerifier(), Verifier: oauth2.GenerateVerifier()}
	opts := []oauth2.AuthCodeOption{gooidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)}
	if c.cfg.ACRValues != "" {
		opts = append(opts, oauth2.SetAuthURLParam("acr_values", c.cfg.ACRValues))
	}
	return c.oauth(p).AuthCodeURL(f.State, opts...), f, nil
}

// Identity is the professional the provider vouches for.
type Identity struct {
	Subject   string
	Email     string // lower-cased
	GivenName string
	UsualName string
	SIRET     string
	UID       string
	IDToken   string // raw, for the logout's id_token_hint
}

// Name is "given_name usual_name".
func (id *Identity) Name() string {
	return strings.TrimSpace(id.GivenName + " " + id.UsualName)
}

// ErrCancelled says the person declined or the provider refused at its end.
var ErrCancelled = errors.New("oidc: authorisation refused")

// Finish checks the callback's query against the flow, exchanges the code
// (with the PKCE verifier), verifies the ID token and its nonce, and reads
// the userinfo, whose subject must be the token's.
func (c *Client) Finish(ctx context.Context, f Flow, q url.Values) (*Identity, error) {
	if f.State == "" || subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1 {
		return nil, errors.New("oidc: state mismatch")
	}
	if e := q.Get("error"); e != "" {
		return nil, fmt.Errorf("%w: %s %s", ErrCancelled, e, q.Get("error_description"))
	}
	code := q.Get("code")
	if code == "" {
		return nil, errors.New("oidc: no code in the callback")
	}
	p, err := c.discover(ctx)
	if err != nil {
		return nil, err
	}
	ctx = c.ctx(ctx)
	tok, err := c.oauth(p).Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return nil, fmt.Errorf("oidc: code exchange: %w", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, errors.New("oidc: no id_token in the token response")
	}
	idt, err := c.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, fmt.Errorf("oidc: id token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return nil, errors.New("oidc: id token nonce mismatch")
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return nil, fmt.Errorf("oidc: access token: %w", err)
		}
	}
	info, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return nil, fmt.Errorf("oidc: userinfo: %w", err)
	}
	if info.Subject != idt.Subject {
		return nil, errors.New("oidc: userinfo subject differs from the id token's")
	}
	var claims struct {
		Email     string `json:"email"`
		GivenName string `json:"given_name"`
		UsualName string `json:"usual_name"`
		SIRET     string `json:"siret"`
		UID       string `json:"uid"`
	}
	if err := info.Claims(&claims); err != nil {
		return nil, fmt.Errorf("oidc: userinfo claims: %w", err)
	}
	if claims.Email == "" {
		return nil, errors.New("oidc: no e-mail in the userinfo")
	}
	return &Identity{
		Subject: idt.Subject, Email: strings.ToLower(strings.TrimSpace(claims.Email)),
		GivenName: claims.GivenName, UsualName: claims.UsualName, SIRET: claims.SIRET, UID: claims.UID,
		IDToken: raw,
	}, nil
}

// LogoutURL returns where to send the browser to end the provider's session
// too, or "" when the provider has no end_session_endpoint.
func (c *Client) LogoutURL(ctx context.Context, idToken, postLogoutRedirect, state string) (string, error) {
	if _, err := c.discover(ctx); err != nil {
		return "", err
	}
	if c.logout == "" {
		return "", nil
	}
	u, err := url.Parse(c.logout)
	if err != nil {
		return "", fmt.Errorf("oidc: end_session_endpoint: %w", err)
	}
	q := u.Query()
	q.Set("id_token_hint", idToken)
	q.Set("post_logout_redirect_uri", postLogoutRedirect)
	q.Set("state", state)
	u.RawQuery = q.Encode()
	return u.String(), nil
}
