package ui

import (
	"cmp"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/geo"
)

type departementsPage struct {
	Layout
	Regions []regionView
}

type regionView struct {
	Name         string
	Departements []Link
}

// departementList lists the départements by région: the way in to the
// commune pages.
func (s *Server) departementList(c *fiber.Ctx) error {
	byRegion := map[string]*regionView{}
	var regions []*regionView
	for _, d := range s.Gazetteer.Departements() {
		r := byRegion[d.Region]
		if r == nil {
			r = &regionView{Name: d.Region}
			if reg, ok := s.Gazetteer.Region(d.Region); ok {
				r.Name = reg.Name
			}
			byRegion[d.Region] = r
			regions = append(regions, r)
		}
		r.Departements = append(r.Departements, Link{Label: d.Label(), URL: departementURL(d)})
	}
	slices.SortFunc(regions, func(a, b *regionView) int { return cmp.Compare(geo.Fold(a.Name), geo.Fold(b.Name)) })
	p := departementsPage{Layout: s.layout(c, "Parcourir par territoire", "Les aides à l’insertion de chaque département et de chaque commune de France.")}
	for _, r := range regions {
		p.Regions = append(p.Regions, *r)
	}
	p.Section = sectionDepartements
	p.Breadcrumb = crumbs(Link{Label: "Territoires"})
	return c.Render("departements", p)
}
