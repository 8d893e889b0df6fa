package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// loginSubmit checks the password and opens a new session: the session the
// browser had, if any, is revoked and the cookie gets a new token.
func (s *Server) loginSubmit(c *fiber.Ctx) error {
	v := s.form(c)
	l, err := s.Accounts.Login(c.UserContext(), loginCommand(v), s.client(c), c.Cookies(account.SessionCookieName))
	if err != nil {
		p := s.loginPage(c, v, err)
		status := http.StatusUnprocessableEntity
		var te *account.ThrottledError
		switch {
		case errors.As(err, &te):
			status = http.StatusTooManyRequests
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(max(1, int(time.Until(te.Until).Seconds()))))
			p.ResetURL = "/compte/mot-de-passe/oubli?" + url.Values{"email": {v.Get("email")}}.Encode()
		case directory.ErrorCode(err) == directory.EUNAUTHORIZED:
			status = http.StatusUnauthorized
		case directory.ErrorCode(err) == directory.EFORBIDDEN:
			status = http.StatusForbidden
		case !invalid(err):
			return err
		}
		if !invalid(err) {
			p.Message = directory.ErrorMessage(err)
		}
		p.Email.Value = v.Get("email")
		return renderForm(c, status, "compte/connexion", p)
	}
	signIn(c, l)
	back := v.Get("retour")
	if !localPath(back) {
		back = account.DashboardPath
	}
	return c.Redirect(back, http.StatusSeeOther)
}
