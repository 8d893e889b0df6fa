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
	before, after, err := s.changeService(ctx, serviceOf(c).ID, func(*directory.Service) error { return nil })
	if err != nil {
		return err
	}
	s.recordService(ctx, actorOf(c), account.ServiceMarkFresh, before, after)
	back := s.form(c).Get("retour")
	if !localPath(back) {
		back = "/espace/services/" + after.ID
	}
	return redirect(c, back, "a-jour")
}
