package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/directory"
)

// feedCommune serves the feed of a commune page: the search of its
// inhabitants, /communes/{code}-{slug}/flux.atom.
func (s *Server) feedCommune(c *fiber.Ctx) error {
	code, _ := splitRef(c.Params("ref"))
	cm, ok := s.Gazetteer.Commune(code)
	if !ok {
		return directory.Errorf(directory.ENOTFOUND, "Aucune commune ne porte le code « %s ».", code)
	}
	path := communeURL(cm) + "/flux"
	ctx, q := c.UserContext(), directory.SearchQuery{Commune: cm, Now: s.now()}
	return s.serveFeed(c, feedSpec{
		path:        path,
		title:       s.searchFeedTitle(&searchForm{SearchQuery: q}),
		description: feedDescription,
		link:        communeURL(cm),
		latest:      func() ([]indexer.Announcement, error) { return s.Index.Latest(ctx, q, feedSize) },
	})
}
