package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// memberInvite mails an invitation to join the structure.
func (s *Server) memberInvite(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, v := c.Params("structure"), s.form(c)
	role := directory.Role(v.Get("role"))
	if err := s.Accounts.Invite(ctx, actorOf(c), id, v.Get("email"), role); err != nil {
		return s.membersAgain(c, err)
	}
	return redirect(c, account.MembersPath(id), "invitation")
}
