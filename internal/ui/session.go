package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/catalog"
	"github.com/repere-spie/repere/internal/directory"
)

// csrfField is the name of the CSRF token in forms; scripts send it in the
// csrfHeader header.
const (
	csrfField  = "csrf"
	csrfHeader = "X-CSRF-Token"
)

// actor returns who makes the request (nil when anonymous), reading the
// session cookie once per request. A dead session's cookie is deleted.
func (s *Server) actor(c *fiber.Ctx) (*account.Actor, error) {
	if c.Locals(localActorSet) != nil {
		a, _ := c.Locals(localActor).(*account.Actor)
		return a, nil
	}
	var a *account.Actor
	if token := c.Cookies(account.SessionCookieName); token != "" {
		var err error
		a, err = s.Accounts.Authenticate(c.UserContext(), token)
		if directory.ErrorCode(err) == directory.EUNAUTHORIZED {
			setCookie(c, account.ExpiredCookie(account.SessionCookieName))
			a = nil
		} else if err != nil {
			return nil, err
		}
	}
	c.Locals(localActorSet, true)
	c.Locals(localActor, a)
	return a, nil
}

// binding is what the request's CSRF tokens are bound to: the session, or
// before sign-in the anonymous cookie, created when create is set (pages
// showing a form).
func (s *Server) binding(c *fiber.Ctx, actor *account.Actor, create bool) string {
	if b := actor.CSRFBinding(); b != "" {
		return b
	}
	if id, ok := c.Locals(localAnon).(string); ok {
		return id
	}
	id := strings.Clone(c.Cookies(account.AnonCookieName))
	if len(id) > 100 {
		id = ""
	}
	if id == "" && create {
		id = account.NewAnonymousID()
		setCookie(c, account.AnonCookie(id))
	}
	c.Locals(localAnon, id)
	return id
}

// csrfToken is the token to put in the forms of the page.
func (s *Server) csrfToken(c *fiber.Ctx) string {
	actor, _ := c.Locals(localActor).(*account.Actor)
	return s.Accounts.CSRFToken(s.binding(c, actor, true))
}

// csrfOf is the token the request carries.
func (s *Server) csrfOf(c *fiber.Ctx) string {
	if t := c.Get(csrfHeader); t != "" {
		return t
	}
	return s.form(c).Get(csrfField)
}

// form returns the posted form, by exact field names (parsed once, copied
// out of Fiber's buffers).
func (s *Server) form(c *fiber.Ctx) url.Values {
	if v, ok := c.Locals(localForm).(url.Values); ok {
		return v
	}
	v := url.Values{}
	c.Request().PostArgs().VisitAll(func(k, val []byte) {
		v.Add(string(k), string(val))
	})
	if mf, err := c.MultipartForm(); err == nil {
		for k, vals := range mf.Value {
			for _, x := range vals {
				v.Add(k, strings.Clone(x))
			}
		}
	}
	c.Locals(localForm, v)
	return v
}

// setCookie adds a cookie made by the account package to the response.
func setCookie(c *fiber.Ctx, hc *http.Cookie) {
	c.Cookie(&fiber.Cookie{Name: hc.Name, Value: hc.Value, Path: hc.Path, MaxAge: hc.MaxAge, Expires: hc.Expires,
		Secure: hc.Secure, HTTPOnly: hc.HttpOnly, SameSite: fiber.CookieSameSiteLaxMode})
}

// client describes the browser for the account package.
func (s *Server) client(c *fiber.Ctx) account.Client {
	return account.Client{IP: s.clientIP(c), UserAgent: string(c.Request().Header.UserAgent())}
}

// actorOf is the actor guard found.
func actorOf(c *fiber.Ctx) *account.Actor {
	a, _ := c.Locals(localActor).(*account.Actor)
	return a
}

// editBy is a change of a service by the signed-in user, named as the
// history names the action.
func editBy(c *fiber.Ctx, action account.Action) catalog.Edit {
	e := catalog.Edit{Action: action.Label()}
	if a := actorOf(c); a != nil && a.User != nil {
		e.By = directory.Author{UserID: a.User.ID, Name: a.User.Name}
	}
	return e
}

// signIn sets the cookie of a new session and drops the anonymous one:
// the session id changes at every sign-in.
func signIn(c *fiber.Ctx, l *account.Login) {
	setCookie(c, account.SessionCookie(l.Token))
	setCookie(c, account.ExpiredCookie(account.AnonCookieName))
}
