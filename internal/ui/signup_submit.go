package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// signupSubmit creates the account and mails the confirmation link. The
// answer is the same whether the address already had an account or not.
func (s *Server) signupSubmit(c *fiber.Ctx) error {
	v := s.form(c)
	err := s.Accounts.SignUp(c.UserContext(), signUpCommand(v), s.client(c))
	switch {
	case invalid(err):
		return renderForm(c, http.StatusUnprocessableEntity, "compte/inscription", s.signupPage(c, v, err))
	case directory.ErrorCode(err) == directory.EFORBIDDEN:
		p := s.signupPage(c, v, nil)
		p.Message = directory.ErrorMessage(err)
		return renderForm(c, http.StatusTooManyRequests, "compte/inscription", p)
	case err != nil:
		return err
	}
	return s.message(c, http.StatusOK, "success", "Vérifiez votre messagerie", []string{
		"Si l’adresse " + v.Get("email") + " peut être utilisée, un message vient d’y être envoyé avec un lien pour confirmer votre compte. Ce lien est valable 48 heures.",
		"Pensez à regarder dans vos courriers indésirables.",
	}, Link{Label: "Se connecter", URL: account.LoginPath})
}
