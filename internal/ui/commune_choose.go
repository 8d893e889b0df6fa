package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

type choosePage struct {
	Layout
	Text    string
	Choices []Link
	Form    formView
}

// chooseCommune asks which commune a text meant when several bear that name
// or postal code (without scripts, the form sends the text as typed).
func (s *Server) chooseCommune(c *fiber.Ctx, f searchForm, communes []*directory.Commune) error {
	p := choosePage{Text: f.Place, Form: s.formView(f)}
	for _, cm := range communes {
		g := f
		g.Place, g.Commune, g.Position = "", cm, nil
		p.Choices = append(p.Choices, Link{Label: s.communeChoiceLabel(cm), URL: g.URL()})
	}
	p.Layout = s.layout(c, "Précisez la commune", "")
	p.Canonical, p.NoIndex, p.Section = "", true, sectionSearch
	p.Breadcrumb = crumbs(Link{Label: "Précisez la commune"})
	return c.Render("choose", p)
}
