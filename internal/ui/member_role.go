package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// memberRole changes a member's role; the last administrator stays one.
func (s *Server) memberRole(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, user := c.Params("structure"), c.Params("user")
	sa := targetOf(c).Structure
	role := directory.Role(s.form(c).Get("role"))
	if err := s.Accounts.ChangeRole(ctx, actorOf(c), id, user, role); err != nil {
		return s.membersAgain(c, err)
	}
	s.recordStructure(ctx, actorOf(c), account.MemberRole, id, 0,
		store.FieldChange{Field: "Rôle de " + memberName(sa, user), Before: sa.RoleOf(user).Label(), After: role.Label()})
	return redirect(c, account.MembersPath(id), "membre")
}
