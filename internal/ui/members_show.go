package ui

import (
	"net/http"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// membersPage is the people of a structure: members and their roles, join
// requests, invitations, and the invitation form.
type membersPage struct {
	Layout
	St          *directory.Structure
	Members     []memberRow
	Requests    []requestRow
	Invitations []invitationRow
	Errors      []Link
	Message     string
	Email       input
	Role        input
	Roles       []choice
}

type memberRow struct {
	UserID, Name, Email, Role, Since string
	RoleValue                        directory.Role
	Self                             bool
}

type requestRow struct {
	UserID, Name, Email, Message, At string
}

type invitationRow struct {
	Email, Role, At, Expires string
}

func (s *Server) membersPage(c *fiber.Ctx, st *directory.Structure, v url.Values, err error) membersPage {
	t := targetOf(c)
	f := newFields(v, err)
	p := membersPage{Layout: s.espaceLayout(c, "Membres de "+st.Name), St: st}
	me := actorOf(c).User.ID
	for _, m := range t.Structure.Members {
		p.Members = append(p.Members, memberRow{UserID: m.UserID, Name: m.Name, Email: m.Email, Role: m.Role.Label(),
			RoleValue: m.Role, Since: directory.FrenchDate(m.Since), Self: m.UserID == me})
	}
	for _, r := range t.Structure.JoinRequests {
		p.Requests = append(p.Requests, requestRow{UserID: r.UserID, Name: r.Name, Email: r.Email, Message: r.Message, At: directory.FrenchDate(r.At)})
	}
	for _, i := range t.Structure.Invitations {
		p.Invitations = append(p.Invitations, invitationRow{Email: i.Email, Role: i.Role.Label(), At: directory.FrenchDate(i.At), Expires: directory.FrenchDate(i.ExpiresAt)})
	}
	p.Email = f.input("email", "email", "Adresse électronique de la personne à inviter", "Elle recevra un lien valable 14 jours.")
	p.Role = f.input("select", "role", "Rôle", "Les administrateurs gèrent la structure et ses membres ; les membres gèrent ses services.")
	for _, r := range directory.Roles {
		p.Role.Options = append(p.Role.Options, choice{Value: string(r), Label: r.Label(), Checked: v.Get("role") == string(r) || v.Get("role") == "" && r == directory.RoleMember})
	}
	for _, r := range directory.Roles {
		p.Roles = append(p.Roles, choice{Value: string(r), Label: r.Label()})
	}
	p.Errors = errorSummary(directory.Fields{{Name: "email", Label: "Adresse électronique"}, {Name: "role", Label: "Rôle"}}, f.errs)
	if err != nil && len(f.errs) == 0 {
		p.Message = directory.ErrorMessage(err)
	}
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: "/espace"}, Link{Label: st.Name, URL: "/espace/structures/" + st.ID}, Link{Label: "Membres"})
	return p
}

// membersShow shows the people of the structure to those who run it.
func (s *Server) membersShow(c *fiber.Ctx) error {
	st, err := s.Accounts.Structure(c.UserContext(), c.Params("structure"))
	if err != nil {
		return err
	}
	return c.Render("espace/membres", s.membersPage(c, st, url.Values{}, nil))
}

// membersAgain answers a members action refused for a reason the person
// can fix (the last administrator, a bad address): the page again, with
// the message. Other errors go to the error page.
func (s *Server) membersAgain(c *fiber.Ctx, err error) error {
	code := directory.ErrorCode(err)
	if code != directory.EINVALID && code != directory.ECONFLICT && code != directory.ENOTFOUND {
		return err
	}
	ctx := c.UserContext()
	st, serr := s.Accounts.Structure(ctx, c.Params("structure"))
	if serr != nil {
		return serr
	}
	t, terr := s.Accounts.StructureTarget(ctx, st.ID) // as it is now
	if terr != nil {
		return terr
	}
	c.Locals(localTarget, t)
	return renderForm(c, http.StatusUnprocessableEntity, "espace/membres", s.membersPage(c, st, s.form(c), err))
}
