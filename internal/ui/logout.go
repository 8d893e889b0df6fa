package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
)

// logout ends this browser's session, and the ProConnect session with it
// when the person signed in that way.
func (s *Server) logout(c *fiber.Ctx) error {
	actor := actorOf(c)
	next, err := s.Accounts.ProConnectLogoutURL(c.UserContext(), actor, s.baseURL+account.LoginPath+"?ok=deconnecte")
	if err != nil {
		s.Logger.Warn("ProConnect logout URL", "err", err)
		next = ""
	}
	if err := s.Accounts.Logout(c.UserContext(), actor); err != nil {
		return err
	}
	setCookie(c, account.ExpiredCookie(account.SessionCookieName))
	if next != "" {
		return c.Redirect(next, http.StatusSeeOther)
	}
	return redirect(c, account.LoginPath, "deconnecte")
}
