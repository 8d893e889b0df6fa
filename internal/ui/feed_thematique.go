package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/directory"
)

// feedThematique serves the feed of a thématique: its services in all of
// France, /thematiques/{slug}/flux.atom.
func (s *Server) feedThematique(c *fiber.Ctx) error {
	t, err := thematique(c.Params("slug"))
	if err != nil {
		return err
	}
	ctx, q := c.UserContext(), directory.SearchQuery{Thematiques: []string{t.Value}, Now: s.now()}
	return s.serveFeed(c, feedSpec{
		path:        thematiqueURL(t.Value) + "/flux",
		title:       "nouveaux services : " + thematiqueTitle(t.Value),
		description: feedDescription,
		link:        thematiqueURL(t.Value),
		latest:      func() ([]indexer.Announcement, error) { return s.Index.Latest(ctx, q, feedSize) },
	})
}
