package ui

import (
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// structureUpdate saves the structure's form over the version read; when
// someone saved since, the form comes back with their values beside the
// fields that differ, to merge.
func (s *Server) structureUpdate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	before, err := s.Store.Structure(ctx, c.Params("structure"))
	if err != nil {
		return err
	}
	v := s.resolveCommune(s.form(c))
	after, err := s.Accounts.UpdateStructure(ctx, actorOf(c), before.ID, version(v), account.ParseStructureForm(v))
	switch {
	case invalid(err):
		return renderForm(c, http.StatusUnprocessableEntity, "espace/structure-formulaire", s.editStructurePage(c, before, v, communeError(v, err), nil))
	case directory.ErrorCode(err) == directory.ECONFLICT:
		theirs := structureValues(before)
		others := map[string]*otherValue{}
		view := &conflictView{By: "une autre personne", At: "le " + directory.FrenchDate(before.UpdatedAt) + " à " + clockOf(before.UpdatedAt)}
		for _, name := range structureFields {
			if canonical(name, v) != canonical(name, theirs) {
				o := &otherValue{Text: theirs.Get(name), Raw: theirs.Get(name), By: view.By, At: view.At}
				mine := v.Get(name)
				if listFields[name] {
					o.Text = strings.Join(labels(directory.Networks, theirs[name]), ", ")
					o.Raw, o.List = strings.Join(theirs[name], " "), true
					mine = strings.Join(labels(directory.Networks, v[name]), ", ")
				}
				if name == "commune" {
					o.Code = theirs.Get("code_insee")
				}
				others[name] = o
				view.Conflicts = append(view.Conflicts, conflictField{ID: fieldID(name), Label: structureLabels[name], Mine: mine, Theirs: o.Text})
			}
		}
		v = cloneValues(v)
		v.Set("version_lue", itoa64(before.Version))
		p := s.editStructurePage(c, before, v, nil, others)
		p.Conflict = view
		return renderForm(c, http.StatusConflict, "espace/structure-formulaire", p)
	case err != nil:
		return err
	}
	s.recordStructure(ctx, actorOf(c), account.StructureEdit, after.ID, after.Version, structureChanges(before, after)...)
	return redirect(c, "/espace/structures/"+after.ID, "structure")
}
