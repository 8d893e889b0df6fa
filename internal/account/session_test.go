package account

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

func TestSignUpVerifyLogin(t *testing.T) {
	f := newFixture(t, nil)
	email := "camille.martin@mairie-exemple.fr"
	form := SignUpForm{Email: " Camille.Martin@Mairie-Exemple.fr ", Name: "Camille Martin", Password: goodPassword}
	if err := f.acc.SignUp(f.ctx, form, browser); err != nil {
		t.Fatal(err)
	}
	u, err := f.store.UserByKey(f.ctx, store.EmailKey(email))
	if err != nil {
		t.Fatal(err)
	}
	if u.Verified() || u.PlatformAdmin || len(u.ModeratorOf) > 0 || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Fatalf("new user %+v", u)
	}
	mails := f.mailsTo(email)
	if len(mails) != 1 || !strings.Contains(mails[0].Text, "https://repere.exemple.fr/compte/confirmer?jeton=") ||
		!strings.Contains(mails[0].Text, "Bonjour Camille Martin") {
		t.Fatalf("verification mail: %+v", mails)
	}
	// Not verified yet: a correct password is refused, with a new link.
	_, err = f.acc.Login(f.ctx, LoginForm{Email: email, Password: goodPassword}, browser, "")
	wantCode(t, "login before verification", err, directory.EFORBIDDEN)
	if n := len(f.mailsTo(email)); n != 2 {
		t.Fatalf("%d mails, want a second verification link", n)
	}
	token := f.link(email, "Confirmez")
	if _, err := f.acc.VerifyEmail(f.ctx, "faux"+token); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("forged link: %v", err)
	}
	// A verification link is unknown on the reset page and not consumed there.
	if err := f.acc.CheckResetLink(f.ctx, token); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("verification link on the reset page: %v", err)
	}
	if u, err = f.acc.VerifyEmail(f.ctx, token); err != nil || !u.Verified() {
		t.Fatalf("verify: %+v %v", u, err)
	}
	if _, err := f.acc.VerifyEmail(f.ctx, token); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("link used twice: %v", err)
	}

	l, err := f.acc.Login(f.ctx, LoginForm{Email: "CAMILLE.martin@mairie-exemple.fr", Password: goodPassword}, browser, "")
	if err != nil {
		t.Fatal(err)
	}
	if l.Session.ID == l.Token || len(l.Token) < 40 {
		t.Fatalf("the session id must be a hash of a long token: %q / %q", l.Session.ID, l.Token)
	}
	if _, err := f.store.Session(f.ctx, l.Token); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatal("the raw token is stored")
	}
	actor := f.auth(l.Token)
	if actor.User.ID != u.ID || actor.CSRFBinding() != l.Session.ID {
		t.Fatalf("actor %+v", actor)
	}
	c := SessionCookie(l.Token)
	if c.Name != "__Host-repere_session" || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" ||
		c.Domain != "" || c.MaxAge != int(AbsoluteTimeout.Seconds()) {
		t.Fatalf("cookie %+v", c)
	}

	// Wrong password and unknown address: one answer.
	_, err1 := f.acc.Login(f.ctx, LoginForm{Email: email, Password: "mauvais mot de passe"}, browser, "")
	_, err2 := f.acc.Login(f.ctx, LoginForm{Email: "personne@exemple.fr", Password: "mauvais mot de passe"}, browser, "")
	wantCode(t, "wrong password", err1, directory.EUNAUTHORIZED)
	if directory.ErrorMessage(err1) != directory.ErrorMessage(err2) || directory.ErrorCode(err2) != directory.EUNAUTHORIZED {
		t.Fatalf("the answers tell known from unknown addresses: %v / %v", err1, err2)
	}
}

