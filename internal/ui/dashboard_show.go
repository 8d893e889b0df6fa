package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// dashboardPage is the partner's home: their structures and services, what
// needs their attention, and the moderators' queue.
type dashboardPage struct {
	Layout
	Name          string
	Structures    []dashboardStructure
	Stale         []serviceRow
	Requests      []joinRequestRow
	Moderator     bool
	PlatformAdmin bool
	Queue         int
}

type dashboardStructure struct {
	ID, Name, Role  string
	Moderation      string
	ModerationBadge string
	Services        serviceGroups
	Requests        int // join requests waiting for an answer
	Invitations     int // invitations not accepted yet
	Manage          bool
}

type joinRequestRow struct {
	Structure, CancelURL string
}

// dashboardShow shows the partner's structures and services.
func (s *Server) dashboardShow(c *fiber.Ctx) error {
	ctx := c.UserContext()
	actor := actorOf(c)
	p := dashboardPage{Layout: s.espaceLayout(c, "Espace partenaires"), Name: actor.User.Name,
		Moderator: len(actor.User.ModeratorOf) > 0, PlatformAdmin: actor.User.PlatformAdmin}
	mine, err := s.Accounts.MyStructures(ctx, actor)
	if err != nil {
		return err
	}
	for _, m := range mine {
		d := dashboardStructure{ID: m.Structure.ID, Name: m.Structure.Name, Role: m.Role.Label(),
			Moderation: m.Account.Moderation.Label(), Requests: len(m.Account.JoinRequests), Invitations: len(m.Account.Invitations),
			Manage: m.Role == directory.RoleAdmin}
		switch m.Account.Moderation {
		case directory.ModerationPending:
			d.ModerationBadge = "warning"
		case directory.ModerationRefused:
			d.ModerationBadge = "error"
		default:
			d.ModerationBadge = "success"
		}
		if d.Services, err = s.servicesOf(ctx, m.Structure); err != nil {
			return err
		}
		p.Stale = append(p.Stale, d.Services.Stale...)
		p.Structures = append(p.Structures, d)
	}
	asked, err := s.Accounts.MyJoinRequests(ctx, actor)
	if err != nil {
		return err
	}
	for _, st := range asked {
		p.Requests = append(p.Requests, joinRequestRow{Structure: st.Name, CancelURL: "/espace/structures/" + st.ID + "/demande/annuler"})
	}
	if p.Moderator || p.PlatformAdmin {
		queue, err := s.Accounts.ModerationQueue(ctx, actor)
		if err != nil {
			return err
		}
		p.Queue = len(queue)
	}
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires"})
	return c.Render("espace/tableau", p)
}
