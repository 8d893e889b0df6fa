package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// memberInvite mails an invitation to join the structure.
func (s *Server) memberInvite(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, v := c.Params("structure"), s.form(c)
	role := directory.Role(v.Get("role"))
	if err := s.Accounts.Invite(ctx, actorOf(c), id, v.Get("email"), role); err != nil {
		return s.membersAgain(c, err)
	}
	s.recordStructure(ctx, actorOf(c), account.MemberInvite, id, 0, store.FieldChange{Field: "Invitation", After: v.Get("email") + " (" + role.Label() + ")"})
	return redirect(c, account.MembersPath(id), "invitation")
}
