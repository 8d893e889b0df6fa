package ui

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

type moderationPage struct {
	Layout
	St        *directory.Structure
	Siret     string
	Address   []string
	State     string
	Members   []memberRow
	Requests  []requestRow
	Services  int
	PublicURL string
	Errors    []Link
	Decision  choiceGroup
	Note      input
}

func (s *Server) moderationPage(c *fiber.Ctx, st *directory.Structure, v url.Values, err error) (moderationPage, error) {
	t := targetOf(c)
	f := newFields(v, err)
	p := moderationPage{Layout: s.espaceLayout(c, "Vérifier "+st.Name), St: st, Siret: siret(st.SIRET),
		Address: addressLines(st.Address, st.AddressComplement, st.PostalCode, st.CommuneName), State: t.Structure.Moderation.Label(),
		PublicURL: structureURL(st.ID, st.Name)}
	for _, m := range t.Structure.Members {
		p.Members = append(p.Members, memberRow{Name: m.Name, Email: m.Email, Role: m.Role.Label(), Since: directory.FrenchDate(m.Since)})
	}
	for _, r := range t.Structure.JoinRequests {
		p.Requests = append(p.Requests, requestRow{UserID: r.UserID, Name: r.Name, Email: r.Email, Message: r.Message, At: directory.FrenchDate(r.At)})
	}
	ids, err2 := s.Catalog.ServiceIDsOfStructure(c.UserContext(), st.ID)
	if err2 != nil {
		return p, err2
	}
	p.Services = len(ids)
	p.Decision = choiceGroup{ID: fieldID("decision"), Name: "decision", Legend: "Décision", Radio: true, Error: f.errs["decision"],
		Choices: []choice{
			{ID: fieldID("decision") + "-validee", Name: "decision", Value: string(directory.ModerationValidated), Label: "Valider la structure", Radio: true,
				Hint: "Elle existe et les personnes inscrites peuvent la représenter.", Checked: v.Get("decision") == string(directory.ModerationValidated)},
			{ID: fieldID("decision") + "-refusee", Name: "decision", Value: string(directory.ModerationRefused), Label: "Refuser la structure", Radio: true,
				Hint: "Ses services quittent le site. Ses administrateurs reçoivent votre explication.", Checked: v.Get("decision") == string(directory.ModerationRefused)},
		}}
	p.Note = f.textarea("note", "Explication", "Obligatoire pour un refus : ce qui ne va pas et comment le corriger.", 4)
	p.Errors = errorSummary(directory.Fields{{Name: "decision", Label: "Décision"}, {Name: "note", Label: "Explication"}}, f.errs)
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: "/espace"}, Link{Label: "Structures à vérifier", URL: "/espace/moderation"}, Link{Label: st.Name})
	return p, nil
}

// moderationShow shows what a moderator checks of a structure, and the
// decision form.
func (s *Server) moderationShow(c *fiber.Ctx) error {
	st, err := s.Accounts.Structure(c.UserContext(), c.Params("structure"))
	if err != nil {
		return err
	}
	p, err := s.moderationPage(c, st, url.Values{}, nil)
	if err != nil {
		return err
	}
	return c.Render("espace/moderation-structure", p)
}
