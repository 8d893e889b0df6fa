package ui

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/directory"
)

// feedSearch serves the feed of a search: /flux/recherche.atom (or .rss,
// .json) with the parameters of the results page, of which sort, page and
// view do not apply.
func (s *Server) feedSearch(c *fiber.Ctx) error {
	f, _, choices, err := s.readSearch(c, directory.FeedSearch)
	if err != nil {
		return err
	}
	if choices != nil {
		return directory.FieldErrors{"commune": "Plusieurs communes portent ce nom : indiquez son code postal ou son code INSEE."}.Err()
	}
	ctx, q := c.UserContext(), f.SearchQuery
	page := f
	page.Everywhere = f.Commune == nil // the page asks for a place unless all of France is chosen
	q.Now = s.now()
	return s.serveFeed(c, feedSpec{
		path:        "/flux/recherche",
		query:       strings.TrimPrefix(f.URL(), "/recherche"),
		title:       s.searchFeedTitle(&f),
		description: feedDescription,
		link:        page.URL(),
		latest:      func() ([]indexer.Announcement, error) { return s.Index.Latest(ctx, q, feedSize) },
	})
}

// searchFeedTitle is "nouveaux services pour les habitants de Poitiers
// (Vienne) : Mobilité, gratuit".
func (s *Server) searchFeedTitle(f *searchForm) string {
	t := "nouveaux services"
	switch {
	case f.Position != nil:
		t += " autour d’une position"
	case f.Commune != nil:
		t += " pour les habitants de " + s.placeName(f.Commune)
	default:
		t += " dans toute la France"
	}
	what := criteria(f)
	if f.hasPlace() && f.radius() == directory.DefaultRadiusKm {
		what = what[1:] // the usual radius goes without saying in a title
	}
	if len(what) > 0 {
		t += " : " + strings.Join(what, ", ")
	}
	return t
}
