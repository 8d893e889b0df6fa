package ui

import "github.com/gofiber/fiber/v2"

// infoPage is the data of the fixed pages: À propos, mentions légales,
// accessibilité, plan du site.
type infoPage struct {
	Layout
	Stats   Stats
	Figures struct{ Services, Structures, Communes string }
	Contact string
}

// info serves a fixed page.
func (s *Server) info(template, title, description, section string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		st := s.Stats()
		p := infoPage{Layout: s.layout(c, title, description), Stats: st, Contact: s.Site.ContactEmail}
		p.Figures.Services = plural(st.Services, "service", "services")
		p.Figures.Structures = plural(st.Structures, "structure", "structures")
		p.Figures.Communes = number(st.Communes)
		p.Section = section
		p.Breadcrumb = crumbs(Link{Label: title})
		return c.Render(template, p)
	}
}
