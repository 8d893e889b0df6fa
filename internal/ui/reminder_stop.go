package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// reminderStopForm asks to confirm, from the link of a reminder mail, that
// its kind should stop.
func (s *Server) reminderStopForm(c *fiber.Ctx) error {
	kind := directory.Reminder(c.Params("kind"))
	if !kind.Valid() {
		return fiber.ErrNotFound
	}
	return s.confirm(c, confirmPage{Heading: "Ne plus recevoir ce rappel", Action: c.Path(), Button: "Ne plus recevoir ce rappel",
		Paragraphs: []string{"Rappel : " + kind.Label() + ".", "Vous pourrez le rétablir à tout moment depuis votre compte."}})
}

// reminderStop switches a kind of reminder off: the button of the page
// above, or the one-click unsubscribe of a mail client (RFC 8058), which
// has neither session nor CSRF token: the URL's signature is the proof.
func (s *Server) reminderStop(c *fiber.Ctx) error {
	kind := directory.Reminder(c.Params("kind"))
	if err := s.Reminders.Stop(c.UserContext(), c.Params("user"), kind, c.Params("sig")); err != nil {
		return err
	}
	return s.message(c, http.StatusOK, "success", "Rappel désactivé",
		[]string{"Vous ne recevrez plus ce rappel : " + kind.Label() + "."},
		Link{Label: "Choisir mes rappels", URL: "/compte#rappels"})
}
