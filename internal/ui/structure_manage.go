package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// structureManagePage is a structure as its members work on it.
type structureManagePage struct {
	Layout
	St         *directory.Structure
	Siret      string
	Moderation directory.Moderation
	Note       string // a refusal's explanation
	Role       string
	Manage     bool // may edit the structure and its members
	Antenne    bool // the structure is an antenne
	Parent     *Link
	Antennes   []Link
	Services   serviceGroups
	Requests   int // join requests waiting
	History    []historyView
	PublicURL  string
}

// structureManage shows a structure's services by state, its antennes and
// its history.
func (s *Server) structureManage(c *fiber.Ctx) error {
	ctx := c.UserContext()
	st, err := s.Accounts.Structure(ctx, c.Params("structure"))
	if err != nil {
		return err
	}
	t := targetOf(c)
	actor := actorOf(c)
	p := structureManagePage{St: st, Siret: siret(st.SIRET), Moderation: t.Structure.Moderation, Note: t.Structure.ModerationNote,
		Manage: account.Can(actor, account.StructureEdit, t) == nil, Antenne: t.Structure.ParentID != "",
		Requests: len(t.Structure.JoinRequests), PublicURL: structureURL(st.ID, st.Name)}
	if r := t.Structure.RoleOf(actor.User.ID); r != "" {
		p.Role = r.Label()
	}
	if t.Parent != nil {
		if parent, err := s.Accounts.Structure(ctx, t.Parent.ID); err == nil {
			p.Parent = &Link{Label: parent.Name, URL: "/espace/structures/" + parent.ID}
		}
	}
	for _, id := range t.Structure.Antennes {
		if a, err := s.Accounts.Structure(ctx, id); err == nil {
			p.Antennes = append(p.Antennes, Link{Label: a.Name, URL: "/espace/structures/" + a.ID})
		}
	}
	p.Services, err = s.servicesOf(ctx, st)
	p.Services.Level = 3
	if err != nil {
		return err
	}
	if p.History, err = s.historyOf(s.Accounts.History(ctx, st.ID)); err != nil {
		return err
	}
	p.History = p.History[:min(len(p.History), 20)] // the last changes
	p.Layout = s.espaceLayout(c, st.Name)
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: "/espace"}, Link{Label: st.Name})
	return c.Render("espace/structure", p)
}
