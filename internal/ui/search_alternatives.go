package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// alternatives are the searches a result-less search is one step from:
// a wider radius, one filter or the keywords dropped, all of France. Only
// those that find something are offered, with their counts.
func (s *Server) alternatives(c *fiber.Ctx, f searchForm) []Link {
	var out []Link
	try := func(label string, g searchForm) bool {
		q := g.SearchQuery
		q.Size = 1
		res, err := s.Index.Search(c.UserContext(), q)
		if err != nil || res.Total == 0 {
			return false
		}
		out = append(out, Link{Label: label, URL: g.URL(), Count: res.Total})
		return true
	}
	if f.hasPlace() {
		cur := f.radius()
		for _, r := range directory.SearchRadii {
			if r > cur && try("Élargir la distance à "+itoa(r)+" km", f.withRadius(r)) {
				break
			}
		}
	}
	for _, p := range []struct {
		param  string
		values []string
		label  func(string) string
	}{
		{"thematiques", f.Thematiques, thematiqueLabel},
		{"modes_accueil", f.ReceptionModes, directory.ReceptionModes.Label},
		{"frais", f.Fees, directory.Fees.Label},
		{"publics", f.Publics, directory.Publics.Label},
		{"types", f.Types, directory.ServiceTypes.Label},
	} {
		for _, v := range p.values {
			try("Retirer le filtre « "+p.label(v)+" »", f.without(p.param, v))
		}
	}
	if f.Text != "" {
		try("Retirer les mots-clés « "+f.Text+" »", f.without("q", ""))
	}
	if f.hasPlace() {
		try("Chercher dans toute la France", f.without("lieu", ""))
	}
	return out
}
