package directory

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Field is a field of a record's form, named as in data·inclusion. One
// table per record (ServiceFields, StructureFields) drives the editor's
// labels and error summary, the values a form is filled with, the
// comparison of two versions (history, three-way merge) and their display.
type Field struct {
	Name  string
	Label string
	List  bool        // several values
	Long  bool        // typed in a text area: line breaks kept
	Vocab *Vocabulary // the values are codes of this vocabulary
}

// Fields is the form of one kind of record.
type Fields []Field

// ServiceFields are the fields of the service editor: the only ones read
// from a posted form. Status, version, structure, source and dates are
// never read from it, whatever their spelling.
var ServiceFields = Fields{
	{Name: "nom", Label: "Nom du service"},
	{Name: "type", Label: "Type de service", Vocab: ServiceTypes},
	{Name: "thematiques", Label: "Thématiques", List: true, Vocab: Thematiques},
	{Name: "description", Label: "Description", Long: true},
	{Name: "lien_source", Label: "Page du service sur votre site"},
	{Name: "publics", Label: "Publics", List: true, Vocab: Publics},
	{Name: "publics_precisions", Label: "Précisions sur les publics", Long: true},
	{Name: "conditions_acces", Label: "Conditions d’accès", Long: true},
	{Name: "frais", Label: "Frais", Vocab: Fees},
	{Name: "frais_precisions", Label: "Précisions sur les frais", Long: true},
	{Name: "modes_mobilisation", Label: "Comment mobiliser le service", List: true, Vocab: MobilisationModes},
	{Name: "mobilisable_par", Label: "Qui peut le mobiliser", List: true, Vocab: Mobilisers},
	{Name: "lien_mobilisation", Label: "Lien de mobilisation"},
	{Name: "telephone", Label: "Téléphone"},
	{Name: "courriel", Label: "Courriel"},
	{Name: "contact_nom_prenom", Label: "Personne à contacter"},
	{Name: "mobilisation_precisions", Label: "Précisions sur la mobilisation", Long: true},
	{Name: "modes_accueil", Label: "Modes d’accueil", List: true, Vocab: ReceptionModes},
	{Name: "adresse", Label: "Adresse"},
	{Name: "complement_adresse", Label: "Complément d’adresse"},
	{Name: "code_postal", Label: "Code postal"},
	{Name: "commune", Label: "Commune"},
	{Name: "horaires_accueil", Label: "Horaires d’accueil"},
	{Name: "nombre_semaines", Label: "Durée en semaines"},
	{Name: "volume_horaire_hebdomadaire", Label: "Heures par semaine"},
	{Name: "frequence_maj", Label: "Fréquence de mise à jour"},
	{Name: "zone_eligibilite", Label: "Zone desservie", List: true},
}

// StructureFields are the fields of the structure form.
var StructureFields = Fields{
	{Name: "nom", Label: "Nom"},
	{Name: "siret", Label: "SIRET"},
	{Name: "description", Label: "Description", Long: true},
	{Name: "adresse", Label: "Adresse"},
	{Name: "complement_adresse", Label: "Complément d’adresse"},
	{Name: "code_postal", Label: "Code postal"},
	{Name: "commune", Label: "Commune"},
	{Name: "telephone", Label: "Téléphone"},
	{Name: "courriel", Label: "Courriel"},
	{Name: "site_web", Label: "Site internet"},
	{Name: "accessibilite_lieu", Label: "Accessibilité du lieu"},
	{Name: "horaires_accueil", Label: "Horaires d’accueil"},
	{Name: "reseaux_porteurs", Label: "Réseaux", List: true, Vocab: Networks},
}

// errorFields are the names validation errors use beside the fields', and
// the field that shows them.
var errorFields = map[string]string{"code_insee": "commune", "longitude": "commune", "latitude": "commune"}

