package ui

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

func (s *Server) antennePage(c *fiber.Ctx, parent *directory.Structure, v url.Values, err error) structureFormPage {
	p := s.structureForm(c, "Nouvelle antenne de "+parent.Name, v, err, nil, true)
	p.Intro = "Une antenne est un autre lieu d’accueil de la structure. Ses administrateurs gèrent aussi l’antenne. Le SIRET est facultatif : celui de l’établissement, s’il en a un."
	for i := range p.Items {
		if in := p.Items[i].Input; in != nil && in.Name == "siret" {
			in.Required, in.Hint = false, "Facultatif. 14 chiffres."
		}
	}
	p.Action, p.Submit = "/espace/structures/"+parent.ID+"/antennes", "Créer l’antenne"
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: "/espace"}, Link{Label: parent.Name, URL: "/espace/structures/" + parent.ID},
		Link{Label: "Nouvelle antenne"})
	return p
}

// antenneNew shows the form of a new antenne, filled from its parent.
func (s *Server) antenneNew(c *fiber.Ctx) error {
	parent, err := s.Accounts.Structure(c.UserContext(), c.Params("structure"))
	if err != nil {
		return err
	}
	v := directory.StructureValues(parent)
	v.Del("siret")
	v.Set("nom", parent.Name+" – ")
	return c.Render("espace/structure-formulaire", s.antennePage(c, parent, v, nil))
}
