package ui

import (
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// descriptionPreview renders a description as the service page will show
// it (Markdown, then sanitised), for the editor's live preview. It changes
// nothing; the CSRF check keeps it for the site's own pages.
func (s *Server) descriptionPreview(c *fiber.Ctx) error {
	text := s.form(c).Get("description")
	if utf8.RuneCountInString(text) > 2*directory.DescriptionMaxLen {
		return directory.FieldErrors{"description": "La description est trop longue."}.Err()
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(struct {
		HTML string `json:"html"`
	}{string(s.md.HTML(text))})
}
