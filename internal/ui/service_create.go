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
	st, err := s.Store.Structure(ctx, c.Params("structure"))
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
	if err := s.checkService(svc, v); err != nil {
		return renderForm(c, http.StatusUnprocessableEntity, "espace/service-editeur", s.editorPage(c, st, nil, v, editorOptions{err: err}))
	}
	if err := s.Catalog.CreateService(ctx, svc); err != nil {
		if svc.Version == 0 {
			return err
		}
		s.Logger.Warn("service saved, search index late", "service", svc.ID, "err", err)
	}
	s.recordService(ctx, actorOf(c), account.ServiceCreate, nil, svc)
	return redirect(c, "/espace/services/"+svc.ID, "brouillon")
}
