package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// thematiqueCards is the number of services a thématique page lists.
const thematiqueCards = 20

type thematiquePage struct {
	Layout
	Heading     string
	Description string
	Category    *Link  // the category of a besoin
	Besoins     []Link // of a category
	SearchURL   string
	Cards       []cardView
}

type thematiquesPage struct {
	Layout
	Categories []categoryView
}

// thematique returns the category or besoin of a URL, ENOTFOUND for none.
func thematique(slug string) (directory.Term, error) {
	for _, v := range []*directory.Vocabulary{directory.ThematiqueCategories, directory.Thematiques} {
		for _, t := range v.Terms() {
			if t.Value == slug {
				return t, nil
			}
		}
	}
	return directory.Term{}, directory.Errorf(directory.ENOTFOUND, "Aucune thématique ne s’appelle « %s ».", slug)
}

// thematiqueShow lists the services of a category or besoin last published
// or changed in all of France, with the feeds of the thématique.
func (s *Server) thematiqueShow(c *fiber.Ctx) error {
	t, err := thematique(c.Params("slug"))
	if err != nil {
		return err
	}
	as, err := s.Index.Latest(c.UserContext(), directory.SearchQuery{Thematiques: []string{t.Value}, Now: s.now()}, thematiqueCards)
	if err != nil {
		return err
	}
	hits := make([]directory.Hit, len(as))
	for i, a := range as {
		hits[i] = a.Hit
	}
	p := thematiquePage{
		Heading:     thematiqueTitle(t.Value),
		Description: t.Description,
		SearchURL:   searchForm{SearchQuery: directory.SearchQuery{Thematiques: []string{t.Value}}}.URL(),
		Cards:       s.cards(hits),
	}
	crumb := []Link{{Label: "Thématiques", URL: "/thematiques"}}
	if cat := directory.CategoryOf(t.Value); cat != t.Value {
		p.Category = &Link{Label: directory.ThematiqueCategories.Label(cat), URL: thematiqueURL(cat)}
		crumb = append(crumb, *p.Category)
	}
	for _, b := range directory.Besoins(t.Value) {
		p.Besoins = append(p.Besoins, Link{Label: directory.Thematiques.Label(b), URL: thematiqueURL(b)})
	}
	p.Layout = s.layout(c, p.Heading, "Les derniers services d’aide à l’insertion publiés pour la thématique « "+p.Heading+" », et leurs flux d’actualité.")
	p.Feeds = feedLinksAt(thematiqueURL(t.Value)+"/flux", "")
	p.Breadcrumb = crumbs(append(crumb, Link{Label: thematiqueLabel(t.Value)})...)
	return c.Render("thematique", p)
}

// thematiqueList lists the categories and their besoins.
func (s *Server) thematiqueList(c *fiber.Ctx) error {
	p := thematiquesPage{}
	for _, cat := range directory.ThematiqueCategories.Terms() {
		v := categoryView{Link: Link{Label: cat.Label, URL: thematiqueURL(cat.Value)}}
		for _, b := range directory.Besoins(cat.Value) {
			v.Besoins = append(v.Besoins, Link{Label: directory.Thematiques.Label(b), URL: thematiqueURL(b)})
		}
		p.Categories = append(p.Categories, v)
	}
	p.Layout = s.layout(c, "Thématiques", "Les thématiques de l’insertion sociale et professionnelle, et les derniers services publiés pour chacune.")
	p.Breadcrumb = crumbs(Link{Label: "Thématiques"})
	return c.Render("thematiques", p)
}
