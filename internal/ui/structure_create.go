package ui

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// structureCreate registers a structure by its SIRET; its creator becomes
// its administrator. A SIRET already registered leads to the join request.
func (s *Server) structureCreate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v := s.resolveCommune(s.form(c))
	st, err := s.Accounts.CreateStructure(ctx, actorOf(c), structureCommand(v))
	var de *directory.Error
	switch {
	case invalid(err):
		return renderForm(c, http.StatusUnprocessableEntity, "espace/structure-formulaire", s.newStructurePage(c, v, communeError(v, err)))
	case directory.ErrorCode(err) == directory.ECONFLICT && errors.As(err, &de):
		p := s.newStructurePage(c, v, nil)
		p.Message = de.Message
		if siret, err := directory.NormalizeSIRET(v.Get("siret")); err == nil {
			p.Join = &Link{Label: "Demander à rejoindre cette structure", URL: "/espace/structures/rejoindre?siret=" + url.QueryEscape(siret)}
		}
		return renderForm(c, http.StatusConflict, "espace/structure-formulaire", p)
	case err != nil:
		return err
	}
	return redirect(c, "/espace/structures/"+st.ID, "cree")
}
