package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// serviceCreate saves a new service as a draft of the structure: it is
// published from the editor once complete.
func (s *Server) serviceCreate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	st, err := s.Accounts.Structure(ctx, c.Params("structure"))
	if err != nil {
		return err
	}
	v := s.form(c)
	if a := v.Get("action"); a == actionPreview || a == actionAddZone {
		return s.editorAgain(c, st, nil, v)
	}
	now := s.now()
	svc := &directory.Service{ID: directory.NewID(), StructureID: st.ID, Source: "repere", Status: directory.StatusDraft,
		Provenance: directory.Provenance{Kind: "saisie"}, CreatedAt: now, UpdatedAt: now}
	err = s.applyService(svc, v)
	if err == nil {
		err = s.Catalog.Create(ctx, svc, editBy(c, account.ServiceCreate))
	}
	if invalid(err) {
		return renderForm(c, http.StatusUnprocessableEntity, "espace/service-editeur", s.editorPage(c, st, nil, v, editorOptions{err: err}))
	} else if err != nil {
		return err
	}
	return redirect(c, "/espace/services/"+svc.ID, "brouillon")
}
