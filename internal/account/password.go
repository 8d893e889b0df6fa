package account

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Password rules.
const (
	PasswordMinLen = 12
	PasswordMaxLen = 256
)

// argonParams are Argon2id's costs. 19 MiB, 2 passes, 1 lane is the OWASP
// baseline: about 30 ms on one core here, and the memory bounds what a login
// flood can take (see hashSlots).
type argonParams struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
}

var currentParams = argonParams{memory: 19 * 1024, time: 2, threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// hashSlots bounds concurrent hashes, so a burst of logins queues instead of
// taking 19 MiB each at once.
var hashSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

func argonKey(password string, salt []byte, p argonParams, n uint32) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	// NFC: "é" typed on one keyboard or composed on another is one password.
	return argon2.IDKey([]byte(norm.NFC.String(password)), salt, p.time, p.memory, p.threads, n)
}

// hashPassword returns a PHC string:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key> (unpadded standard base64).
func hashPassword(password string) string {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		panic(err)
	}
	p := currentParams
	key := argonKey(password, salt, p, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.memory, p.time, p.threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// checkPassword reports whether password matches the PHC string, and whether
// the hash should be redone with the current parameters.
func checkPassword(encoded, password string) (ok, rehash bool) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false, false
	}
	var p argonParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil ||
		p.memory < 8 || p.memory > 1<<21 || p.time < 1 || p.time > 16 || p.threads < 1 {
		return false, false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) < 16 || len(want) > 64 {
		return false, false
	}
	got := argonKey(password, salt, p, uint32(len(want)))
	ok = subtle.ConstantTimeCompare(got, want) == 1
	return ok, ok && p != currentParams
}

// dummyHash is checked against when the account does not exist, so a login
// takes as long whether the address is known or not.
var dummyHash = sync.OnceValue(func() string { return hashPassword("compte inexistant") })

// tooLong reports whether password is longer than any that may be set.
func tooLong(password string) bool {
	return len(password) > 4*PasswordMaxLen || utf8.RuneCountInString(password) > PasswordMaxLen
}

// CheckNewPassword returns a French message when password may not be chosen,
// "" when it may. personal holds what the user typed about themselves (name,
// e-mail), which the password must not lean on.
func CheckNewPassword(password string, personal ...string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case n < PasswordMinLen:
		return fmt.Sprintf("Le mot de passe doit comporter au moins %d caractères.", PasswordMinLen)
	case n > PasswordMaxLen:
		return fmt.Sprintf("Le mot de passe ne doit pas dépasser %d caractères.", PasswordMaxLen)
	case guessable(password, personal):
		return "Ce mot de passe est trop courant ou trop facile à deviner (mot connu, suite de touches ou de chiffres, " +
			"votre nom ou votre adresse). Choisissez plutôt une suite de plusieurs mots sans lien entre eux."
	}
	return ""
}
