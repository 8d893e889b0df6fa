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
		before, after, err := s.changeService(ctx, svc.ID, func(*directory.Service) error { return nil })
		if err != nil {
			return err
		}
		s.recordService(ctx, actorOf(c), account.ServiceMarkFresh, before, after)
	}
	return redirect(c, account.DashboardPath, "tous-a-jour")
}