func TestSignUpRefusals(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		form  SignUpForm
		field string
	}{
		{SignUpForm{Email: "pas-une-adresse", Name: "Camille", Password: goodPassword}, "email"},
		{SignUpForm{Email: "a@exemple.fr", Name: " ", Password: goodPassword}, "nom"},
		{SignUpForm{Email: "a@exemple.fr", Name: "Camille", Password: "court"}, "mot_de_passe"},
		{SignUpForm{Email: "a@exemple.fr", Name: "Camille", Password: "motdepasse2024!"}, "mot_de_passe"},
		{SignUpForm{Email: "a@exemple.fr", Name: "Dominique Quenouille", Password: "quenouille1975!"}, "mot_de_passe"},
	}
	for _, tt := range tests {
		wantField(t, tt.form.Email+"/"+tt.form.Password, f.acc.SignUp(f.ctx, tt.form, browser), tt.field)
	}
	if n, _ := f.store.CountUsers(f.ctx); n != 0 || len(f.box.Messages()) != 0 {
		t.Fatalf("refused sign-ups left %d users and %d mails", n, len(f.box.Messages()))
	}
}

// Twenty sign-ups with one address at once: one account; the form answers
// the same to all; the mailbox is not flooded.
func TestConcurrentSignUp(t *testing.T) {
	f := newFixture(t, nil)
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f.acc.SignUp(f.ctx, SignUpForm{Email: "course@exemple.fr", Name: "Coureur", Password: goodPassword}, browser)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Errorf("sign-up: %v", err)
		}
	}
	count, err := f.store.CountUsers(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if count != 1 {
		t.Fatalf("%d accounts for one address", count)
	}
	if m := len(f.mailsTo("course@exemple.fr")); m < 1 || m > mailLimit {
		t.Fatalf("%d mails to the address, want 1 to %d", m, mailLimit)
	}
	// Once verified, a sign-up with the address warns its owner instead.
	if _, err := f.acc.VerifyEmail(f.ctx, f.link("course@exemple.fr", "Confirmez")); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(2 * time.Hour)
	if err := f.acc.SignUp(f.ctx, SignUpForm{Email: "course@exemple.fr", Name: "Imposteur", Password: "une autre phrase secrete"}, browser); err != nil {
		t.Fatal(err)
	}
	if m := f.mailsTo("course@exemple.fr")[0]; m.Subject != "Vous avez déjà un compte sur Repère" {
		t.Fatalf("last mail %q", m.Subject)
	}
	f.login("course@exemple.fr", goodPassword) // the password did not change
}

func TestSessionLifetimes(t *testing.T) {
	f := newFixture(t, nil)
	f.member("dominique@exemple.fr", "Dominique")
	l, err := f.acc.Login(f.ctx, LoginForm{Email: "dominique@exemple.fr", Password: goodPassword}, browser, "")
	if err != nil {
		t.Fatal(err)
	}
	// Active every 20 minutes: alive until the 12th hour, not after.
	for elapsed := 20 * time.Minute; elapsed < AbsoluteTimeout; elapsed += 20 * time.Minute {
		f.clock.Advance(20 * time.Minute)
		if _, err := f.acc.Authenticate(f.ctx, l.Token); err != nil {
			t.Fatalf("after %v of activity: %v", elapsed, err)
		}
	}
	f.clock.Advance(20 * time.Minute)
	_, err = f.acc.Authenticate(f.ctx, l.Token)
	wantCode(t, "after 12 hours", err, directory.EUNAUTHORIZED)

	// Idle for 31 minutes: gone, and gone for good.
	l, err = f.acc.Login(f.ctx, LoginForm{Email: "dominique@exemple.fr", Password: goodPassword}, browser, "")
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(29 * time.Minute)
	f.auth(l.Token)
	f.clock.Advance(31 * time.Minute)
	_, err = f.acc.Authenticate(f.ctx, l.Token)
	wantCode(t, "idle 31 minutes", err, directory.EUNAUTHORIZED)
	if _, err := f.store.Session(f.ctx, l.Session.ID); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("expired session still stored: %v", err)
	}
	_, err = f.acc.Authenticate(f.ctx, "")
	wantCode(t, "no cookie", err, directory.EUNAUTHORIZED)
}

