package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// servicesMarkFresh confirms several services at once, from the dashboard's
// list of services to check. guard checked each one first.
func (s *Server) servicesMarkFresh(c *fiber.Ctx) error {
	ctx := c.UserContext()
	svcs, _ := c.Locals(localServices).([]*directory.Service)
	for _, svc := range svcs {
		if _, err := s.Catalog.Change(ctx, svc.ID, editBy(c, account.ServiceMarkFresh), func(*directory.Service) error { return nil }); err != nil {
			return err
		}
	}
	return redirect(c, account.DashboardPath, "tous-a-jour")
}
