package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
)

// proconnectStart sends the browser to ProConnect, the state of the sign-in
// kept in a short-lived cookie.
func (s *Server) proconnectStart(c *fiber.Ctx) error {
	authURL, state, err := s.Accounts.StartProConnect(c.UserContext())
	if err != nil {
		return err
	}
	setCookie(c, account.ProConnectCookie(state))
	return c.Redirect(authURL, http.StatusSeeOther)
}