func TestLoginRotatesAndLogoutEverywhere(t *testing.T) {
	f := newFixture(t, nil)
	f.member("alex@exemple.fr", "Alex")
	form := LoginForm{Email: "alex@exemple.fr", Password: goodPassword}
	first, _ := f.acc.Login(f.ctx, form, browser, "")
	second, err := f.acc.Login(f.ctx, form, browser, first.Token)
	if err != nil {
		t.Fatal(err)
	}
	if second.Token == first.Token {
		t.Fatal("login kept the token")
	}
	_, err = f.acc.Authenticate(f.ctx, first.Token)
	wantCode(t, "session replaced at login", err, directory.EUNAUTHORIZED)
	other, _ := f.acc.Login(f.ctx, form, Client{IP: "198.51.100.7"}, "")
	actor := f.auth(second.Token)
	f.auth(other.Token)

	if err := f.acc.LogoutEverywhere(f.ctx, actor); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{second.Token, other.Token} {
		_, err := f.acc.Authenticate(f.ctx, tok)
		wantCode(t, "after logging out everywhere", err, directory.EUNAUTHORIZED)
	}
	third := f.login("alex@exemple.fr", goodPassword)
	if err := f.acc.Logout(f.ctx, third); err != nil {
		t.Fatal(err)
	}
	_, err = f.acc.Authenticate(f.ctx, third.Session.ID)
	wantCode(t, "the session id is not a token", err, directory.EUNAUTHORIZED)
	if err := f.acc.LogoutEverywhere(f.ctx, nil); directory.ErrorCode(err) != directory.EUNAUTHORIZED {
		t.Fatalf("anonymous logout everywhere: %v", err)
	}
}

func TestLoginThrottling(t *testing.T) {
	f := newFixture(t, nil)
	f.member("sam@exemple.fr", "Sam")
	try := func(password string, c Client) error {
		_, err := f.acc.Login(f.ctx, LoginForm{Email: "sam@exemple.fr", Password: password}, c, "")
		return err
	}
	for i := 0; i < accountPolicy.threshold; i++ {
		wantCode(t, "wrong password", try("pas le bon mot de passe", browser), directory.EUNAUTHORIZED)
	}
	// Locked now for the address that failed, even with the right password.
	err := try(goodPassword, browser)
	var te *ThrottledError
	if !errors.As(err, &te) || directory.ErrorCode(err) != directory.EFORBIDDEN {
		t.Fatalf("sixth attempt: %v, want a throttle", err)
	}
	if wait := te.Until.Sub(f.clock.Now()); wait != 30*time.Second {
		t.Fatalf("locked for %v, want 30s", wait)
	}
	// The owner, from an address that has not failed, still gets in: a
	// stranger cannot lock them out. A wrong password from a fresh address
	// closes it too.
	if err := try(goodPassword, Client{IP: "203.0.113.5"}); err != nil {
		t.Fatalf("the right password from an address that never failed: %v", err)
	}
	for i := 0; i < accountPolicy.threshold; i++ {
		_ = try("pas le bon mot de passe", browser)
	}
	if err := try("essai depuis ailleurs", Client{IP: "198.51.100.9"}); directory.ErrorCode(err) != directory.EUNAUTHORIZED {
		t.Fatalf("one try from a fresh address while locked: %v", err)
	}
	if err := try(goodPassword, Client{IP: "198.51.100.9"}); !errors.As(err, &te) {
		t.Fatalf("a fresh address that failed once is not closed: %v", err)
	}
	f.clock.Advance(31 * time.Second)
	wantCode(t, "wrong again", try("encore faux", browser), directory.EUNAUTHORIZED)
	if err := try(goodPassword, browser); !errors.As(err, &te) || te.Until.Sub(f.clock.Now()) != time.Minute {
		t.Fatalf("after a sixth failure: %v, want a one-minute lock", err)
	}
	f.clock.Advance(61 * time.Second)
	if err := try(goodPassword, browser); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	// Success forgets the failures.
	wantCode(t, "one failure after success", try("faux", browser), directory.EUNAUTHORIZED)
	if err := try(goodPassword, browser); err != nil {
		t.Fatalf("one failure locked the account: %v", err)
	}

	// One address guessing many accounts: 20 failures lock the address, not
	// the accounts elsewhere. IPv6 neighbours of a /64 count as one.
	attacker := Client{IP: "2001:db8:1:2::10"}
	neighbour := Client{IP: "2001:db8:1:2::99"}
	for i := 0; i < ipPolicy.threshold; i++ {
		_, err := f.acc.Login(f.ctx, LoginForm{Email: "victime" + string(rune('a'+i)) + "@exemple.fr", Password: "devinette"}, attacker, "")
		wantCode(t, "guess", err, directory.EUNAUTHORIZED)
	}
	if err := try(goodPassword, neighbour); !errors.As(err, &te) {
		t.Fatalf("same /64 after 20 failures: %v", err)
	}
	if err := try(goodPassword, Client{IP: "2001:db8:1:3::1"}); err != nil {
		t.Fatalf("another network: %v", err)
	}
}

