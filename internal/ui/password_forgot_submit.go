package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// passwordForgotSubmit mails a reset link when the address has an account;
// the answer does not tell whether it has one.
func (s *Server) passwordForgotSubmit(c *fiber.Ctx) error {
	v := s.form(c)
	err := s.Accounts.RequestPasswordReset(c.UserContext(), v.Get("email"), s.client(c))
	if invalid(err) {
		return renderForm(c, http.StatusUnprocessableEntity, "compte/oubli", s.forgotPage(c, v, err))
	} else if err != nil {
		return err
	}
	return s.message(c, http.StatusOK, "success", "Vérifiez votre messagerie", []string{
		"Si un compte utilise l’adresse " + v.Get("email") + ", un message vient d’y être envoyé avec un lien pour choisir un nouveau mot de passe. Ce lien est valable une heure.",
	}, Link{Label: "Retour à la connexion", URL: "/connexion"})
}
