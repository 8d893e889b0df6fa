package ui

import "github.com/gofiber/fiber/v2"

// messagePage tells what happened and where to go next: "check your
// mailbox", "this link is dead".
type messagePage struct {
	Layout
	Heading    string
	Paragraphs []string
	Links      []Link
	Alert      string // "success", "info", "warning" or "error"
}

// message renders a message page with status.
func (s *Server) message(c *fiber.Ctx, status int, alert, heading string, paragraphs []string, links ...Link) error {
	p := messagePage{Layout: s.espaceLayout(c, heading), Heading: heading, Paragraphs: paragraphs, Links: links, Alert: alert}
	c.Status(status)
	return c.Render("espace/message", p)
}
