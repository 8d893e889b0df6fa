package ui

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// input is one form field as the template "espace/input" draws it.
type input struct {
	ID, Name, Label, Hint string
	Type                  string // text, email, tel, url, password, date, number, textarea, select, hidden
	Value                 string
	Error                 string
	Required              bool
	Autocomplete          string
	Inputmode             string
	Rows                  int
	Options               []choice    // of a select
	Other                 *otherValue // another person's value, on a conflict
	Preview               string      // "horaires" or "description": scripts add a live preview
	Combobox              string      // "commune": scripts suggest communes
}

// choice is a checkbox, a radio button or a select option.
type choice struct {
	ID, Name, Value, Label, Hint string
	Checked, Radio, Inline       bool
}

// choiceGroup is a fieldset of checkboxes or radio buttons (template
// "espace/choices").
type choiceGroup struct {
	ID, Name, Legend, Hint, Error string
	Radio                         bool
	Inline                        bool
	Choices                       []choice
	Sections                      []choiceSection // grouped choices (thématiques by category)
	Other                         *otherValue
}

// choiceSection is a disclosure of choices within a group.
type choiceSection struct {
	Label   string
	Open    bool
	Checked int
	Choices []choice
}

// otherValue is what another person saved while this form was being
// filled, shown beside the field with a button that takes it.
type otherValue struct {
	Text   string // as people read it
	Raw    string // the form value(s), space separated for lists
	List   bool
	Code   string // the commune's code, with its name in Raw
	By, At string
}

// fields builds the inputs of a form from the values typed and the
// messages of the fields in error.
type fields struct {
	values url.Values
	errs   map[string]string
	others map[string]*otherValue
}

func newFields(v url.Values, err error) fields {
	f := fields{values: v, errs: map[string]string{}}
	var de *directory.Error
	if errors.As(err, &de) {
		for k, m := range de.Fields {
			f.errs[k] = m
		}
	}
	return f
}

func fieldID(name string) string { return "champ-" + strings.ReplaceAll(name, "_", "-") }

// input is a field of the given type.
func (f fields) input(typ, name, label, hint string) input {
	return input{ID: fieldID(name), Name: name, Label: label, Hint: hint, Type: typ,
		Value: f.values.Get(name), Error: f.errs[name], Other: f.others[name]}
}

func (f fields) text(name, label, hint string) input { return f.input("text", name, label, hint) }

func (f fields) textarea(name, label, hint string, rows int) input {
	in := f.input("textarea", name, label, hint)
	in.Rows = rows
	return in
}

// selectFrom is a select of a vocabulary, with an empty first option.
func (f fields) selectFrom(name, label, hint, empty string, v *directory.Vocabulary) input {
	in := f.input("select", name, label, hint)
	in.Options = []choice{{Value: "", Label: empty, Checked: in.Value == ""}}
	for _, t := range v.Terms() {
		in.Options = append(in.Options, choice{Value: t.Value, Label: t.Label, Checked: t.Value == in.Value})
	}
	return in
}

// checkboxes is a group of checkboxes over a vocabulary.
func (f fields) checkboxes(name, legend, hint string, v *directory.Vocabulary) choiceGroup {
	g := choiceGroup{ID: fieldID(name), Name: name, Legend: legend, Hint: hint, Error: f.errs[name], Other: f.others[name]}
	g.Choices = f.choices(name, v.Terms(), false)
	return g
}

// radios is a group of radio buttons over a vocabulary.
func (f fields) radios(name, legend, hint string, v *directory.Vocabulary) choiceGroup {
	g := f.checkboxes(name, legend, hint, v)
	g.Radio, g.Inline = true, true
	for i := range g.Choices {
		g.Choices[i].Radio, g.Choices[i].Inline = true, true
	}
	return g
}

