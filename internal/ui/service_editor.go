package ui

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// editorPage is the service editor: every field of the model, grouped as a
// professional thinks of a service.
type editorPage struct {
	Layout
	New           bool
	ServiceID     string
	Structure     *directory.Structure
	StructureURL  string
	Action        string // where the form posts
	PublishAction string // "" when the service is published already
	PublishLabel  string
	Version       int64 // the version the form was filled from
	Errors        []Link
	Missing       []Link // what publishing needs, linked to its field
	PublishFailed bool   // publishing was asked and refused for Missing
	Conflict      *conflictView
	Sections      []editorSection
	Status        *statusView
}

type editorSection struct {
	ID, Title, Intro string
	Items            []editorItem
}

// editorItem is one thing of a section: a field, a group of choices, or
// one of the editor's special blocks.
type editorItem struct {
	Input   *input
	Group   *choiceGroup
	Zones   *zonePicker
	Hours   *hoursBlock   // the preview of the opening hours
	Week    *hoursGrid    // the weekly grid that writes them
	Preview *previewBlock // the preview of the description
}

// hoursBlock shows the opening hours as the public page will; scripts
// update it as they are typed.
type hoursBlock struct {
	View *hoursView
}

// previewBlock shows the description as the public page will.
type previewBlock struct {
	HTML  template.HTML
	Shown bool // asked for with the "Aperçu" button
}

// zonePicker is the zone d'intervention: the zones chosen, as checkboxes,
// and a field to add one (a combobox with scripts).
type zonePicker struct {
	Chosen []choice
	Add    input
	Error  string
	Other  *otherValue
}

// editorOptions say what the page shows beyond the form.
type editorOptions struct {
	err      error
	conflict *conflictView
	others   map[string]*otherValue
	preview  bool
	publish  bool // publishing was asked
}

// editorPage builds the editor for svc (nil for a new service of st) with
// the form values v.
func (s *Server) editorPage(c *fiber.Ctx, st *directory.Structure, svc *directory.Service, v url.Values, o editorOptions) editorPage {
	v = cloneValues(v)
	normalizeHours(v)
	f := newFields(v, o.err)
	f.others = o.others
	p := editorPage{Structure: st, New: svc == nil, Conflict: o.conflict}
	title := "Nouveau service"
	if svc != nil {
		title = "Modifier « " + svc.Name + " »"
		p.ServiceID, p.Version = svc.ID, svc.Version
		p.Action = "/espace/services/" + svc.ID
		if svc.Status != directory.StatusPublished {
			p.PublishAction, p.PublishLabel = p.Action+"/publier", "Enregistrer et publier"
		}
		p.Status = s.statusView(svc)
	} else {
		p.Action = "/espace/structures/" + st.ID + "/services"
	}
	if read, err := strconv.ParseInt(v.Get("version_lue"), 10, 64); err == nil {
		p.Version = read // a form shown again keeps the version it was filled from
	}
	p.Layout = s.espaceLayout(c, title)
	p.StructureURL = "/espace/structures/" + st.ID
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: "/espace"}, Link{Label: st.Name, URL: p.StructureURL}, Link{Label: title})
	zones := s.zonePicker(f, o.others["zone_eligibilite"] != nil)
	p.Sections = s.editorSections(f, &zones, &hoursBlock{View: newHoursView(v.Get("horaires_accueil"), s.now())},
		&previewBlock{HTML: s.md.HTML(v.Get("description")), Shown: o.preview})
	p.Errors = errorSummary(editorFields, f.errs)
	draft := &directory.Service{}
	_ = s.applyService(draft, v)
	for _, m := range draft.MissingForPublication() {
		p.Missing = append(p.Missing, Link{Label: m, URL: "#" + missingField(m)})
	}
	p.PublishFailed = o.publish && len(p.Missing) > 0
	return p
}