// Parallel guesses cannot slip in before the first failures are counted.
// A password longer than any that may be set is refused before hashing,
// and is not counted against the account.
func TestLoginCapsPasswordLength(t *testing.T) {
	f := newFixture(t, nil)
	f.member("max@exemple.fr", "Max")
	for range accountPolicy.threshold + 1 {
		_, err := f.acc.Login(f.ctx, LoginForm{Email: "max@exemple.fr", Password: strings.Repeat("x", 1<<20)}, browser, "")
		wantField(t, "a 1 MB password", err, "mot_de_passe")
	}
	if _, err := f.acc.Login(f.ctx, LoginForm{Email: "max@exemple.fr", Password: goodPassword}, browser, ""); err != nil {
		t.Fatalf("over-long passwords locked the account: %v", err)
	}
}

func TestParallelGuessesAreCounted(t *testing.T) {
	f := newFixture(t, nil)
	f.member("lou@exemple.fr", "Lou")
	var wg sync.WaitGroup
	var mu sync.Mutex
	checked := 0
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.acc.Login(f.ctx, LoginForm{Email: "lou@exemple.fr", Password: "devinette parallele"}, browser, "")
			if directory.ErrorCode(err) == directory.EUNAUTHORIZED {
				mu.Lock()
				checked++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if checked > accountPolicy.threshold {
		t.Fatalf("%d passwords checked in parallel, want at most %d", checked, accountPolicy.threshold)
	}
}

func TestPasswordReset(t *testing.T) {
	f := newFixture(t, nil)
	f.member("noa@exemple.fr", "Noa")
	old, err := f.acc.Login(f.ctx, LoginForm{Email: "noa@exemple.fr", Password: goodPassword}, browser, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.acc.RequestPasswordReset(f.ctx, "inconnu@exemple.fr", browser); err != nil {
		t.Fatal(err)
	}
	if len(f.mailsTo("inconnu@exemple.fr")) != 0 {
		t.Fatal("a mail went to an address without account")
	}
	wantField(t, "malformed address", f.acc.RequestPasswordReset(f.ctx, "noa@", browser), "email")
	// Lock the account first: the reset unlocks it.
	for i := 0; i < accountPolicy.threshold; i++ {
		_, _ = f.acc.Login(f.ctx, LoginForm{Email: "noa@exemple.fr", Password: "oublie"}, browser, "")
	}
	if err := f.acc.RequestPasswordReset(f.ctx, "Noa@Exemple.fr", browser); err != nil {
		t.Fatal(err)
	}
	first := f.link("noa@exemple.fr", "nouveau mot de passe")
	f.clock.Advance(time.Second)
	if err := f.acc.RequestPasswordReset(f.ctx, "noa@exemple.fr", browser); err != nil {
		t.Fatal(err)
	}
	second := f.link("noa@exemple.fr", "nouveau mot de passe")
	if first == second {
		t.Fatal("two requests gave one link")
	}
	f.clock.Advance(time.Second)
	if err := f.acc.CheckResetLink(f.ctx, second); err != nil {
		t.Fatal(err)
	}
	_, err = f.acc.ResetPassword(f.ctx, second, "azertyuiop123")
	wantField(t, "weak new password", err, "mot_de_passe")
	const newPassword = "girafe parapluie semaine"
	if _, err := f.acc.ResetPassword(f.ctx, second, newPassword); err != nil {
		t.Fatalf("the refused password consumed the link: %v", err)
	}
	if _, err := f.acc.ResetPassword(f.ctx, second, newPassword); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("link used twice: %v", err)
	}
	if _, err := f.acc.ResetPassword(f.ctx, first, "encore une autre phrase"); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("a link older than the change still works: %v", err)
	}
	_, err = f.acc.Authenticate(f.ctx, old.Token)
	wantCode(t, "a session opened before the reset", err, directory.EUNAUTHORIZED)
	if _, err := f.acc.Login(f.ctx, LoginForm{Email: "noa@exemple.fr", Password: goodPassword}, browser, ""); directory.ErrorCode(err) != directory.EUNAUTHORIZED {
		t.Fatalf("old password: %v", err)
	}
	f.login("noa@exemple.fr", newPassword)
	if subj := f.mailsTo("noa@exemple.fr")[0].Subject; subj != "Votre mot de passe Repère a été changé" {
		t.Fatalf("last mail %q", subj)
	}

	// Links expire after an hour.
	if err := f.acc.RequestPasswordReset(f.ctx, "noa@exemple.fr", browser); err != nil {
		t.Fatal(err)
	}
	late := f.link("noa@exemple.fr", "nouveau mot de passe")
	f.clock.Advance(ResetTTL)
	if err := f.acc.CheckResetLink(f.ctx, late); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("expired link: %v", err)
	}
}

