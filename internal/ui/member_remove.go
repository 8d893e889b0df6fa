package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
)

// memberRemove takes a member out of the structure.
func (s *Server) memberRemove(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, user := c.Params("structure"), c.Params("user")
	if user == actorOf(c).User.ID {
		return s.memberLeave(c) // one's own removal is leaving, with its own permission
	}
	if err := s.Accounts.RemoveMember(ctx, actorOf(c), id, user); err != nil {
		return s.membersAgain(c, err)
	}
	return redirect(c, account.MembersPath(id), "membre")
}