func (f fields) choices(name string, terms []directory.Term, hints bool) []choice {
	picked := f.values[name]
	out := make([]choice, 0, len(terms))
	for _, t := range terms {
		ch := choice{ID: fieldID(name) + "-" + t.Value, Name: name, Value: t.Value, Label: t.Label, Checked: slices.Contains(picked, t.Value)}
		if hints || t.Description != t.Label {
			ch.Hint = t.Description
		}
		out = append(out, ch)
	}
	return out
}

// errorSummary lists the fields in error, linked to them, in the order
// the form shows them.
func errorSummary(fields directory.Fields, errs map[string]string) []Link {
	var out []Link
	all := fields.Names()
	for _, f := range fields {
		if msg, ok := errs[f.Name]; ok {
			out = append(out, Link{Label: f.Label + " : " + msg, URL: "#" + fieldID(f.Name)})
		}
	}
	for name, msg := range errs {
		if !slices.Contains(all, name) {
			out = append(out, Link{Label: msg})
		}
	}
	return out
}

// invalid reports whether err is a validation error to show in the form.
func invalid(err error) bool { return directory.ErrorCode(err) == directory.EINVALID }

// renderForm renders a page whose form has errors: 422, everything typed
// kept, one message per field.
func renderForm(c *fiber.Ctx, status int, template string, p any) error {
	c.Status(status)
	return c.Render(template, p)
}

// redirect sends the browser to path after a successful post (303, so that
// reloading does not post again), with a confirmation message.
func redirect(c *fiber.Ctx, path, flash string) error {
	if flash != "" {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		path += sep + "ok=" + flash
	}
	return c.Redirect(path, http.StatusSeeOther)
}

// flashes are the confirmations shown after a redirect, by their code in
// the "ok" parameter (a code, so that a link cannot make the site say
// anything).
var flashes = map[string]string{
	"confirme":         "Votre adresse électronique est confirmée. Vous pouvez vous connecter.",
	"mot-de-passe":     "Votre mot de passe est changé.",
	"deconnecte":       "Vous êtes déconnecté.",
	"partout":          "Toutes vos sessions sont fermées, sur tous vos appareils.",
	"profil":           "Votre profil est enregistré.",
	"structure":        "La structure est enregistrée.",
	"cree":             "La structure est créée. Vous en êtes l’administrateur.",
	"demande":          "Votre demande est envoyée aux administrateurs de la structure.",
	"demande-annule":   "Votre demande est annulée.",
	"invitation":       "L’invitation est envoyée.",
	"invitation-ann":   "L’invitation est annulée.",
	"membre":           "La liste des membres est à jour.",
	"quitte":           "Vous avez quitté la structure.",
	"rejoint":          "Vous avez rejoint la structure.",
	"antenne":          "L’antenne est créée.",
	"brouillon":        "Le brouillon est enregistré. Complétez-le puis publiez-le.",
	"enregistre":       "Le service est enregistré.",
	"publie":           "Le service est publié : il apparaît dans la recherche.",
	"archive":          "Le service est archivé : il n’apparaît plus dans la recherche.",
	"suspendu":         "Le service est suspendu.",
	"repris":           "Le service apparaît de nouveau dans la recherche.",
	"copie":            "Voici la copie du service, en brouillon.",
	"a-jour":           "Merci : le service est marqué comme à jour.",
	"tous-a-jour":      "Merci : les services choisis sont marqués comme à jour.",
	"decision":         "Votre décision est enregistrée et les administrateurs de la structure en sont informés.",
	"gestionnaire":     "Les gestionnaires de territoire sont à jour.",
	"renvoi":           "Le courriel repart au prochain passage de la file d’envoi.",
	"rappels":          "Vos choix de rappels sont enregistrés.",
	"alerte":           "Votre alerte est créée : vous recevrez les nouveautés de cette recherche, s’il y en a.",
	"alerte-modifiee":  "La fréquence de l’alerte est enregistrée.",
	"alerte-supprimee": "L’alerte est supprimée.",
}
