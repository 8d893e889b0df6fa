package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
)

// joinRefuse drops a join request; the person is told by mail.
func (s *Server) joinRefuse(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, user := c.Params("structure"), c.Params("user")
	if err := s.Accounts.RefuseJoinRequest(ctx, actorOf(c), id, user); err != nil {
		return s.membersAgain(c, err)
	}
	return redirect(c, account.MembersPath(id), "membre")
}
