package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// accountUpdate saves the profile: the name, and nothing that grants rights
// whatever else is posted.
func (s *Server) accountUpdate(c *fiber.Ctx) error {
	v := s.form(c)
	_, err := s.Accounts.UpdateProfile(c.UserContext(), actorOf(c), profileCommand(v))
	if invalid(err) {
		return renderForm(c, http.StatusUnprocessableEntity, "compte/compte", s.accountPage(c, v, err))
	} else if err != nil {
		return err
	}
	return redirect(c, "/compte", "profil")
}
