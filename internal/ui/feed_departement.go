package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/directory"
)

// feedDepartement serves the feed of a département page: the services
// received or based there and those of the whole département,
// /departements/{code}-{slug}/flux.atom.
func (s *Server) feedDepartement(c *fiber.Ctx) error {
	code, _ := splitRef(c.Params("ref"))
	d, ok := s.Gazetteer.Departement(code)
	if !ok {
		return directory.Errorf(directory.ENOTFOUND, "Aucun département ne porte le code « %s ».", code)
	}
	path := departementURL(d) + "/flux"
	ctx := c.UserContext()
	return s.serveFeed(c, feedSpec{
		path:        path,
		title:       "nouveaux services du département " + d.Label(),
		description: feedDescription + " Services accueillant dans le département ou destinés à tout le département.",
		link:        departementURL(d),
		latest: func() ([]indexer.Announcement, error) {
			return s.Index.LatestInDepartement(ctx, d.Code, feedSize)
		},
	})
}
