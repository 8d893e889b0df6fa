package ui

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

type accountPage struct {
	Layout
	Errors          []Link
	Email           string
	Name            input
	Current, New    input
	HasPassword     bool
	ProConnect      bool // signed in through ProConnect
	PasswordChanged string
}

var accountLabels = map[string]string{"nom": "Nom et prénom", "mot_de_passe_actuel": "Mot de passe actuel", "nouveau_mot_de_passe": "Nouveau mot de passe"}

func (s *Server) accountPage(c *fiber.Ctx, v url.Values, err error) accountPage {
	u := actorOf(c).User
	if v == nil {
		v = url.Values{"nom": {u.Name}}
	}
	f := newFields(v, err)
	p := accountPage{Layout: s.espaceLayout(c, "Mon compte"), Email: u.Email, HasPassword: u.PasswordHash != "",
		ProConnect: u.ProConnectSub != "", PasswordChanged: directory.FrenchDate(u.PasswordChangedAt)}
	p.Name = f.text("nom", accountLabels["nom"], "")
	p.Name.Autocomplete = "name"
	p.Current = f.input("password", "mot_de_passe_actuel", accountLabels["mot_de_passe_actuel"], "")
	p.Current.Autocomplete, p.Current.Value = "current-password", ""
	p.New = f.input("password", "nouveau_mot_de_passe", accountLabels["nouveau_mot_de_passe"], "Au moins 12 caractères.")
	p.New.Autocomplete, p.New.Value = "new-password", ""
	p.Errors = errorSummary([]string{"nom", "mot_de_passe_actuel", "nouveau_mot_de_passe"}, accountLabels, f.errs)
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: "/espace"}, Link{Label: "Mon compte"})
	return p
}

// accountShow shows the account: name, password, sessions.
func (s *Server) accountShow(c *fiber.Ctx) error {
	return c.Render("compte/compte", s.accountPage(c, nil, nil))
}
