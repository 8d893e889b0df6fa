package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// verifySubmit consumes a confirmation link and sends the person to the
// login page.
func (s *Server) verifySubmit(c *fiber.Ctx) error {
	_, err := s.Accounts.VerifyEmail(c.UserContext(), s.form(c).Get("jeton"))
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return s.message(c, http.StatusNotFound, "error", "Lien expiré", []string{directory.ErrorMessage(err),
			"Connectez-vous avec votre adresse et votre mot de passe : un nouveau lien vous sera envoyé."},
			Link{Label: "Se connecter", URL: account.LoginPath})
	} else if err != nil {
		return err
	}
	return redirect(c, account.LoginPath, "confirme")
}
