package ui

import (
	"context"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/observatory"
)

type departementPage struct {
	Layout
	D        *directory.Departement
	Region   string
	Communes []Link
	Served   int // communes with at least one service
	// Observatory is the département in the observatory of gaps.
	Observatory string
}

// countsTTL is how long a département's counts are kept: a search per
// commune is too costly to run on every visit.
const countsTTL = 30 * time.Minute

// departementShow lists the communes of a département with the number of
// services available to their inhabitants.
func (s *Server) departementShow(c *fiber.Ctx) error {
	code, _ := splitRef(c.Params("ref"))
	d, ok := s.Gazetteer.Departement(code)
	if !ok {
		return &helpError{
			err:         directory.Errorf(directory.ENOTFOUND, "Aucun département ne porte le code « %s ».", code),
			Suggestions: []Link{{Label: "La liste des départements", URL: "/departements"}},
		}
	}
	if c.Path() != departementURL(d) {
		return c.Redirect(departementURL(d), http.StatusMovedPermanently)
	}
	counts, err := s.communeCounts(c.UserContext(), d.Code)
	if err != nil {
		return err
	}
	p := departementPage{D: d, Observatory: observatoryURL("/observatoire", observatory.Query{
		Territory: directory.Zone{Kind: directory.ZoneDepartement, Code: d.Code}, Column: defaultColumn, RadiusKm: missingRadius})}
	for _, cm := range s.Gazetteer.CommunesOf(d.Code) {
		n := counts[cm.Code]
		p.Communes = append(p.Communes, Link{Label: cm.Name, URL: communeURL(cm), Count: n})
		if n > 0 {
			p.Served++
		}
	}
	if r, ok := s.Gazetteer.Region(d.Region); ok {
		p.Region = r.Name
	}
	p.Layout = s.layout(c, "Aides à l’insertion : "+d.Label(), "Les services d’aide à l’insertion proposés aux habitants de chaque commune du département "+d.Label()+".")
	p.Section = sectionDepartements
	p.Feeds = s.departementFeedLinks(d.Code)
	p.Breadcrumb = crumbs(Link{Label: "Territoires", URL: "/departements"}, Link{Label: d.Label()})
	return c.Render("departement", p)
}

// communeCounts returns, for each commune of a département, the number of
// services its inhabitants can use; cached for countsTTL.
func (s *Server) communeCounts(ctx context.Context, dep string) (map[string]int, error) {
	return s.caches.counts.Load(dep, func() (map[string]int, error) {
		// Detached from the request: the result serves every later visitor.
		ctx := context.WithoutCancel(ctx)
		counts := map[string]int{}
		for _, cm := range s.Gazetteer.CommunesOf(dep) {
			res, err := s.Index.Search(ctx, directory.SearchQuery{Commune: cm, Size: 1})
			if err != nil {
				return nil, err
			}
			counts[cm.Code] = res.Total
		}
		return counts, nil
	})
}
