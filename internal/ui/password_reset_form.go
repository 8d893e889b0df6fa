package ui

import (
	"net/http"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

type resetPage struct {
	Layout
	Errors   []Link
	Token    string
	Password input
}

func (s *Server) resetPage(c *fiber.Ctx, token string, err error) resetPage {
	f := newFields(url.Values{}, err)
	p := resetPage{Layout: s.espaceLayout(c, "Choisir un nouveau mot de passe"), Token: token}
	p.Password = f.input("password", "mot_de_passe", "Nouveau mot de passe",
		"Au moins 12 caractères. Une phrase de plusieurs mots est facile à retenir et difficile à deviner.")
	p.Password.Autocomplete, p.Password.Required = "new-password", true
	p.Errors = errorSummary(directory.Fields{{Name: "mot_de_passe", Label: "Nouveau mot de passe"}}, f.errs)
	return p
}

// deadLink answers a reset link that is unknown, used or expired.
func (s *Server) deadLink(c *fiber.Ctx, err error) error {
	return s.message(c, http.StatusNotFound, "error", "Lien expiré", []string{directory.ErrorMessage(err)},
		Link{Label: "Demander un nouveau lien", URL: "/compte/mot-de-passe/oubli"})
}

// passwordResetForm asks for the new password of a reset link.
func (s *Server) passwordResetForm(c *fiber.Ctx) error {
	token := c.Query("jeton")
	if err := s.Accounts.CheckResetLink(c.UserContext(), token); directory.ErrorCode(err) == directory.ENOTFOUND {
		return s.deadLink(c, err)
	} else if err != nil {
		return err
	}
	return c.Render("compte/nouveau-mot-de-passe", s.resetPage(c, token, nil))
}
