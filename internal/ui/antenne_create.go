package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// antenneCreate registers an antenne of the structure.
func (s *Server) antenneCreate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	parent, err := s.Accounts.Structure(ctx, c.Params("structure"))
	if err != nil {
		return err
	}
	v := s.resolveCommune(s.form(c))
	st, err := s.Accounts.CreateAntenne(ctx, actorOf(c), parent.ID, structureCommand(v))
	switch {
	case invalid(err) || directory.ErrorCode(err) == directory.ECONFLICT:
		return renderForm(c, http.StatusUnprocessableEntity, "espace/structure-formulaire", s.antennePage(c, parent, v, communeError(v, err)))
	case err != nil:
		return err
	}
	return redirect(c, "/espace/structures/"+st.ID, "antenne")
}
