package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

type queuePage struct {
	Layout
	Departements string
	Items        []queueRow
}

type queueRow struct {
	Name, URL, Siret, Commune, Since, Reason string
}

// moderationQueue lists the structures waiting for a territory moderator.
func (s *Server) moderationQueue(c *fiber.Ctx) error {
	actor := actorOf(c)
	items, err := s.Accounts.ModerationQueue(c.UserContext(), actor)
	if err != nil {
		return err
	}
	p := queuePage{Layout: s.espaceLayout(c, "Structures à vérifier")}
	if actor.User.PlatformAdmin {
		p.Departements = "tous les départements"
	} else {
		for i, d := range actor.User.ModeratorOf {
			if i > 0 {
				p.Departements += ", "
			}
			if dep, ok := s.Gazetteer.Departement(d); ok {
				p.Departements += dep.Label()
			} else {
				p.Departements += d
			}
		}
	}
	for _, it := range items {
		r := queueRow{Name: it.Structure.Name, URL: "/espace/moderation/" + it.Structure.ID, Siret: siret(it.Structure.SIRET),
			Commune: it.Structure.CommuneName, Since: directory.FrenchDate(it.Account.CreatedAt), Reason: "Nouvelle structure à vérifier"}
		if it.Account.Moderation != directory.ModerationPending {
			r.Reason = "Demandes d’adhésion sans administrateur pour y répondre"
		}
		p.Items = append(p.Items, r)
	}
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: "/espace"}, Link{Label: "Structures à vérifier"})
	return c.Render("espace/moderation", p)
}
