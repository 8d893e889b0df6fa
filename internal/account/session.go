package account

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// Actor is who makes a request: nil for an anonymous visitor.
type Actor struct {
	User    *directory.User
	Session *directory.Session
}

// CSRFBinding is what the actor's CSRF tokens are bound to.
func (ac *Actor) CSRFBinding() string {
	if ac == nil || ac.Session == nil {
		return ""
	}
	return ac.Session.ID
}

// Login is a new session: set SessionCookie(Token) on the response.
type Login struct {
	Token   string
	Session *directory.Session
	User    *directory.User
}

func sessionID(token string) string {
	sum := sha256.Sum256([]byte(kindSession + ":" + token))
	return hex.EncodeToString(sum[:])
}

// LoginForm is the sign-in form.
type LoginForm struct {
	Email    string // "email"
	Password string // "mot_de_passe"
}

var errBadCredentials = directory.Errorf(directory.EUNAUTHORIZED, "Adresse électronique ou mot de passe incorrect.")

// Login checks the password and opens a new session; previousToken, the
// session cookie the browser had (if any), is revoked so a session id never
// survives a login. Errors: EINVALID (empty fields), EUNAUTHORIZED (wrong
// credentials, same message whether the address is known or not),
// EFORBIDDEN (address not verified yet, after a correct password), or a
// *ThrottledError (EFORBIDDEN) while the account or the address is locked.
func (a *Accounts) Login(ctx context.Context, f LoginForm, c Client, previousToken string) (*Login, error) {
	email, err := directory.NormalizeEmail(f.Email)
	if err != nil || f.Password == "" {
		fe := directory.FieldErrors{}
		if err != nil {
			fe.Add("email", directory.ErrorMessage(err))
		}
		if f.Password == "" {
			fe.Add("mot_de_passe", "Saisissez votre mot de passe.")
		}
		return nil, fe.Err()
	}
	if tooLong(f.Password) {
		// No password that long can be set: refuse it before hashing
		// megabytes.
		return nil, fieldError("mot_de_passe", fmt.Sprintf("Le mot de passe ne dépasse pas %d caractères.", PasswordMaxLen))
	}
	if err := a.attempt(ctx, ipKey(c.IP), ipPolicy); err != nil {
		return nil, err
	}
	pair := pairKey(email, c.IP)
	if err := a.attempt(ctx, loginKey(email), accountPolicy); err != nil {
		// Locked: someone failed often on this account. Its owner, from an
		// address that has not failed on it, still gets one try, so that a
		// stranger cannot lock them out; a failure closes that address too.
		var te *ThrottledError
		if !errors.As(err, &te) || a.firstTry(ctx, pair) != nil {
			return nil, err
		}
	} else {
		// Counted before the check, as on the account: parallel guesses
		// from this address are all marked before any is judged.
		a.count(ctx, pair)
	}
	u, err := a.store.UserByKey(ctx, store.EmailKey(email))
	if directory.ErrorCode(err) == directory.ENOTFOUND || (err == nil && u.PasswordHash == "") {
		checkPassword(dummyHash(), f.Password)
		return nil, errBadCredentials
	} else if err != nil {
		return nil, err
	}
	ok, rehash := checkPassword(u.PasswordHash, f.Password)
	if !ok {
		return nil, errBadCredentials
	}
	if err := a.store.DeleteThrottle(ctx, pair); err != nil && directory.ErrorCode(err) != directory.ENOTFOUND {
		a.log.ErrorContext(ctx, "throttle not reset", "err", err)
	}
	a.succeeded(ctx, ipKey(c.IP))
	if err := a.store.DeleteThrottle(ctx, loginKey(email)); err != nil {
		a.log.ErrorContext(ctx, "throttle not reset", "err", err)
	}
	if !u.Verified() {
		a.sendVerification(ctx, u)
		return nil, directory.Errorf(directory.EFORBIDDEN,
			"Votre adresse électronique n’est pas encore confirmée. Nous venons de vous renvoyer le lien de confirmation.")
	}
	if rehash {
		// Later logins check against the current parameters.
		_, err := a.modifyUser(ctx, u.ID, func(u *directory.User) error {
			u.PasswordHash = hashPassword(f.Password)
			return nil
		})
		if err != nil {
			a.log.ErrorContext(ctx, "password not rehashed", "user", u.ID, "err", err)
		}
	}
	a.revoke(ctx, previousToken)
	return a.startSession(ctx, u.ID, "password", "", c)
}

