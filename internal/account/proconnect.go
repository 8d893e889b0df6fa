package account

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/url"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/oidc"
	"github.com/repere-spie/repere/internal/store"
)

// ProConnectEnabled reports whether the ProConnect button should show.
func (a *Accounts) ProConnectEnabled() bool { return a.proconnect != nil }

var errProConnect = directory.Errorf(directory.EUNAUTHORIZED, "La connexion avec ProConnect n’a pas abouti. Recommencez, ou connectez-vous avec votre mot de passe.")

// StartProConnect begins a sign-in: redirect the browser to authURL and set
// ProConnectCookie(state). The nonce and PKCE verifier stay in the store.
func (a *Accounts) StartProConnect(ctx context.Context) (authURL, state string, err error) {
	if a.proconnect == nil {
		return "", "", directory.Errorf(directory.ENOTFOUND, "La connexion avec ProConnect n’est pas disponible.")
	}
	authURL, flow, err := a.proconnect.Begin(ctx)
	if err != nil {
		return "", "", err
	}
	now := a.now().UTC()
	t := &store.Token{ID: tokenID(kindFlow, flow.State), Kind: kindFlow, CreatedAt: now, ExpireAt: now.Add(flowTTL),
		Data: map[string]string{"nonce": flow.Nonce, "verifier": flow.Verifier}}
	if err := a.store.CreateToken(ctx, t); err != nil {
		return "", "", err
	}
	return authURL, flow.State, nil
}

// FinishProConnect completes a sign-in on the callback: the query's state
// must be the browser's cookie (cookieState), the flow is used once, and the
// identity is verified by the oidc client. The person's account is found by
// ProConnect subject, else by address (and linked), else created, verified.
// previousToken's session is revoked. Errors: EUNAUTHORIZED.
func (a *Accounts) FinishProConnect(ctx context.Context, cookieState string, query url.Values, c Client, previousToken string) (*Login, error) {
	if a.proconnect == nil {
		return nil, errProConnect
	}
	if cookieState == "" || subtle.ConstantTimeCompare([]byte(cookieState), []byte(query.Get("state"))) != 1 {
		return nil, errProConnect
	}
	t, err := a.takeToken(ctx, kindFlow, cookieState)
	if err != nil {
		return nil, errProConnect
	}
	flow := oidc.Flow{State: cookieState, Nonce: t.Data["nonce"], Verifier: t.Data["verifier"]}
	id, err := a.proconnect.Finish(ctx, flow, query)
	if errors.Is(err, oidc.ErrCancelled) {
		return nil, directory.Errorf(directory.EUNAUTHORIZED, "Vous avez annulé la connexion avec ProConnect.")
	} else if err != nil {
		a.log.WarnContext(ctx, "ProConnect sign-in refused", "err", err)
		return nil, errProConnect
	}
	u, err := a.proConnectUser(ctx, id)
	if err != nil {
		return nil, err
	}
	a.revoke(ctx, previousToken)
	return a.startSession(ctx, u.ID, "proconnect", id.IDToken, c)
}

func (a *Accounts) proConnectUser(ctx context.Context, id *oidc.Identity) (*directory.User, error) {
	key := store.ProConnectKey(id.Subject)
	u, err := a.store.UserByKey(ctx, key)
	if directory.ErrorCode(err) != directory.ENOTFOUND {
		return u, err
	}
	email, err := directory.NormalizeEmail(id.Email)
	if err != nil {
		return nil, errProConnect
	}
	now := a.now().UTC()
	u, err = a.store.UserByKey(ctx, store.EmailKey(email))
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		name := id.Name()
		if name == "" {
			name = email
		}
		u = &directory.User{Email: email, Name: name, ProConnectSub: id.Subject, EmailVerifiedAt: &now, CreatedAt: now}
		err = a.store.CreateUser(ctx, u)
		if directory.ErrorCode(err) == directory.ECONFLICT {
			u, err = a.store.UserByKey(ctx, store.EmailKey(email)) // created meanwhile: link it
		}
	}
	if err != nil {
		return nil, err
	}
	if err := a.store.ClaimUserKey(ctx, key, u.ID); err != nil {
		return nil, err
	}
	return a.modifyUser(ctx, u.ID, func(u *directory.User) error {
		u.ProConnectSub = id.Subject
		if u.EmailVerifiedAt == nil {
			// Whoever signed up with this address never proved it; the
			// address's owner just did. Their password must not open the
			// account, nor their sessions stay.
			u.EmailVerifiedAt, u.PasswordHash = &now, ""
			u.SessionEpoch++
		}
		return nil
	})
}

// ProConnectLogoutURL returns where to send the browser after Logout so
// that ProConnect ends its session too ("" for password sessions).
func (a *Accounts) ProConnectLogoutURL(ctx context.Context, actor *Actor, postLogoutRedirect string) (string, error) {
	if a.proconnect == nil || actor == nil || actor.Session == nil || actor.Session.IDToken == "" {
		return "", nil
	}
	return a.proconnect.LogoutURL(ctx, actor.Session.IDToken, postLogoutRedirect, newSecret())
}
