package ui

import "github.com/gofiber/fiber/v2"

// outboxPath is the administrators' page of the outbox and the jobs.
const outboxPath = "/espace/administration/courriels"

// outboxRetry sends a failed mail again, once an administrator fixed its
// cause (the address, the mail server).
func (s *Server) outboxRetry(c *fiber.Ctx) error {
	if err := s.Outbox.Retry(c.UserContext(), s.form(c).Get("cle")); err != nil {
		return err
	}
	return redirect(c, outboxPath, "renvoi")
}
