package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

type invitationPage struct {
	Layout
	Token     string
	Info      *account.InvitationInfo
	Role      string
	SignedIn  bool
	OtherUser string // signed in with another address than the invited one
	Back      string // this page, to come back after signing in
}

// invitationShow shows an invitation and the button that accepts it, or
// how to sign in first.
func (s *Server) invitationShow(c *fiber.Ctx) error {
	token := c.Query("jeton")
	info, err := s.Accounts.Invitation(c.UserContext(), token)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return s.message(c, http.StatusNotFound, "error", "Invitation expirée", []string{directory.ErrorMessage(err),
			"Demandez à un administrateur de la structure de vous inviter de nouveau."})
	} else if err != nil {
		return err
	}
	p := invitationPage{Layout: s.espaceLayout(c, "Invitation à rejoindre "+info.Structure.Name), Token: token, Info: info,
		Role: info.Role.Label(), Back: c.OriginalURL()}
	if a := actorOf(c); a != nil {
		p.SignedIn = true
		if a.User.Email != info.Email {
			p.OtherUser = a.User.Email
		}
	}
	p.Back = loginURL(p.Back)
	return c.Render("espace/invitation", p)
}
