package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
)

// invitationRevoke cancels an invitation: its link stops working.
func (s *Server) invitationRevoke(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, email := c.Params("structure"), s.form(c).Get("email")
	if err := s.Accounts.RevokeInvitation(ctx, actorOf(c), id, email); err != nil {
		return s.membersAgain(c, err)
	}
	return redirect(c, account.MembersPath(id), "invitation-ann")
}
