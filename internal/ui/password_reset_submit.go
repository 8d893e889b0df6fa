package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// passwordResetSubmit sets the new password; every session of the account
// closes and the person signs in again.
func (s *Server) passwordResetSubmit(c *fiber.Ctx) error {
	v := s.form(c)
	_, err := s.Accounts.ResetPassword(c.UserContext(), v.Get("jeton"), v.Get("mot_de_passe"))
	switch {
	case invalid(err):
		return renderForm(c, http.StatusUnprocessableEntity, "compte/nouveau-mot-de-passe", s.resetPage(c, v.Get("jeton"), err))
	case directory.ErrorCode(err) == directory.ENOTFOUND:
		return s.deadLink(c, err)
	case err != nil:
		return err
	}
	setCookie(c, account.ExpiredCookie(account.SessionCookieName))
	return redirect(c, account.LoginPath, "mot-de-passe")
}
