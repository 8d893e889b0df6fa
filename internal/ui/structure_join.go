package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// structureJoin asks the structure's administrators (or the territory's
// moderators when it has none) to let the user in.
func (s *Server) structureJoin(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id := c.Params("structure")
	err := s.Accounts.RequestToJoin(ctx, actorOf(c), id, s.form(c).Get("message"))
	if invalid(err) || directory.ErrorCode(err) == directory.ECONFLICT {
		return s.message(c, http.StatusUnprocessableEntity, "error", "Demande non envoyée", []string{directory.ErrorMessage(err)},
			Link{Label: "Retour à votre espace", URL: account.DashboardPath})
	} else if err != nil {
		return err
	}
	return redirect(c, account.DashboardPath, "demande")
}
