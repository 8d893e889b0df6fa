package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

type joinPage struct {
	Layout
	SIRET     input
	Structure *directory.Structure
	Address   []string
	NotFound  bool
	Message   input
	Member    bool // the actor is a member already
}

// structureJoinForm finds a structure by its SIRET and offers to ask its
// administrators to join it.
func (s *Server) structureJoinForm(c *fiber.Ctx) error {
	v := map[string][]string{"siret": {c.Query("siret")}}
	f := newFields(v, nil)
	p := joinPage{Layout: s.espaceLayout(c, "Rejoindre une structure")}
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: "/espace"}, Link{Label: "Rejoindre une structure"})
	if q := c.Query("siret"); q != "" {
		st, err := s.Accounts.FindStructureBySIRET(c.UserContext(), q)
		switch directory.ErrorCode(err) {
		case "":
			p.Structure, p.Address = st, addressLines(st.Address, st.AddressComplement, st.PostalCode, st.CommuneName)
			if t, err := s.Accounts.StructureTarget(c.UserContext(), st.ID); err == nil {
				p.Member = t.Structure.RoleOf(actorOf(c).User.ID) != ""
			}
		case directory.ENOTFOUND:
			p.NotFound = true
		case directory.EINVALID:
			f = newFields(v, err)
		default:
			return err
		}
	}
	p.SIRET = f.text("siret", "Numéro SIRET de la structure", "14 chiffres.")
	p.SIRET.Inputmode = "numeric"
	p.Message = f.textarea("message", "Message aux administrateurs", "Facultatif : votre fonction, pourquoi vous rejoignez la structure.", 4)
	return c.Render("espace/rejoindre", p)
}
