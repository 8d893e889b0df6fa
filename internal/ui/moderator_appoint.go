package ui

import (
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// moderatorAppoint makes an account a territory moderator of the
// départements given (none: no longer a moderator).
func (s *Server) moderatorAppoint(c *fiber.Ctx) error {
	v := s.form(c)
	deps := strings.FieldsFunc(v.Get("departements"), func(r rune) bool { return r == ' ' || r == ',' || r == ';' })
	if _, err := s.Accounts.AppointModerator(c.UserContext(), actorOf(c), v.Get("email"), deps); invalid(err) {
		p, perr := s.moderatorsPage(c, v, err)
		if perr != nil {
			return perr
		}
		return renderForm(c, http.StatusUnprocessableEntity, "espace/gestionnaires", p)
	} else if err != nil {
		return err
	}
	return redirect(c, "/espace/administration/gestionnaires", "gestionnaire")
}
