package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// structureUpdate saves the structure's form over the version read; when
// someone saved since, the form comes back with their values beside the
// fields that differ, to merge.
func (s *Server) structureUpdate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	before, err := s.Accounts.Structure(ctx, c.Params("structure"))
	if err != nil {
		return err
	}
	v := s.resolveCommune(s.form(c))
	after, err := s.Accounts.UpdateStructure(ctx, actorOf(c), before.ID, version(v), structureCommand(v))
	switch {
	case invalid(err):
		return renderForm(c, http.StatusUnprocessableEntity, "espace/structure-formulaire", s.editStructurePage(c, before, v, communeError(v, err), nil))
	case directory.ErrorCode(err) == directory.ECONFLICT:
		view := &conflictView{By: "une autre personne", At: "le " + directory.FrenchDate(before.UpdatedAt) + " à " + clockOf(before.UpdatedAt)}
		_, others := s.mergeForms(directory.StructureFields, v, directory.StructureValues(before), nil, view)
		v = cloneValues(v)
		v.Set("version_lue", itoa64(before.Version))
		p := s.editStructurePage(c, before, v, nil, others)
		p.Conflict = view
		return renderForm(c, http.StatusConflict, "espace/structure-formulaire", p)
	case err != nil:
		return err
	}
	return redirect(c, "/espace/structures/"+after.ID, "structure")
}