// startSession opens a session for the user and records the login.
func (a *Accounts) startSession(ctx context.Context, userID, via, idToken string, c Client) (*Login, error) {
	now := a.now().UTC()
	u, err := a.modifyUser(ctx, userID, func(u *directory.User) error {
		u.LastLoginAt = &now
		return nil
	})
	if err != nil {
		return nil, err
	}
	token := newSecret()
	s := &directory.Session{ID: sessionID(token), UserID: u.ID, Epoch: u.SessionEpoch, Via: via, IDToken: idToken,
		IP: c.IP, UserAgent: truncate(c.UserAgent, 300), CreatedAt: now, LastSeenAt: now, ExpireAt: now.Add(AbsoluteTimeout)}
	if err := a.store.CreateSession(ctx, s); err != nil {
		return nil, err
	}
	return &Login{Token: token, Session: s, User: u}, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

var errNoSession = directory.Errorf(directory.EUNAUTHORIZED, "Connectez-vous pour continuer.")

// Authenticate returns the actor of a session cookie's token, or
// EUNAUTHORIZED when there is none or it expired (30 min idle, 12 h in all)
// or was revoked. It records activity at most once a minute.
func (a *Accounts) Authenticate(ctx context.Context, token string) (*Actor, error) {
	if token == "" || len(token) > 100 {
		return nil, errNoSession
	}
	s, err := a.store.Session(ctx, sessionID(token))
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return nil, errNoSession
	} else if err != nil {
		return nil, err
	}
	now := a.now().UTC()
	if now.Sub(s.LastSeenAt) >= IdleTimeout || now.Sub(s.CreatedAt) >= AbsoluteTimeout {
		a.revoke(ctx, token)
		return nil, directory.Errorf(directory.EUNAUTHORIZED, "Votre session a expiré. Connectez-vous de nouveau.")
	}
	u, err := a.store.User(ctx, s.UserID)
	if directory.ErrorCode(err) == directory.ENOTFOUND || (err == nil && u.SessionEpoch != s.Epoch) {
		a.revoke(ctx, token)
		return nil, errNoSession
	} else if err != nil {
		return nil, err
	}
	if now.Sub(s.LastSeenAt) >= touchEvery {
		if err := a.store.TouchSession(ctx, s.ID, now); err != nil {
			return nil, err
		}
		s.LastSeenAt = now
	}
	return &Actor{User: u, Session: s}, nil
}

func (a *Accounts) revoke(ctx context.Context, token string) {
	if token == "" {
		return
	}
	if err := a.store.DeleteSession(ctx, sessionID(token)); err != nil {
		a.log.ErrorContext(ctx, "session not deleted", "err", err)
	}
}

// Logout ends the actor's session. Clear the cookie with
// ExpiredCookie(SessionCookieName).
func (a *Accounts) Logout(ctx context.Context, actor *Actor) error {
	if actor == nil || actor.Session == nil {
		return nil
	}
	return a.store.DeleteSession(ctx, actor.Session.ID)
}

// LogoutEverywhere ("se déconnecter de partout") revokes every session of
// the actor, this one included.
func (a *Accounts) LogoutEverywhere(ctx context.Context, actor *Actor) error {
	if err := Can(actor, AccountLogoutEverywhere, Target{UserID: actorID(actor)}); err != nil {
		return err
	}
	_, err := a.modifyUser(ctx, actor.User.ID, func(u *directory.User) error {
		u.SessionEpoch++
		return nil
	})
	if err == nil && actor.Session != nil {
		err = a.store.DeleteSession(ctx, actor.Session.ID)
	}
	return err
}

func actorID(ac *Actor) string {
	if ac == nil || ac.User == nil {
		return ""
	}
	return ac.User.ID
}
