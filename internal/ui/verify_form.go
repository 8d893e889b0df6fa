package ui

import (
	"github.com/gofiber/fiber/v2"
)

// tokenPage is a page answering a link from a mail: a button posts its
// token, since mail scanners open links but do not press buttons.
type tokenPage struct {
	Layout
	Token string
}

// verifyForm shows the button that confirms an address.
func (s *Server) verifyForm(c *fiber.Ctx) error {
	p := tokenPage{Layout: s.espaceLayout(c, "Confirmer votre adresse électronique"), Token: c.Query("jeton")}
	return c.Render("compte/confirmer", p)
}