func (s *Server) editorSections(f fields, zones *zonePicker, hoursPreview *hoursBlock, preview *previewBlock) []editorSection {
	item := func(in input) editorItem { return editorItem{Input: &in} }
	group := func(g choiceGroup) editorItem { return editorItem{Group: &g} }

	name := f.text("nom", directory.ServiceFields.Label("nom"), "Le nom que les professionnels chercheront, par exemple « Garage solidaire ». Entre 3 et 150 caractères.")
	name.Required = true
	desc := f.textarea("description", directory.ServiceFields.Label("description"),
		"Ce que le service apporte et comment il se déroule, en quelques phrases : de 300 à 1 500 caractères se lisent bien (10 000 au plus). Mise en forme Markdown : **gras**, listes avec « - », liens [texte](https://…).", 10)
	desc.Preview = "description"
	source := f.input("url", "lien_source", directory.ServiceFields.Label("lien_source"), "Facultatif. Format attendu : https://www.exemple.fr/page")
	them := choiceGroup{ID: fieldID("thematiques"), Name: "thematiques", Legend: directory.ServiceFields.Label("thematiques"),
		Hint: "Les besoins auxquels le service répond : ce sont les filtres de la recherche.", Error: f.errs["thematiques"], Other: f.others["thematiques"]}
	for _, cat := range directory.ThematiqueCategories.Terms() {
		var terms []directory.Term
		for _, b := range directory.Besoins(cat.Value) {
			terms = append(terms, directory.Term{Value: b, Label: directory.Thematiques.Label(b)})
		}
		sec := choiceSection{Label: cat.Label, Choices: f.choices("thematiques", terms, false)}
		for _, ch := range sec.Choices {
			if ch.Checked {
				sec.Checked++
			}
		}
		sec.Open = sec.Checked > 0
		them.Sections = append(them.Sections, sec)
	}

	phoneIn := f.input("tel", "telephone", directory.ServiceFields.Label("telephone"), "Par exemple 05 49 12 34 56.")
	mail := f.input("email", "courriel", directory.ServiceFields.Label("courriel"), "Format attendu : nom@domaine.fr")
	link := f.input("url", "lien_mobilisation", directory.ServiceFields.Label("lien_mobilisation"), "La page où demander le service ou prendre rendez-vous. Format attendu : https://…")
	postal := f.text("code_postal", directory.ServiceFields.Label("code_postal"), "5 chiffres.")
	postal.Inputmode, postal.Autocomplete = "numeric", "off"
	commune := f.text("commune", directory.ServiceFields.Label("commune"), "Commencez à taper le nom et choisissez la commune : le service sera placé sur la carte à son centre.")
	commune.Combobox, commune.Autocomplete, commune.Other = "commune", "off", f.others["commune"]
	if commune.Error == "" {
		commune.Error = f.errs["code_insee"]
	}
	inseeCode := input{Type: "hidden", Name: "code_insee", Value: f.values.Get("code_insee")}
	weeks := f.text("nombre_semaines", directory.ServiceFields.Label("nombre_semaines"), "Pour une formation ou un accompagnement de durée fixe.")
	weeks.Inputmode = "numeric"
	weekly := f.text("volume_horaire_hebdomadaire", directory.ServiceFields.Label("volume_horaire_hebdomadaire"), "Par exemple 17,5.")
	weekly.Inputmode = "decimal"
	freq := f.input("select", "frequence_maj", directory.ServiceFields.Label("frequence_maj"), "Repère vous demandera de confirmer que la fiche est à jour à ce rythme.")
	freq.Options = []choice{{Value: "", Label: "Tous les six mois (par défaut)", Checked: freq.Value == ""}}
	for _, fr := range directory.UpdateFrequencies {
		if fr != directory.FrequencyHalfYearly {
			freq.Options = append(freq.Options, choice{Value: string(fr), Label: fr.Label(), Checked: freq.Value == string(fr)})
		}
	}

	return []editorSection{
		{ID: "presentation", Title: "Présentation", Items: []editorItem{
			item(name),
			item(f.selectFrom("type", directory.ServiceFields.Label("type"), "", "Choisir un type", directory.ServiceTypes)),
			group(them),
			item(desc), {Preview: preview},
			item(source),
		}},
		{ID: "pour-qui", Title: "Pour qui", Items: []editorItem{
			group(f.checkboxes("publics", directory.ServiceFields.Label("publics"), "« Tous publics » ne se combine pas avec d’autres publics.", directory.Publics)),
			item(f.textarea("publics_precisions", directory.ServiceFields.Label("publics_precisions"), "Par exemple : jeunes de 16 à 25 ans.", 3)),
			item(f.textarea("conditions_acces", directory.ServiceFields.Label("conditions_acces"), "Ce qu’il faut pour en bénéficier : être inscrit à France Travail, habiter la commune…", 3)),
			group(f.radios("frais", directory.ServiceFields.Label("frais"), "", directory.Fees)),
			item(f.textarea("frais_precisions", directory.ServiceFields.Label("frais_precisions"), "Par exemple : 10 € par mois, gratuit pour les bénéficiaires du RSA.", 2)),
		}},
		{ID: "mobiliser", Title: "Comment mobiliser", Intro: "Au moins un moyen de joindre le service est nécessaire pour le publier : téléphone, courriel, lien ou adresse d’accueil.", Items: []editorItem{
			group(f.checkboxes("modes_mobilisation", directory.ServiceFields.Label("modes_mobilisation"), "", directory.MobilisationModes)),
			group(f.checkboxes("mobilisable_par", directory.ServiceFields.Label("mobilisable_par"), "", directory.Mobilisers)),
			item(link), item(phoneIn), item(mail),
			item(f.text("contact_nom_prenom", directory.ServiceFields.Label("contact_nom_prenom"), "Facultatif.")),
			item(f.textarea("mobilisation_precisions", directory.ServiceFields.Label("mobilisation_precisions"), "Par exemple : sur prescription d’un conseiller, prendre rendez-vous la veille.", 3)),
		}},
		{ID: "ou-et-quand", Title: "Où et quand", Items: []editorItem{
			group(f.checkboxes("modes_accueil", directory.ServiceFields.Label("modes_accueil"), "", directory.ReceptionModes)),
			item(f.text("adresse", directory.ServiceFields.Label("adresse"), "Numéro et voie, par exemple 12 rue de la Gare.")),
			item(f.text("complement_adresse", directory.ServiceFields.Label("complement_adresse"), "Bâtiment, étage…")),
			item(postal), item(commune), item(inseeCode),
			{Week: hoursGridOf(f)}, {Hours: hoursPreview},
			item(weeks), item(weekly), item(freq),
		}},
		{ID: "zone", Title: "Zone desservie", Intro: "Les territoires dont les habitants peuvent bénéficier du service : c’est là que la recherche le propose. Pour un nouveau service, la commune de la structure est proposée : ajoutez ou retirez des zones.", Items: []editorItem{
			{Zones: zones},
		}},
	}
}

