package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// joinAccept makes the person who asked a member, with the role chosen.
func (s *Server) joinAccept(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, user := c.Params("structure"), c.Params("user")
	who := requester(targetOf(c).Structure, user)
	role := directory.Role(s.form(c).Get("role"))
	if err := s.Accounts.AcceptJoinRequest(ctx, actorOf(c), id, user, role); err != nil {
		return s.membersAgain(c, err)
	}
	s.recordStructure(ctx, actorOf(c), account.JoinAccept, id, 0, store.FieldChange{Field: "Membre", After: who + " (" + role.Label() + ")"})
	return redirect(c, account.MembersPath(id), "membre")
}

// requester names the person of a join request, for the history.
func requester(sa *directory.StructureAccount, userID string) string {
	if r := sa.JoinRequest(userID); r != nil {
		return r.Name + " <" + r.Email + ">"
	}
	return userID
}

// memberName names a member, for the history.
func memberName(sa *directory.StructureAccount, userID string) string {
	for _, m := range sa.Members {
		if m.UserID == userID {
			return m.Name + " <" + m.Email + ">"
		}
	}
	return userID
}
