package ui

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// serviceNew shows an empty editor, its place and contacts taken from the
// structure.
func (s *Server) serviceNew(c *fiber.Ctx) error {
	st, err := s.Accounts.Structure(c.UserContext(), c.Params("structure"))
	if err != nil {
		return err
	}
	v := url.Values{}
	for k, x := range map[string]string{"adresse": st.Address, "complement_adresse": st.AddressComplement,
		"code_postal": st.PostalCode, "commune": st.CommuneName, "code_insee": st.CodeInsee,
		"telephone": phone(st.Phone), "courriel": st.Email, "horaires_accueil": st.OpeningHours} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if st.CodeInsee != "" {
		// The zone publishing needs, named by the structure's commune: most
		// services serve where their structure is.
		v.Set("zone_eligibilite", directory.Zone{Kind: directory.ZoneCommune, Code: st.CodeInsee}.Key())
	}
	return c.Render("espace/service-editeur", s.editorPage(c, st, nil, v, editorOptions{}))
}
