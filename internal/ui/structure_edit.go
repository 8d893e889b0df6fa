package ui

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

func (s *Server) editStructurePage(c *fiber.Ctx, st *directory.Structure, v url.Values, err error, others map[string]*otherValue) structureFormPage {
	p := s.structureForm(c, "Modifier la structure", v, err, others, false)
	p.Action, p.Submit = "/espace/structures/"+st.ID+"/modifier", "Enregistrer"
	p.Version = version(v)
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: "/espace"}, Link{Label: st.Name, URL: "/espace/structures/" + st.ID},
		Link{Label: "Modifier"})
	return p
}

// structureEdit shows the structure's form.
func (s *Server) structureEdit(c *fiber.Ctx) error {
	st, err := s.Accounts.Structure(c.UserContext(), c.Params("structure"))
	if err != nil {
		return err
	}
	v := directory.StructureValues(st)
	v.Set("version_lue", itoa64(st.Version))
	return c.Render("espace/structure-formulaire", s.editStructurePage(c, st, v, nil, nil))
}
