package ui

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/catalog"
	"github.com/repere-spie/repere/internal/directory"
)

// serviceUpdate saves the editor's form over the version the editor read.
// If someone saved since, nothing is written and both versions are shown
// to merge; a form with errors is shown again with everything typed.
func (s *Server) serviceUpdate(c *fiber.Ctx) error { return s.saveService(c, false) }

func (s *Server) saveService(c *fiber.Ctx, publish bool) error {
	ctx := c.UserContext()
	cur := serviceOf(c)
	st, err := s.Accounts.Structure(ctx, cur.StructureID)
	if err != nil {
		return err
	}
	v := s.form(c)
	if a := v.Get("action"); a == actionPreview || a == actionAddZone {
		return s.editorAgain(c, st, cur, v)
	}
	if version(v) != cur.Version {
		return s.conflict(c, st, cur, v)
	}
	next := *cur
	err = s.applyService(&next, v)
	switch {
	case err == nil && publish:
		err = s.Catalog.Publish(ctx, cur, &next, editBy(c, account.ServicePublish))
	case err == nil:
		err = s.Catalog.Update(ctx, cur, &next, editBy(c, account.ServiceEdit))
	}
	var incomplete *catalog.IncompleteError
	switch {
	case errors.As(err, &incomplete): // the editor lists what is missing
		return renderForm(c, http.StatusUnprocessableEntity, "espace/service-editeur", s.editorPage(c, st, cur, v, editorOptions{publish: true}))
	case invalid(err):
		return renderForm(c, http.StatusUnprocessableEntity, "espace/service-editeur", s.editorPage(c, st, cur, v, editorOptions{err: err, publish: publish}))
	case directory.ErrorCode(err) == directory.ECONFLICT:
		fresh, err := s.Catalog.Service(ctx, cur.ID)
		if err != nil {
			return err
		}
		return s.conflict(c, st, fresh, v)
	case err != nil:
		return err
	}
	flash := "enregistre"
	if publish {
		flash = "publie"
	}
	return redirect(c, "/espace/services/"+cur.ID, flash)
}

// conflict shows the editor's form merged with the version saved meanwhile
// (409): nothing was written.
func (s *Server) conflict(c *fiber.Ctx, st *directory.Structure, cur *directory.Service, v url.Values) error {
	merged, others, view := s.merge(c.UserContext(), v, version(v), cur)
	merged.Set("version_lue", itoa64(cur.Version))
	p := s.editorPage(c, st, cur, merged, editorOptions{conflict: view, others: others})
	return renderForm(c, http.StatusConflict, "espace/service-editeur", p)
}
