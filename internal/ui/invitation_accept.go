package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// invitationAccept makes the signed-in user a member, if the invitation was
// sent to their address.
func (s *Server) invitationAccept(c *fiber.Ctx) error {
	ctx := c.UserContext()
	actor := actorOf(c)
	st, err := s.Accounts.AcceptInvitation(ctx, actor, s.form(c).Get("jeton"))
	switch directory.ErrorCode(err) {
	case "":
	case directory.ENOTFOUND, directory.EFORBIDDEN:
		status := http.StatusNotFound
		if directory.ErrorCode(err) == directory.EFORBIDDEN {
			status = http.StatusForbidden
		}
		return s.message(c, status, "error", "Invitation non acceptée", []string{directory.ErrorMessage(err)},
			Link{Label: "Retour à votre espace", URL: account.DashboardPath})
	default:
		return err
	}
	return redirect(c, "/espace/structures/"+st.ID, "rejoint")
}
