package ui

import (
	"net/url"

	"github.com/gofiber/fiber/v2"
)

// newStructurePage is the creation form of a structure, after the search
// that finds it when it is on Repère already.
func (s *Server) newStructurePage(c *fiber.Ctx, v url.Values, err error) structureFormPage {
	p := s.structureForm(c, "Inscrire une structure", v, err, nil, true)
	p.Intro = "Vous en deviendrez l’administrateur. Un gestionnaire du territoire vérifiera la structure ; ses services sont publiés en attendant, avec la mention « structure en cours de vérification »."
	p.Action, p.Submit, p.SIRETSearch = "/espace/structures", "Inscrire la structure", true
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: "/espace"}, Link{Label: "Inscrire une structure"})
	return p
}

// structureNew shows the creation form.
func (s *Server) structureNew(c *fiber.Ctx) error {
	return c.Render("espace/structure-formulaire", s.newStructurePage(c, url.Values{}, nil))
}
