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
	Reminders       choiceGroup
}

var accountLabels = directory.Fields{{Name: "nom", Label: "Nom et prénom"}, {Name: "mot_de_passe_actuel", Label: "Mot de passe actuel"}, {Name: "nouveau_mot_de_passe", Label: "Nouveau mot de passe"}}

func (s *Server) accountPage(c *fiber.Ctx, v url.Values, err error) accountPage {
	u := actorOf(c).User
	if v == nil {
		v = url.Values{"nom": {u.Name}}
	}
	f := newFields(v, err)
	p := accountPage{Layout: s.espaceLayout(c, "Mon compte"), Email: u.Email, HasPassword: u.PasswordHash != "",
		ProConnect: u.ProConnectSub != "", PasswordChanged: directory.FrenchDate(u.PasswordChangedAt)}
	p.Name = f.text("nom", accountLabels.Label("nom"), "")
	p.Name.Autocomplete = "name"
	p.Current = f.input("password", "mot_de_passe_actuel", accountLabels.Label("mot_de_passe_actuel"), "")
	p.Current.Autocomplete, p.Current.Value = "current-password", ""
	p.New = f.input("password", "nouveau_mot_de_passe", accountLabels.Label("nouveau_mot_de_passe"), "Au moins 12 caractères.")
	p.New.Autocomplete, p.New.Value = "new-password", ""
	p.Reminders = choiceGroup{ID: "rappels-choix", Name: "rappels", Legend: "Recevoir :"}
	for _, r := range directory.Reminders {
		p.Reminders.Choices = append(p.Reminders.Choices, choice{ID: "rappel-" + string(r), Name: "rappels", Value: string(r), Label: r.Label(), Checked: u.Wants(r)})
	}
	p.Errors = errorSummary(accountLabels, f.errs)
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: "/espace"}, Link{Label: "Mon compte"})
	return p
}

// accountShow shows the account: name, password, sessions.
func (s *Server) accountShow(c *fiber.Ctx) error {
	return c.Render("compte/compte", s.accountPage(c, nil, nil))
}
