package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// memberLeave takes the user out of the structure.
func (s *Server) memberLeave(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, actor := c.Params("structure"), actorOf(c)
	if err := s.Accounts.RemoveMember(ctx, actor, id, actor.User.ID); err != nil {
		if invalid(err) {
			return s.message(c, http.StatusUnprocessableEntity, "error", "Vous ne pouvez pas quitter la structure", []string{directory.ErrorMessage(err)},
				Link{Label: "Gérer les membres", URL: account.MembersPath(id)})
		}
		return err
	}
	return redirect(c, account.DashboardPath, "quitte")
}
