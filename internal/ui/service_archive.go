package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// serviceArchive takes the service off the site; it stays in the partner
// space and can be published again.
func (s *Server) serviceArchive(c *fiber.Ctx) error {
	ctx := c.UserContext()
	after, err := s.Catalog.Change(ctx, serviceOf(c).ID, editBy(c, account.ServiceArchive), func(svc *directory.Service) error {
		svc.Status = directory.StatusArchived
		return nil
	})
	if err != nil {
		return err
	}
	return redirect(c, "/espace/services/"+after.ID, "archive")
}
