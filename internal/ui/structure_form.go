package ui

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// structureFormPage is the form of a structure: creation (with its SIRET),
// antenne, or edit.
type structureFormPage struct {
	Layout
	Heading, Intro string
	Action         string
	Submit         string
	Errors         []Link
	Message        string // an error that is no field's
	Join           *Link  // the structure to ask to join, when its SIRET is registered
	Items          []editorItem
	Version        int64
	Conflict       *conflictView
	SIRETSearch    bool // show the "already on Repère?" search
}

// structureForm builds the form's fields; withSIRET for a creation.
func (s *Server) structureForm(c *fiber.Ctx, title string, v url.Values, err error, others map[string]*otherValue, withSIRET bool) structureFormPage {
	f := newFields(v, err)
	f.others = others
	if m, ok := f.errs["code_insee"]; ok {
		f.errs["commune"] = m
		delete(f.errs, "code_insee")
	}
	item := func(in input) editorItem { return editorItem{Input: &in} }
	name := f.text("nom", directory.StructureFields.Label("nom"), "Le nom sous lequel le public connaît la structure.")
	name.Required = true
	siretIn := f.text("siret", directory.StructureFields.Label("siret"), "14 chiffres, sur un avis de situation Insee ou sur annuaire-entreprises.data.gouv.fr.")
	siretIn.Required, siretIn.Inputmode = true, "numeric"
	addr := f.text("adresse", directory.StructureFields.Label("adresse"), "Numéro et voie, par exemple 12 rue de la Gare.")
	addr.Required = true
	postal := f.text("code_postal", directory.StructureFields.Label("code_postal"), "5 chiffres.")
	postal.Inputmode = "numeric"
	commune := f.text("commune", directory.StructureFields.Label("commune"), "Commencez à taper le nom et choisissez la commune.")
	commune.Combobox, commune.Autocomplete, commune.Required = "commune", "off", true
	hours := f.text("horaires_accueil", directory.StructureFields.Label("horaires_accueil"), "Au format OpenStreetMap, par exemple « Mo-Fr 09:00-12:00,14:00-17:00 ».")
	hours.Preview = "horaires"
	nets := f.checkboxes("reseaux_porteurs", directory.StructureFields.Label("reseaux_porteurs"), "Les réseaux dont la structure fait partie, s’il y en a.", directory.Networks)
	nets.Sections = []choiceSection{{Label: "Choisir des réseaux", Choices: nets.Choices}}
	for _, ch := range nets.Choices {
		if ch.Checked {
			nets.Sections[0].Checked++
		}
	}
	nets.Sections[0].Open, nets.Choices = nets.Sections[0].Checked > 0, nil
	p := structureFormPage{Layout: s.espaceLayout(c, title), Heading: title}
	p.Items = []editorItem{item(name)}
	if withSIRET {
		p.Items = append(p.Items, item(siretIn))
	}
	p.Items = append(p.Items,
		item(f.textarea("description", directory.StructureFields.Label("description"), "Facultatif. Mise en forme Markdown.", 5)),
		item(addr), item(f.text("complement_adresse", directory.StructureFields.Label("complement_adresse"), "")), item(postal), item(commune),
		item(input{Type: "hidden", Name: "code_insee", Value: v.Get("code_insee")}),
		item(f.input("tel", "telephone", directory.StructureFields.Label("telephone"), "Par exemple 05 49 12 34 56.")),
		item(f.input("email", "courriel", directory.StructureFields.Label("courriel"), "L’adresse de contact de la structure, pour le public.")),
		item(f.input("url", "site_web", directory.StructureFields.Label("site_web"), "Format attendu : https://www.exemple.fr")),
		item(f.input("url", "accessibilite_lieu", directory.StructureFields.Label("accessibilite_lieu"), "Lien vers la fiche Acceslibre du lieu, s’il y en a une.")),
		item(hours), editorItem{Hours: &hoursBlock{View: newHoursView(v.Get("horaires_accueil"), s.now())}},
		editorItem{Group: &nets},
	)
	p.Errors = errorSummary(directory.StructureFields, f.errs)
	var de *directory.Error
	if errors.As(err, &de) && len(de.Fields) == 0 {
		p.Message = de.Message
	}
	return p
}

// resolveCommune fills code_insee from the commune typed when no script
// chose it, so that the account package gets a code.
func (s *Server) resolveCommune(v url.Values) url.Values {
	name, cp := directory.StripDepartement(v.Get("commune")), strings.TrimSpace(v.Get("code_postal"))
	if code := v.Get("code_insee"); code != "" {
		if c, ok := s.Gazetteer.Commune(code); ok && (name == "" || geo.Fold(c.Name) == geo.Fold(name)) {
			return v
		}
	}
	v = cloneValues(v)
	v.Del("code_insee")
	found := s.Gazetteer.Resolve(name)
	if name == "" {
		found = s.Gazetteer.Resolve(cp)
	}
	if cp != "" && name != "" {
		found = slices.DeleteFunc(slices.Clone(found), func(c *directory.Commune) bool { return !slices.Contains(c.PostalCodes, cp) })
	}
	if len(found) == 1 {
		v.Set("code_insee", found[0].Code)
	}
	return v
}

// communeError explains why no commune was found for the text typed.
func communeError(v url.Values, err error) error {
	if v.Get("code_insee") != "" || v.Get("commune") == "" {
		return err
	}
	fe := directory.FieldErrors{}
	var de *directory.Error
	if errors.As(err, &de) {
		for k, m := range de.Fields {
			fe.Add(k, m)
		}
	}
	fe.Add("commune", fmt.Sprintf("Commune introuvable ou ambiguë : « %s ». Choisissez-la dans la liste ou indiquez le code postal.", directory.StripDepartement(v.Get("commune"))))
	delete(fe, "code_insee")
	return fe.Err()
}
