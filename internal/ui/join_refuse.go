package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/store"
)

// joinRefuse drops a join request; the person is told by mail.
func (s *Server) joinRefuse(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, user := c.Params("structure"), c.Params("user")
	who := requester(targetOf(c).Structure, user)
	if err := s.Accounts.RefuseJoinRequest(ctx, actorOf(c), id, user); err != nil {
		return s.membersAgain(c, err)
	}
	s.recordStructure(ctx, actorOf(c), account.JoinRefuse, id, 0, store.FieldChange{Field: "Demande refusée", Before: who})
	return redirect(c, account.MembersPath(id), "membre")
}
