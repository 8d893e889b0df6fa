package ui

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// wherePage asks where the person lives before searching: the search had no
// place, or its place named no commune. Everything else typed is kept.
type wherePage struct {
	Layout
	Heading       string
	Intro         string
	Criteria      []string // what is searched, kept while the place is asked
	Form          formView
	Hidden        []hiddenField // the other criteria, sent again with the place
	Suggestions   []Link        // "Vouliez-vous dire…"
	EverywhereURL string
	Everywhere    int // services in all of France for these criteria
}

type hiddenField struct{ Name, Value string }

// askPlace renders the page: with the place typed and its error (he), or
// asking for one.
func (s *Server) askPlace(c *fiber.Ctx, f searchForm, he *helpError) error {
	p := wherePage{Form: s.formView(f), Criteria: criteria(&f)}
	for _, kv := range f.Values(directory.PageSearch) {
		switch kv[0] {
		case "code_commune", "code_postal", "lat", "lon", "page":
		default:
			p.Hidden = append(p.Hidden, hiddenField{kv[0], kv[1]})
		}
	}
	if f.View == viewMap {
		p.Hidden = append(p.Hidden, hiddenField{"vue", viewMap})
	}
	all := f
	all.Place, all.Commune, all.Position, all.Everywhere, all.Page = "", nil, nil, true, 0
	p.EverywhereURL = all.URL()
	if res, err := s.Index.Search(c.UserContext(), all.SearchQuery); err == nil {
		p.Everywhere = res.Total
	} else {
		return err
	}
	if he != nil {
		p.Heading = "Précisez la commune"
		p.Intro = "Aucune commune ne correspond à « " + he.Place + " ». Vérifiez l’orthographe, ajoutez le numéro du département (par exemple « Châtellerault 86 ») ou le code postal."
		p.Form.Place, p.Form.PlaceError = he.Place, "Commune introuvable : vérifiez l’orthographe ou indiquez le code postal."
		p.Suggestions = he.Suggestions
	} else {
		p.Heading = "Où habite la personne ?"
		p.Intro = "Les services d’insertion sont proposés commune par commune : indiquez la commune pour voir ceux qui s’adressent à ses habitants, près de chez eux ou à distance."
	}
	p.Layout = s.layout(c, p.Heading, "")
	p.Canonical, p.NoIndex, p.Section = "", true, sectionSearch
	p.Breadcrumb = crumbs(Link{Label: p.Heading})
	return c.Render("ou", p)
}

// placeProblem is the error of a place typed that names no commune.
func placeProblem(err error) *helpError {
	var he *helpError
	if errors.As(err, &he) && he.Place != "" {
		return he
	}
	return nil
}

// showCount labels the button that leaves the filters for the results.
func showCount(n int) string {
	switch n {
	case 0:
		return "Aucun résultat"
	case 1:
		return "Afficher le résultat"
	}
	return "Afficher les " + number(n) + " résultats"
}
