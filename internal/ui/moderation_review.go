package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
)

// moderationReview records a moderator's decision on a structure; a refused
// structure's services leave the site.
func (s *Server) moderationReview(c *fiber.Ctx) error {
	ctx := c.UserContext()
	st, err := s.Accounts.Structure(ctx, c.Params("structure"))
	if err != nil {
		return err
	}
	v := s.form(c)
	f := reviewCommand(v)
	if err := s.Accounts.ReviewStructure(ctx, actorOf(c), st.ID, f); invalid(err) {
		p, perr := s.moderationPage(c, st, v, err)
		if perr != nil {
			return perr
		}
		return renderForm(c, http.StatusUnprocessableEntity, "espace/moderation-structure", p)
	} else if err != nil {
		return err
	}
	return redirect(c, account.ModerationPath, "decision")
}