// Field returns the field of name; an error key (code_insee) gives the
// field that shows it.
func (fs Fields) Field(name string) (Field, bool) {
	if shown, ok := errorFields[name]; ok {
		name = shown
	}
	for _, f := range fs {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// Label is the label of a field, or of the field an error key belongs to.
func (fs Fields) Label(name string) string {
	f, _ := fs.Field(name)
	return f.Label
}

// Names are the names of the fields, in order.
func (fs Fields) Names() []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

// Canonical is a field's value in a form comparable across versions: lists
// as sets, phone numbers in E.164, numbers parsed, the commune by its code.
func (f Field) Canonical(v url.Values) string {
	raw := strings.TrimSpace(v.Get(f.Name))
	switch {
	case f.List:
		xs := Distinct(v[f.Name])
		slices.Sort(xs)
		return strings.Join(xs, "\n")
	case f.Long:
		return strings.TrimSpace(strings.ReplaceAll(v.Get(f.Name), "\r\n", "\n"))
	}
	switch f.Name {
	case "telephone":
		if n, err := NormalizePhone(raw); err == nil {
			return n
		}
	case "courriel":
		return strings.ToLower(raw)
	case "nombre_semaines":
		if n, err := strconv.Atoi(raw); err == nil {
			return strconv.Itoa(n)
		}
	case "volume_horaire_hebdomadaire":
		if h, err := strconv.ParseFloat(strings.Replace(raw, ",", ".", 1), 64); err == nil {
			return strconv.FormatFloat(h, 'f', -1, 64)
		}
	case "commune":
		if code := strings.TrimSpace(v.Get("code_insee")); code != "" {
			return code
		}
		return Fold(StripDepartement(raw))
	}
	return raw
}

// Display is a field's value as people read it, for conflicts and history;
// zoneLabel names the zones of eligibility.
func (f Field) Display(v url.Values, zoneLabel func(Zone) string) string {
	switch {
	case f.Name == "zone_eligibilite":
		var out []string
		for _, k := range v[f.Name] {
			if z, ok := ParseZoneKey(k); ok {
				out = append(out, zoneLabel(z))
			}
		}
		return strings.Join(out, ", ")
	case f.Vocab != nil:
		vals := v[f.Name]
		out := make([]string, len(vals))
		for i, x := range vals {
			out[i] = f.Vocab.Label(x)
		}
		return strings.Join(out, ", ")
	case f.Name == "frequence_maj":
		return UpdateFrequency(v.Get(f.Name)).Label()
	}
	return strings.TrimSpace(v.Get(f.Name))
}

// MaxShown is where long values are cut in the history.
const MaxShown = 300

// Changes lists the fields whose values differ between two versions, as
// people read them.
func (fs Fields) Changes(before, after url.Values, zoneLabel func(Zone) string) []FieldChange {
	var out []FieldChange
	for _, f := range fs {
		if f.Canonical(before) != f.Canonical(after) {
			out = append(out, FieldChange{Field: f.Label, Before: Shorten(f.Display(before, zoneLabel), MaxShown),
				After: Shorten(f.Display(after, zoneLabel), MaxShown)})
		}
	}
	return out
}

// Merge is the three-way merge of a form with the version saved meanwhile.
type Merge struct {
	Values    url.Values // the form to show again: each field from the side that changed it, the editor's where both did
	Conflicts []string   // fields changed on both sides (or anywhere they differ, without the base)
	Taken     []string   // fields changed only on the other side, taken into the form
}

// Merge combines mine (a form filled from base) with theirs (the version
// saved since). A field changed on one side only takes that side's value; a
// field changed on both keeps mine and is a conflict. Without base (nil),
// every difference is a conflict.
func (fs Fields) Merge(mine, theirs, base url.Values) Merge {
	m := Merge{Values: url.Values{}}
	for _, f := range fs {
		a, b := f.Canonical(mine), f.Canonical(theirs)
		src := mine
		if a != b {
			switch {
			case base == nil:
				m.Conflicts = append(m.Conflicts, f.Name)
			case b == f.Canonical(base): // only mine changed it
			case a == f.Canonical(base): // only theirs did
				src = theirs
				m.Taken = append(m.Taken, f.Name)
			default:
				m.Conflicts = append(m.Conflicts, f.Name)
			}
		}
		copyValues(m.Values, src, f.Name)
		if f.Name == "commune" {
			copyValues(m.Values, src, "code_insee")
		}
	}
	return m
}

func copyValues(dst, src url.Values, name string) {
	if vals, ok := src[name]; ok {
		dst[name] = slices.Clone(vals)
	} else {
		delete(dst, name)
	}
}

// Distinct drops empty and repeated values, trimmed, keeping the order.
func Distinct(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// StripDepartement drops the " (86)" the commune suggestions add.
func StripDepartement(name string) string {
	name = strings.TrimSpace(name)
	if i := strings.LastIndex(name, " ("); i > 0 && strings.HasSuffix(name, ")") {
		return strings.TrimSpace(name[:i])
	}
	return name
}

// NationalPhone writes a French E.164 number as people dial it: "05 49 12 34 56".
func NationalPhone(e164 string) string {
	if len(e164) == 12 && strings.HasPrefix(e164, "+33") {
		d := "0" + e164[3:]
		return d[0:2] + " " + d[2:4] + " " + d[4:6] + " " + d[6:8] + " " + d[8:10]
	}
	return e164
}

// ServiceValues is the service editor's form filled from a service.
func ServiceValues(svc *Service) url.Values {
	v := url.Values{}
	set := func(k, x string) {
		if x != "" {
			v.Set(k, x)
		}
	}
	list := func(k string, xs []string) {
		if len(xs) > 0 {
			v[k] = slices.Clone(xs)
		}
	}
	set("nom", svc.Name)
	set("type", svc.Type)
	list("thematiques", svc.Thematiques)
	set("description", svc.Description)
	set("lien_source", svc.SourceLink)
	list("publics", svc.Publics)
	set("publics_precisions", svc.PublicsDetails)
	set("conditions_acces", svc.AccessConditions)
	set("frais", svc.Fees)
	set("frais_precisions", svc.FeesDetails)
	list("modes_mobilisation", svc.MobilisationModes)
	list("mobilisable_par", svc.MobilisableBy)
	set("lien_mobilisation", svc.MobilisationLink)
	set("telephone", NationalPhone(svc.Phone))
	set("courriel", svc.Email)
	set("contact_nom_prenom", svc.ContactName)
	set("mobilisation_precisions", svc.MobilisationDetails)
	list("modes_accueil", svc.ReceptionModes)
	set("adresse", svc.Address)
	set("complement_adresse", svc.AddressComplement)
	set("code_postal", svc.PostalCode)
	set("commune", svc.CommuneName)
	set("code_insee", svc.CodeInsee)
	set("horaires_accueil", svc.OpeningHours)
	if svc.WeeksCount != nil {
		set("nombre_semaines", strconv.Itoa(*svc.WeeksCount))
	}
	if svc.WeeklyHours != nil {
		set("volume_horaire_hebdomadaire", strings.Replace(strconv.FormatFloat(*svc.WeeklyHours, 'f', -1, 64), ".", ",", 1))
	}
	set("frequence_maj", string(svc.UpdateFrequency))
	for _, z := range svc.EligibilityZone {
		v.Add("zone_eligibilite", z.Key())
	}
	return v
}

// StructureValues is the structure form filled from a structure.
func StructureValues(st *Structure) url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"nom": st.Name, "siret": st.SIRET, "description": st.Description, "adresse": st.Address,
		"complement_adresse": st.AddressComplement, "code_postal": st.PostalCode, "commune": st.CommuneName, "code_insee": st.CodeInsee,
		"telephone": NationalPhone(st.Phone), "courriel": st.Email, "site_web": st.Website, "accessibilite_lieu": st.AccessibilityLink,
		"horaires_accueil": st.OpeningHours} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if len(st.Networks) > 0 {
		v["reseaux_porteurs"] = slices.Clone(st.Networks)
	}
	return v
}
