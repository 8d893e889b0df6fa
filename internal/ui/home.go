package ui

import (
	"cmp"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

type homePage struct {
	Layout
	Form                           formView
	Needs                          []needGroup
	Shortcuts                      []option
	Services, Structures, Communes string
	Counted                        bool // the figures are known (counted in the background after start)
	Links                          []Link
}

func (s *Server) home(c *fiber.Ctx) error {
	st := s.Stats()
	p := homePage{
		Layout:     s.layout(c, "Trouver une aide à l’insertion près de chez vous", "Mobilité, garde d’enfants, logement, santé, emploi : trouvez les services d’aide à l’insertion proposés près de chez vous."),
		Form:       s.formView(searchForm{}),
		Needs:      needGroups(nil),
		Shortcuts:  shortcuts,
		Services:   plural(st.Services, "service", "services"),
		Structures: plural(st.Structures, "structure", "structures"),
		Communes:   number(st.Communes),
		Counted:    st.Counted,
		Links:      s.bigCommunes(),
	}
	p.Section = sectionSearch
	return c.Render("home", p)
}

// bigCommunes links the most populated communes, the usual way in to the
// commune pages.
func (s *Server) bigCommunes() []Link {
	s.bigOnce.Do(func() {
		var all []*directory.Commune
		for _, d := range s.Gazetteer.Departements() {
			all = append(all, s.Gazetteer.CommunesOf(d.Code)...)
		}
		slices.SortFunc(all, func(a, b *directory.Commune) int { return cmp.Compare(b.Population, a.Population) })
		big := all[:min(30, len(all))]
		names := map[string]int{}
		for _, c := range big {
			names[c.Name]++
		}
		for _, c := range big {
			label := c.Name
			if names[c.Name] > 1 { // Saint-Denis (93) and Saint-Denis (974)
				label += " (" + c.Departement + ")"
			}
			s.big = append(s.big, Link{Label: label, URL: communeURL(c)})
		}
		slices.SortFunc(s.big, func(a, b Link) int { return cmp.Compare(geo.Fold(a.Label), geo.Fold(b.Label)) })
	})
	return s.big
}
