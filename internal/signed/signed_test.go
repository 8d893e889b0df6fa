package signed_test

import (
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/signed"
)

func TestSignatures(t *testing.T) {
	secret := []byte("une clé de test de trente-deux octets au moins")
	unsub := signed.New(secret, "alerte-desabonnement")
	sig := unsub.Sign("a1b2")
	if !unsub.Valid(sig, "a1b2") {
		t.Fatal("own signature refused")
	}
	for name, ok := range map[string]bool{
		"other id":      unsub.Valid(sig, "a1b3"),
		"other purpose": signed.New(secret, "a-jour").Valid(sig, "a1b2"),
		"other secret":  signed.New([]byte("un autre secret de trente-deux octets !!"), "alerte-desabonnement").Valid(sig, "a1b2"),
		"split parts":   unsub.Valid(unsub.Sign("a1", "b2"), "a", "1b2"),
		"truncated":     unsub.Valid(sig[:len(sig)-1], "a1b2"),
		"empty":         unsub.Valid("", "a1b2"),
	} {
		if ok {
			t.Errorf("%s: accepted", name)
		}
	}

	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	fresh := signed.New(secret, "a-jour")
	tok := fresh.SignUntil(now.Add(30*24*time.Hour), "service", "user")
	if !fresh.ValidUntil(tok, now.Add(29*24*time.Hour), "service", "user") {
		t.Fatal("valid token refused")
	}
	if fresh.ValidUntil(tok, now.Add(30*24*time.Hour), "service", "user") {
		t.Error("expired token accepted")
	}
	if fresh.ValidUntil(tok, now, "service", "other user") {
		t.Error("token accepted for another user")
	}
	// Moving the expiry breaks the signature.
	later := fresh.SignUntil(now.Add(60*24*time.Hour), "x")
	forged := later[:len(later)-27] + tok[len(tok)-27:]
	if fresh.ValidUntil(forged, now, "service", "user") || fresh.ValidUntil("zzzz."+tok[len(tok)-27:], now, "service", "user") {
		t.Error("token with a forged expiry accepted")
	}
	if fresh.ValidUntil("sans-point", now) {
		t.Error("malformed token accepted")
	}
}
