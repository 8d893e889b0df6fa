package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// serviceMarkFresh confirms the service is up to date: saving it unchanged
// dates it of today.
func (s *Server) serviceMarkFresh(c *fiber.Ctx) error {
	ctx := c.UserContext()
	after, err := s.Catalog.Change(ctx, serviceOf(c).ID, editBy(c, account.ServiceMarkFresh), func(*directory.Service) error { return nil })
	if err != nil {
		return err
	}
	back := s.form(c).Get("retour")
	if !localPath(back) {
		back = "/espace/services/" + after.ID
	}
	return redirect(c, back, "a-jour")
}
