package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

type historyPage struct {
	Layout
	Heading string
	Back    Link
	Entries []historyView
}

// serviceHistory lists who changed what and when on a service.
func (s *Server) serviceHistory(c *fiber.Ctx) error {
	svc := serviceOf(c)
	entries, err := s.historyOf(s.Catalog.History(c.UserContext(), svc.ID))
	if err != nil {
		return err
	}
	p := historyPage{Layout: s.espaceLayout(c, "Historique de « "+svc.Name+" »"), Heading: "Historique de « " + svc.Name + " »",
		Back: Link{Label: "Retour au service", URL: "/espace/services/" + svc.ID}, Entries: entries}
	crumb := []Link{{Label: "Espace partenaires", URL: "/espace"}}
	if st, err := s.Accounts.Structure(c.UserContext(), svc.StructureID); err == nil {
		crumb = append(crumb, Link{Label: st.Name, URL: "/espace/structures/" + st.ID})
	} else if directory.ErrorCode(err) != directory.ENOTFOUND {
		return err
	}
	p.Breadcrumb = crumbs(append(crumb, p.Back, Link{Label: "Historique"})...)
	return c.Render("espace/historique", p)
}
