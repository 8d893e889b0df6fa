package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// moderationReview records a moderator's decision on a structure; a refused
// structure's services leave the site.
func (s *Server) moderationReview(c *fiber.Ctx) error {
	ctx := c.UserContext()
	st, err := s.Store.Structure(ctx, c.Params("structure"))
	if err != nil {
		return err
	}
	v := s.form(c)
	f := account.ParseReviewForm(v)
	if err := s.Accounts.ReviewStructure(ctx, actorOf(c), st.ID, f); invalid(err) {
		p, perr := s.moderationPage(c, st, v, err)
		if perr != nil {
			return perr
		}
		return renderForm(c, http.StatusUnprocessableEntity, "espace/moderation-structure", p)
	} else if err != nil {
		return err
	}
	change := store.FieldChange{Field: "Vérification", Before: targetOf(c).Structure.Moderation.Label(), After: f.Decision.Label()}
	if f.Decision == directory.ModerationRefused {
		change.After += " : " + f.Note
	}
	s.recordStructure(ctx, actorOf(c), account.ModerationReview, st.ID, 0, change)
	return redirect(c, account.ModerationPath, "decision")
}