func TestChangePasswordAndProfile(t *testing.T) {
	f := newFixture(t, nil)
	actor := f.member("eden@exemple.fr", "Eden")
	_, err := f.acc.ChangePassword(f.ctx, actor, PasswordForm{Current: "pas le bon", New: "girafe parapluie semaine"}, browser)
	wantField(t, "wrong current password", err, "mot_de_passe_actuel")
	_, err = f.acc.ChangePassword(f.ctx, actor, PasswordForm{Current: goodPassword, New: "eden eden eden 1"}, browser)
	wantField(t, "weak new password", err, "nouveau_mot_de_passe")
	l, err := f.acc.ChangePassword(f.ctx, actor, PasswordForm{Current: goodPassword, New: "girafe parapluie semaine"}, browser)
	if err != nil {
		t.Fatal(err)
	}
	f.auth(l.Token)
	if _, err := f.store.Session(f.ctx, actor.Session.ID); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatal("the old session survived the change")
	}
	actor = f.auth(l.Token)

	// The profile form changes the name and nothing else.
	u, err := f.acc.UpdateProfile(f.ctx, actor, ProfileForm{Name: "Eden Durand"})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := f.store.User(f.ctx, actor.User.ID)
	if u.Name != "Eden Durand" || stored.Name != "Eden Durand" || stored.PlatformAdmin || len(stored.ModeratorOf) > 0 ||
		stored.Email != "eden@exemple.fr" || len(stored.Structures) > 0 || stored.ID != actor.User.ID {
		t.Fatalf("after the profile form: %+v", stored)
	}
	_, err = f.acc.UpdateProfile(f.ctx, actor, ProfileForm{Name: ""})
	wantField(t, "empty name", err, "nom")
	_, err = f.acc.UpdateProfile(f.ctx, nil, ProfileForm{Name: "X"})
	wantCode(t, "anonymous profile", err, directory.EUNAUTHORIZED)
}

func TestCSRF(t *testing.T) {
	f := newFixture(t, nil)
	a := f.acc.CSRFToken("session-a")
	if err := f.acc.CheckCSRF("session-a", a); err != nil {
		t.Fatal(err)
	}
	other, _ := New(Config{Store: f.store, Mail: f.box, BaseURL: "https://x.exemple.fr", Secret: []byte(strings.Repeat("z", 32))})
	for name, tt := range map[string]struct{ binding, token string }{
		"other session":  {"session-b", a},
		"no binding":     {"", a},
		"no token":       {"session-a", ""},
		"tampered":       {"session-a", a[:len(a)-1] + "A"},
		"another secret": {"session-a", other.CSRFToken("session-a")},
	} {
		if err := f.acc.CheckCSRF(tt.binding, tt.token); directory.ErrorCode(err) != directory.EFORBIDDEN {
			t.Errorf("%s: %v, want forbidden", name, err)
		}
	}
	if id := NewAnonymousID(); len(id) < 40 || id == NewAnonymousID() {
		t.Errorf("anonymous ids must be long and random: %q", id)
	}
	if c := ExpiredCookie(SessionCookieName); c.MaxAge >= 0 || c.Name != SessionCookieName || !c.Secure {
		t.Errorf("expired cookie %+v", c)
	}
}
