package account

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// Cookie names. "__Host-" makes browsers refuse the cookie unless it is
// Secure, host-only and for Path=/.
const (
	SessionCookieName    = "__Host-repere_session"
	AnonCookieName       = "__Host-repere_anon"       // binds CSRF tokens before sign-in
	ProConnectCookieName = "__Host-repere_proconnect" // the state of a ProConnect sign-in in progress
)

// newSecret returns 256 random bits, URL-safe.
func newSecret() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// tokenID is what the store keeps of a secret: its hash, salted with the kind
// so a link of one kind is unknown (and not consumed) on another's page.
func tokenID(kind, secret string) string {
	sum := sha256.Sum256([]byte(kind + ":" + secret))
	return hex.EncodeToString(sum[:])
}

// Token kinds.
const (
	kindVerify     = "verify"
	kindReset      = "reset"
	kindInvitation = "invitation"
	kindFlow       = "oidc_flow"
	kindSession    = "session"
)

func derive(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

// NewAnonymousID returns a value for the AnonCookieName cookie, which binds
// the CSRF tokens of forms shown before sign-in (sign-up, login, reset).
func NewAnonymousID() string { return newSecret() }

// CSRFToken returns the token to put in the forms of the browser bound by
// binding: the session's ID when signed in (Actor.CSRFBinding), else the
// anonymous cookie's value.
func (a *Accounts) CSRFToken(binding string) string {
	m := hmac.New(sha256.New, a.csrfKey)
	m.Write([]byte(binding))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckCSRF returns EFORBIDDEN unless token was made for binding.
func (a *Accounts) CheckCSRF(binding, token string) error {
	if binding == "" || !hmac.Equal([]byte(token), []byte(a.CSRFToken(binding))) {
		return directory.Errorf(directory.EFORBIDDEN, "Le formulaire a expiré ou ne vient pas de Repère. Rechargez la page et recommencez.")
	}
	return nil
}

// SessionCookie returns the session cookie to set after a login.
func SessionCookie(token string) *http.Cookie {
	return hostCookie(SessionCookieName, token, AbsoluteTimeout)
}

// AnonCookie returns the cookie holding an anonymous CSRF binding.
func AnonCookie(id string) *http.Cookie { return hostCookie(AnonCookieName, id, AbsoluteTimeout) }

// ProConnectCookie returns the cookie holding a sign-in's state.
func ProConnectCookie(state string) *http.Cookie {
	return hostCookie(ProConnectCookieName, state, flowTTL)
}

// ExpiredCookie returns a cookie that deletes the named one.
func ExpiredCookie(name string) *http.Cookie {
	c := hostCookie(name, "", 0)
	c.MaxAge = -1
	c.Expires = time.Unix(0, 0)
	return c
}

func hostCookie(name, value string, life time.Duration) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(life / time.Second),
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode}
}

// saveToken stores a new token of kind and returns its secret.
func (a *Accounts) saveToken(ctx context.Context, kind string, ttl time.Duration, t store.Token) (string, error) {
	secret := newSecret()
	now := a.now().UTC()
	t.ID, t.Kind, t.CreatedAt, t.ExpireAt = tokenID(kind, secret), kind, now, now.Add(ttl)
	return secret, a.store.CreateToken(ctx, &t)
}

var errBadLink = directory.Errorf(directory.ENOTFOUND, "Ce lien n’est pas valide ou a expiré. Vous pouvez en demander un nouveau.")

// peekToken returns a live token without consuming it.
func (a *Accounts) peekToken(ctx context.Context, kind, secret string) (*store.Token, error) {
	if secret == "" {
		return nil, errBadLink
	}
	t, err := a.store.Token(ctx, tokenID(kind, secret))
	if directory.ErrorCode(err) == directory.ENOTFOUND || (err == nil && !a.now().Before(t.ExpireAt)) {
		return nil, errBadLink
	}
	return t, err
}

// takeToken consumes a live token: of two concurrent takes, one succeeds.
func (a *Accounts) takeToken(ctx context.Context, kind, secret string) (*store.Token, error) {
	if secret == "" {
		return nil, errBadLink
	}
	t, err := a.store.TakeToken(ctx, tokenID(kind, secret))
	if directory.ErrorCode(err) == directory.ENOTFOUND || (err == nil && !a.now().Before(t.ExpireAt)) {
		return nil, errBadLink
	}
	return t, err
}
