package ui

import "github.com/gofiber/fiber/v2"

// confirmPage answers a link from a mail with one button: mail scanners
// open links but do not press buttons, so nothing changes on GET.
type confirmPage struct {
	Layout
	Heading    string
	Paragraphs []string
	Action     string // where the button posts
	Hidden     []Link // fields the form carries: Label is the name, URL the value
	Button     string
}

func (s *Server) confirm(c *fiber.Ctx, p confirmPage) error {
	p.Layout = s.espaceLayout(c, p.Heading)
	return c.Render("espace/confirmer", p)
}
