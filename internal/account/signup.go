package account

import (
	"context"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// Mail limits: an address receives at most mailLimit messages per hour from
// anonymous requests (sign-up, reset, new link), so the forms cannot be used
// to flood a mailbox; one address signs up at most signUpLimit accounts per hour.
const (
	mailLimit   = 5
	signUpLimit = 20
)

func mailKey(email string) string { return "mail:" + email }

// SignUpForm is the sign-up form; its fields are the only ones a visitor sets.
type SignUpForm struct {
	Email    string // form field "email"
	Name     string // "nom"
	Password string // "mot_de_passe"
}

// SignUp creates an account waiting for e-mail verification and mails the
// link. When the address already has an account it mails its owner instead
// and returns nil too, so the form does not tell who has an account: the UI
// shows "check your mailbox" in both cases. Errors: EINVALID with fields
// email, nom, mot_de_passe; EFORBIDDEN when the client made too many sign-ups.
func (a *Accounts) SignUp(ctx context.Context, f SignUpForm, c Client) error {
	u := &directory.User{Email: strings.ToLower(strings.TrimSpace(f.Email)), Name: strings.TrimSpace(f.Name)}
	fe := directory.FieldErrors{}
	if err := u.Validate(); err != nil {
		for k, v := range err.(*directory.Error).Fields {
			fe.Add(k, v)
		}
	}
	if msg := CheckNewPassword(f.Password, u.Name, u.Email); msg != "" {
		fe.Add("mot_de_passe", msg)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	if !a.allow(ctx, "signup:"+ipKey(c.IP), signUpLimit, time.Hour) {
		return directory.Errorf(directory.EFORBIDDEN, "Trop de comptes créés depuis votre connexion. Réessayez dans une heure.")
	}
	u.PasswordHash = hashPassword(f.Password)
	u.PasswordChangedAt = a.now().UTC()
	u.CreatedAt = u.PasswordChangedAt
	err := a.store.CreateUser(ctx, u)
	if directory.ErrorCode(err) == directory.ECONFLICT {
		owner, err := a.store.UserByKey(ctx, store.EmailKey(u.Email))
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			return nil // a concurrent sign-up holds the address and is writing its account
		} else if err != nil {
			return err
		}
		if !owner.Verified() {
			a.sendVerification(ctx, owner)
		} else if a.allow(ctx, mailKey(owner.Email), mailLimit, time.Hour) {
			a.send(ctx, accountExistsMail(owner, a.link(ResetPath, "")))
		}
		return nil
	} else if err != nil {
		return err
	}
	a.sendVerification(ctx, u)
	return nil
}

// sendVerification mails a new verification link, within the mail limit.
func (a *Accounts) sendVerification(ctx context.Context, u *directory.User) {
	if !a.allow(ctx, mailKey(u.Email), mailLimit, time.Hour) {
		return
	}
	secret, err := a.saveToken(ctx, kindVerify, VerifyTTL, store.Token{UserID: u.ID, Email: u.Email})
	if err != nil {
		a.log.ErrorContext(ctx, "verification token not saved", "err", err)
		return
	}
	a.send(ctx, verifyMail(u, a.link(VerifyPath, secret)))
}

// VerifyEmail consumes a verification link's token and marks the address
// verified. ENOTFOUND for an unknown, used or expired link. It opens no
// session: the UI sends the person to the login page.
func (a *Accounts) VerifyEmail(ctx context.Context, token string) (*directory.User, error) {
	t, err := a.takeToken(ctx, kindVerify, token)
	if err != nil {
		return nil, err
	}
	now := a.now().UTC()
	return a.modifyUser(ctx, t.UserID, func(u *directory.User) error {
		if u.Email != t.Email {
			return errBadLink
		}
		if u.EmailVerifiedAt == nil {
			u.EmailVerifiedAt = &now
		}
		return nil
	})
}

// RequestPasswordReset mails a reset link when the address has an account.
// It returns nil either way (EINVALID only for a malformed address).
func (a *Accounts) RequestPasswordReset(ctx context.Context, email string, c Client) error {
	email, err := directory.NormalizeEmail(email)
	if err != nil {
		return fieldError("email", directory.ErrorMessage(err))
	}
	if !a.allow(ctx, "reset:"+ipKey(c.IP), 4*mailLimit, time.Hour) || !a.allow(ctx, mailKey(email), mailLimit, time.Hour) {
		return nil
	}
	u, err := a.store.UserByKey(ctx, store.EmailKey(email))
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	secret, err := a.saveToken(ctx, kindReset, ResetTTL, store.Token{UserID: u.ID, Email: u.Email})
	if err != nil {
		return err
	}
	a.send(ctx, resetMail(u, a.link(ResetPath, secret)))
	return nil
}

// CheckResetLink tells the reset page whether to show the form (ENOTFOUND
// for a dead link), without consuming the link.
func (a *Accounts) CheckResetLink(ctx context.Context, token string) error {
	_, err := a.peekToken(ctx, kindReset, token)
	return err
}

// ResetPassword sets a new password from a reset link: it consumes the link,
// verifies the address (the link proved it), closes every session and
// unlocks the account. A refused password leaves the link usable. Errors:
// ENOTFOUND (dead link), EINVALID (field mot_de_passe).
func (a *Accounts) ResetPassword(ctx context.Context, token, password string) (*directory.User, error) {
	t, err := a.peekToken(ctx, kindReset, token)
	if err != nil {
		return nil, err
	}
	u, err := a.store.User(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if msg := CheckNewPassword(password, u.Name, u.Email); msg != "" {
		return nil, fieldError("mot_de_passe", msg)
	}
	if t, err = a.takeToken(ctx, kindReset, token); err != nil {
		return nil, err
	}
	hash := hashPassword(password)
	now := a.now().UTC()
	u, err = a.modifyUser(ctx, t.UserID, func(u *directory.User) error {
		// A link asked for before the last change is dead.
		if u.Email != t.Email || t.CreatedAt.Before(u.PasswordChangedAt) {
			return errBadLink
		}
		u.PasswordHash, u.PasswordChangedAt = hash, now
		u.SessionEpoch++
		if u.EmailVerifiedAt == nil {
			u.EmailVerifiedAt = &now
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	_ = a.store.DeleteThrottle(ctx, loginKey(u.Email))
	a.send(ctx, passwordChangedMail(u, a.link(ResetPath, "")))
	return u, nil
}

func checkPasswordOK(hash, password string) bool {
	ok, _ := checkPassword(hash, password)
	return ok
}

// PasswordForm changes the password of a signed-in user.
type PasswordForm struct {
	Current string // "mot_de_passe_actuel"; not asked of accounts without password (ProConnect)
	New     string // "nouveau_mot_de_passe"
}

// ChangePassword checks the current password, sets the new one, closes every
// other session and returns a new one for this browser (set its cookie).
func (a *Accounts) ChangePassword(ctx context.Context, actor *Actor, f PasswordForm, c Client) (*Login, error) {
	if err := Can(actor, AccountPassword, Target{UserID: actorID(actor)}); err != nil {
		return nil, err
	}
	u := actor.User
	if u.PasswordHash != "" {
		if tooLong(f.Current) || !checkPasswordOK(u.PasswordHash, f.Current) {
			return nil, fieldError("mot_de_passe_actuel", "Ce n’est pas votre mot de passe actuel.")
		}
	}
	if msg := CheckNewPassword(f.New, u.Name, u.Email); msg != "" {
		return nil, fieldError("nouveau_mot_de_passe", msg)
	}
	hash := hashPassword(f.New)
	now := a.now().UTC()
	u, err := a.modifyUser(ctx, u.ID, func(u *directory.User) error {
		u.PasswordHash, u.PasswordChangedAt = hash, now
		u.SessionEpoch++
		return nil
	})
	if err != nil {
		return nil, err
	}
	if actor.Session != nil {
		_ = a.store.DeleteSession(ctx, actor.Session.ID)
	}
	a.send(ctx, passwordChangedMail(u, a.link(ResetPath, "")))
	return a.startSession(ctx, u.ID, "password", "", c)
}

// ProfileForm is what a user may change of their account: nothing that
// grants rights (roles, moderation, platform administration) and not the
// address, which is the login.
type ProfileForm struct {
	Name string // "nom"
}

// UpdateProfile saves the profile form. Errors: EINVALID (field nom).
func (a *Accounts) UpdateProfile(ctx context.Context, actor *Actor, f ProfileForm) (*directory.User, error) {
	if err := Can(actor, AccountEdit, Target{UserID: actorID(actor)}); err != nil {
		return nil, err
	}
	return a.modifyUser(ctx, actor.User.ID, func(u *directory.User) error {
		u.Name = strings.TrimSpace(f.Name)
		return u.Validate()
	})
}

// fieldError is an EINVALID error on one form field.
func fieldError(field, msg string) error {
	return &directory.Error{Code: directory.EINVALID, Message: "Certains champs sont invalides.", Fields: map[string]string{field: msg}}
}
