package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// sessionPing keeps the session of someone typing in a long form alive:
// the editor's script calls it while there is typing, so the 30 minutes of
// inactivity count from the last key pressed, not from the page load.
func (s *Server) sessionPing(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendStatus(http.StatusNoContent)
}
