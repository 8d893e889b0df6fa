package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
)

// logoutEverywhere closes every session of the account, on every device.
func (s *Server) logoutEverywhere(c *fiber.Ctx) error {
	if err := s.Accounts.LogoutEverywhere(c.UserContext(), actorOf(c)); err != nil {
		return err
	}
	setCookie(c, account.ExpiredCookie(account.SessionCookieName))
	return redirect(c, account.LoginPath, "partout")
}
