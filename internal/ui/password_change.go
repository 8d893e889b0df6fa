package ui

import (
	"net/http"
	"net/url"

	"github.com/gofiber/fiber/v2"
)

// passwordChange sets a new password; the other sessions close and this
// browser gets a new one.
func (s *Server) passwordChange(c *fiber.Ctx) error {
	actor := actorOf(c)
	l, err := s.Accounts.ChangePassword(c.UserContext(), actor, passwordCommand(s.form(c)), s.client(c))
	if invalid(err) {
		return renderForm(c, http.StatusUnprocessableEntity, "compte/compte", s.accountPage(c, url.Values{"nom": {actor.User.Name}}, err))
	} else if err != nil {
		return err
	}
	signIn(c, l)
	return redirect(c, "/compte", "mot-de-passe")
}
