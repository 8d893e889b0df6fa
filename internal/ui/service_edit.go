package ui

import (
	"github.com/gofiber/fiber/v2"
	"github.com/repere-spie/repere/internal/directory"
)

// serviceEdit shows the editor filled with the service as stored.
func (s *Server) serviceEdit(c *fiber.Ctx) error {
	svc := serviceOf(c)
	st, err := s.Accounts.Structure(c.UserContext(), svc.StructureID)
	if err != nil {
		return err
	}
	v := directory.ServiceValues(svc)
	v.Set("version_lue", itoa64(svc.Version))
	return c.Render("espace/service-editeur", s.editorPage(c, st, svc, v, editorOptions{}))
}
