package ui

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

type signupPage struct {
	Layout
	Errors                []Link
	Message               string
	Name, Email, Password input
}

var signupLabels = directory.Fields{{Name: "nom", Label: "Nom et prénom"}, {Name: "email", Label: "Adresse électronique"}, {Name: "mot_de_passe", Label: "Mot de passe"}}

func (s *Server) signupPage(c *fiber.Ctx, v url.Values, err error) signupPage {
	f := newFields(v, err)
	p := signupPage{Layout: s.espaceLayout(c, "Créer un compte")}
	p.Name = f.text("nom", signupLabels.Label("nom"), "Il sera visible des autres membres de vos structures.")
	p.Name.Autocomplete, p.Name.Required = "name", true
	p.Email = f.input("email", "email", signupLabels.Label("email"), "Format attendu : nom@domaine.fr. Vous y recevrez un lien de confirmation.")
	p.Email.Autocomplete, p.Email.Required = "email", true
	p.Password = f.input("password", "mot_de_passe", signupLabels.Label("mot_de_passe"),
		"Au moins 12 caractères. Une phrase de plusieurs mots est facile à retenir et difficile à deviner.")
	p.Password.Autocomplete, p.Password.Required, p.Password.Value = "new-password", true, "" // never sent back
	p.Errors = errorSummary(signupLabels, f.errs)
	p.Breadcrumb = crumbs(Link{Label: "Créer un compte"})
	return p
}

// signupForm shows the sign-up form.
func (s *Server) signupForm(c *fiber.Ctx) error {
	if actorOf(c) != nil {
		return redirect(c, account.DashboardPath, "")
	}
	return c.Render("compte/inscription", s.signupPage(c, url.Values{}, nil))
}
