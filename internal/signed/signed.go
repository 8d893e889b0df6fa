// Package signed makes links that carry their own proof: an HMAC of what
// they allow, under a key derived from the site's secret for one purpose,
// so that a link made for one purpose is worth nothing for another. Nothing
// is stored: such a link cannot be revoked before it expires, which suits
// harmless, repeatable actions (unsubscribe, confirm a service is up to
// date), not sign-in.
package signed

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// Signer signs for one purpose.
type Signer struct{ key []byte }

// New derives the key of purpose from the site's secret.
func New(secret []byte, purpose string) *Signer {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("signed:" + purpose))
	return &Signer{key: m.Sum(nil)}
}

// sigLen is the length kept of the HMAC: 160 bits.
const sigLen = 20

// Sign returns the signature of the parts, URL-safe.
func (s *Signer) Sign(parts ...string) string {
	m := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		m.Write([]byte(strconv.Itoa(len(p)) + ":" + p)) // "ab"+"c" and "a"+"bc" differ
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:sigLen])
}

// Valid reports whether sig signs the parts.
func (s *Signer) Valid(sig string, parts ...string) bool {
	return hmac.Equal([]byte(sig), []byte(s.Sign(parts...)))
}

// SignUntil returns a token for the parts that expires at exp.
func (s *Signer) SignUntil(exp time.Time, parts ...string) string {
	e := strconv.FormatInt(exp.Unix(), 36)
	return e + "." + s.Sign(append([]string{e}, parts...)...)
}

// ValidUntil reports whether token was made for the parts and has not
// expired at now.
func (s *Signer) ValidUntil(token string, now time.Time, parts ...string) bool {
	e, sig, ok := strings.Cut(token, ".")
	if !ok {
		return false
	}
	exp, err := strconv.ParseInt(e, 36, 64)
	if err != nil || !now.Before(time.Unix(exp, 0)) {
		return false
	}
	return s.Valid(sig, append([]string{e}, parts...)...)
}
