package ui

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/repere-spie/repere/internal/directory"
)

type moderatorsPage struct {
	Layout
	Moderators  []moderatorRow
	Errors      []Link
	Email, Deps input
}

type moderatorRow struct {
	Name, Email, Departements string
}

func (s *Server) moderatorsPage(c *fiber.Ctx, v url.Values, err error) (moderatorsPage, error) {
	f := newFields(v, err)
	p := moderatorsPage{Layout: s.espaceLayout(c, "Gestionnaires de territoire")}
	users, err2 := s.Accounts.Moderators(c.UserContext(), actorOf(c))
	if err2 != nil {
		return p, err2
	}
	for _, u := range users {
		p.Moderators = append(p.Moderators, moderatorRow{Name: u.Name, Email: u.Email, Departements: strings.Join(u.ModeratorOf, " ")})
	}
	p.Email = f.input("email", "email", "Adresse électronique de son compte", "La personne doit avoir créé son compte sur Repère.")
	p.Deps = f.text("departements", "Départements", "Codes séparés par des espaces, par exemple « 86 79 2A ». Laissez vide pour lui retirer ce rôle.")
	p.Errors = errorSummary(directory.Fields{{Name: "email", Label: "Adresse électronique"}, {Name: "departements", Label: "Départements"}}, f.errs)
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: "/espace"}, Link{Label: "Gestionnaires de territoire"})
	return p, nil
}

// moderatorsShow lists the territory moderators and the form that appoints
// them, for platform administrators.
func (s *Server) moderatorsShow(c *fiber.Ctx) error {
	p, err := s.moderatorsPage(c, url.Values{}, nil)
	if err != nil {
		return err
	}
	return c.Render("espace/gestionnaires", p)
}
