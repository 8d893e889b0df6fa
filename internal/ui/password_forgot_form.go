package ui

import (
	"net/url"

	"github.com/gofiber/fiber/v2"
	"github.com/repere-spie/repere/internal/directory"
)

type emailPage struct {
	Layout
	Errors []Link
	Email  input
}

func (s *Server) forgotPage(c *fiber.Ctx, v url.Values, err error) emailPage {
	f := newFields(v, err)
	p := emailPage{Layout: s.espaceLayout(c, "Mot de passe oublié")}
	p.Email = f.input("email", "email", "Adresse électronique de votre compte", "Format attendu : nom@domaine.fr")
	p.Email.Autocomplete, p.Email.Required = "email", true
	p.Errors = errorSummary(directory.Fields{{Name: "email", Label: "Adresse électronique"}}, f.errs)
	p.Breadcrumb = crumbs(Link{Label: "Se connecter", URL: "/connexion"}, Link{Label: "Mot de passe oublié"})
	return p
}

// passwordForgotForm asks for the address to send a reset link to.
func (s *Server) passwordForgotForm(c *fiber.Ctx) error {
	// The locked-out login page links here with the address filled in.
	return c.Render("compte/oubli", s.forgotPage(c, url.Values{"email": {c.Query("email")}}, nil))
}
