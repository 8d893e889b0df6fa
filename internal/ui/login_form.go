package ui

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

type loginPage struct {
	Layout
	Errors          []Link
	Message         string
	Email, Password input
	Back            string // where to go after signing in
	ProConnect      bool
	// ResetURL, when the account is locked, leads to the reset form with
	// the address filled in: a reset unlocks the account.
	ResetURL string
}

var loginLabels = directory.Fields{{Name: "email", Label: "Adresse électronique"}, {Name: "mot_de_passe", Label: "Mot de passe"}}

func (s *Server) loginPage(c *fiber.Ctx, v url.Values, err error) loginPage {
	f := newFields(v, err)
	p := loginPage{Layout: s.espaceLayout(c, "Se connecter"), ProConnect: s.Accounts.ProConnectEnabled()}
	p.Email = f.input("email", "email", loginLabels.Label("email"), "Format attendu : nom@domaine.fr")
	p.Email.Autocomplete, p.Email.Required = "username", true
	p.Password = f.input("password", "mot_de_passe", loginLabels.Label("mot_de_passe"), "")
	p.Password.Autocomplete, p.Password.Required, p.Password.Value = "current-password", true, ""
	p.Errors = errorSummary(loginLabels, f.errs)
	if back := v.Get("retour"); localPath(back) {
		p.Back = back
	}
	p.Breadcrumb = crumbs(Link{Label: "Se connecter"})
	return p
}

// loginForm shows the sign-in form (and the ProConnect button when set up).
func (s *Server) loginForm(c *fiber.Ctx) error {
	if actorOf(c) != nil {
		return redirect(c, account.DashboardPath, "")
	}
	return c.Render("compte/connexion", s.loginPage(c, url.Values{"retour": {c.Query("retour")}}, nil))
}
