package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// apiTerritories suggests the zones a service may serve: France, régions,
// départements, intercommunalités (EPCI) and communes, for the editor's
// zone picker. It answers from memory.
func (s *Server) apiTerritories(c *fiber.Ctx) error {
	if _, errs := strictQuery(c, "q"); errs.Err() != nil {
		return errs.Err()
	}
	q := strings.TrimSpace(c.Query("q"))
	if q == "" || utf8.RuneCountInString(q) > 100 {
		return directory.FieldErrors{"q": "Indiquez entre 1 et 100 caractères : un nom de territoire ou un code."}.Err()
	}
	out := s.searchTerritories(q, 10)
	if out == nil {
		out = []territory{}
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.JSON(out)
}
