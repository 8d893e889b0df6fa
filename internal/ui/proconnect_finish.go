package ui

import (
	"net/http"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// proconnectFinish is where ProConnect sends the browser back: the account
// package checks the state, the code and the ID token, then a new session
// starts.
func (s *Server) proconnectFinish(c *fiber.Ctx) error {
	query, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil {
		query = url.Values{}
	}
	state := c.Cookies(account.ProConnectCookieName)
	setCookie(c, account.ExpiredCookie(account.ProConnectCookieName))
	l, err := s.Accounts.FinishProConnect(c.UserContext(), state, query, s.client(c), c.Cookies(account.SessionCookieName))
	if directory.ErrorCode(err) == directory.EUNAUTHORIZED {
		p := s.loginPage(c, url.Values{}, nil)
		p.Message = directory.ErrorMessage(err)
		return renderForm(c, http.StatusUnauthorized, "compte/connexion", p)
	} else if err != nil {
		return err
	}
	signIn(c, l)
	return c.Redirect(account.DashboardPath, http.StatusSeeOther)
}