// missingField is the field to fill for an item of
// MissingForPublication, by its first words.
func missingField(item string) string {
	for _, m := range []struct{ prefix, field string }{
		{"Le nom", "nom"}, {"La description", "description"}, {"Au moins une thématique", "thematiques"},
		{"Le mode d’accueil", "modes_accueil"}, {"La zone", "zone_eligibilite"}, {"L’adresse", "adresse"},
		{"Un moyen de mobiliser", "telephone"},
	} {
		if strings.HasPrefix(item, m.prefix) {
			return fieldID(m.field)
		}
	}
	return "a-completer"
}

// zonePicker lists the zones of the form as checked boxes, plus on a
// conflict the other version's zones, unchecked, to take them in one click.
func (s *Server) zonePicker(f fields, conflict bool) zonePicker {
	zp := zonePicker{Error: f.errs["zone_eligibilite"], Other: f.others["zone_eligibilite"]}
	keys := directory.Distinct(f.values["zone_eligibilite"])
	all := slices.Clone(keys)
	if conflict && zp.Other != nil {
		for _, k := range splitRaw(zp.Other.Raw) {
			if !slices.Contains(all, k) {
				all = append(all, k)
			}
		}
	}
	for i, k := range all {
		label := k
		if z, ok := directory.ParseZoneKey(k); ok {
			label = s.Gazetteer.ZoneLabel(z)
			if kind := zoneKinds[z.Kind]; kind != "" && z.Kind != directory.ZoneFrance {
				label = kind + " : " + label
			}
		}
		zp.Chosen = append(zp.Chosen, choice{ID: fieldID("zone_eligibilite") + "-" + strconv.Itoa(i), Name: "zone_eligibilite",
			Value: k, Label: label, Checked: slices.Contains(keys, k)})
	}
	zp.Add = f.text("zone_ajout", editorFields.Label("zone_ajout"), "Une commune, une intercommunalité, un département, une région, ou « France ».")
	zp.Add.Combobox, zp.Add.Autocomplete = "zone", "off"
	return zp
}

// statusView is the state of a service as the editor's side panel shows it.
type statusView struct {
	Status       directory.Status
	Label        string
	Badge        string // DSFR badge modifier
	Suspended    string // "jusqu’au 15 avril 2026 inclus"
	Stale        bool
	Updated      string
	Frequency    string
	PublicURL    string
	SuspendInput input
}

func (s *Server) statusView(svc *directory.Service) *statusView {
	now := s.now()
	v := &statusView{Status: svc.Status, Label: svc.Status.Label(), Updated: directory.FrenchDate(svc.UpdatedAt),
		Frequency: svc.UpdateFrequency.Label(), Stale: svc.Status == directory.StatusPublished && svc.Stale(now)}
	switch svc.Status {
	case directory.StatusPublished:
		v.Badge = "success"
	case directory.StatusDraft:
		v.Badge = "info"
	}
	if svc.SuspendedUntil != nil && now.Before(*svc.SuspendedUntil) {
		v.Suspended = "jusqu’au " + directory.FrenchDate(svc.SuspendedUntil.Add(-time.Minute)) + " inclus"
		v.Label, v.Badge = "Suspendu", "warning"
	}
	if svc.Visible(now) {
		v.PublicURL = serviceURL(svc.ID, svc.Name)
	}
	v.SuspendInput = input{ID: "champ-jusqu-au", Name: "jusqu_au", Type: "date", Label: "Suspendre jusqu’au (inclus)",
		Hint: "Le service disparaît de la recherche jusqu’à cette date."}
	return v
}
