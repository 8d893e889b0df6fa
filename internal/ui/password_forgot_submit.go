package ui

import (
	"context"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// resetWork bounds the reset work done after answering.
const resetWork = time.Minute

// passwordForgotSubmit mails a reset link when the address has an account;
// the answer does not tell whether it has one, in its words nor in its
// time: only the address's form is checked before answering, the account
// look-up, the link and the mail come after.
func (s *Server) passwordForgotSubmit(c *fiber.Ctx) error {
	v := s.form(c)
	email, err := directory.NormalizeEmail(v.Get("email"))
	if err != nil {
		err = &directory.Error{Code: directory.EINVALID, Message: "Certains champs sont invalides.", Fields: map[string]string{"email": directory.ErrorMessage(err)}}
		return renderForm(c, http.StatusUnprocessableEntity, "compte/oubli", s.forgotPage(c, v, err))
	}
	// Fiber reuses c once the handler returns: take what the work needs now.
	client, base := s.client(c), context.WithoutCancel(c.UserContext())
	go func() {
		ctx, cancel := context.WithTimeout(base, resetWork)
		defer cancel()
		if err := s.Accounts.RequestPasswordReset(ctx, email, client); err != nil {
			s.Logger.Error("demande de réinitialisation non traitée", "err", err)
		}
	}()
	return s.message(c, http.StatusOK, "success", "Vérifiez votre messagerie", []string{
		"Si un compte utilise l’adresse " + email + ", un message va y être envoyé avec un lien pour choisir un nouveau mot de passe. Ce lien est valable une heure.",
	}, Link{Label: "Retour à la connexion", URL: "/connexion"})
}
