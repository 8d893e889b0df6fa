package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// memberRole changes a member's role; the last administrator stays one.
func (s *Server) memberRole(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, user := c.Params("structure"), c.Params("user")
	role := directory.Role(s.form(c).Get("role"))
	if err := s.Accounts.ChangeRole(ctx, actorOf(c), id, user, role); err != nil {
		return s.membersAgain(c, err)
	}
	return redirect(c, account.MembersPath(id), "membre")
}
