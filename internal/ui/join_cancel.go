package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
)

// joinCancel withdraws the user's request to join a structure.
func (s *Server) joinCancel(c *fiber.Ctx) error {
	if err := s.Accounts.CancelJoinRequest(c.UserContext(), actorOf(c), c.Params("structure")); err != nil {
		return err
	}
	return redirect(c, account.DashboardPath, "demande-annule")
}
