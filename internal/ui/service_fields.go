package ui

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// The fields of the service editor, by their data·inclusion names: the
// only ones read from a posted form. Status, version, structure, source and
// dates are never read from it, whatever their spelling.
var serviceFields = []string{
	"nom", "type", "thematiques", "description", "lien_source",
	"publics", "publics_precisions", "conditions_acces", "frais", "frais_precisions",
	"modes_mobilisation", "mobilisable_par", "lien_mobilisation", "telephone", "courriel", "contact_nom_prenom", "mobilisation_precisions",
	"modes_accueil", "adresse", "complement_adresse", "code_postal", "commune", "horaires_accueil", "nombre_semaines", "volume_horaire_hebdomadaire", "frequence_maj",
	"zone_eligibilite",
}

var serviceLabels = map[string]string{
	"nom": "Nom du service", "type": "Type de service", "thematiques": "Thématiques", "description": "Description",
	"lien_source": "Page du service sur votre site", "publics": "Publics", "publics_precisions": "Précisions sur les publics",
	"conditions_acces": "Conditions d’accès", "frais": "Frais", "frais_precisions": "Précisions sur les frais",
	"modes_mobilisation": "Comment mobiliser le service", "mobilisable_par": "Qui peut le mobiliser",
	"lien_mobilisation": "Lien de mobilisation", "telephone": "Téléphone", "courriel": "Courriel",
	"contact_nom_prenom": "Personne à contacter", "mobilisation_precisions": "Précisions sur la mobilisation",
	"modes_accueil": "Modes d’accueil", "adresse": "Adresse", "complement_adresse": "Complément d’adresse",
	"code_postal": "Code postal", "commune": "Commune", "code_insee": "Commune", "horaires_accueil": "Horaires d’accueil",
	"nombre_semaines": "Durée en semaines", "volume_horaire_hebdomadaire": "Heures par semaine",
	"frequence_maj": "Fréquence de mise à jour", "zone_eligibilite": "Zone d’intervention", "zone_ajout": "Ajouter une zone",
	"longitude": "Adresse", "latitude": "Adresse", "statut": "Statut",
}

// listFields hold several values.
var listFields = map[string]bool{"thematiques": true, "publics": true, "modes_mobilisation": true,
	"mobilisable_par": true, "modes_accueil": true, "zone_eligibilite": true, "reseaux_porteurs": true}

// longFields are typed in text areas.
var longFields = map[string]bool{"description": true, "publics_precisions": true, "conditions_acces": true,
	"frais_precisions": true, "mobilisation_precisions": true}

// vocabularyOf is the vocabulary of a field whose values are codes.
func vocabularyOf(name string) *directory.Vocabulary {
	switch name {
	case "type":
		return directory.ServiceTypes
	case "thematiques":
		return directory.Thematiques
	case "frais":
		return directory.Fees
	case "publics":
		return directory.Publics
	case "modes_mobilisation":
		return directory.MobilisationModes
	case "mobilisable_par":
		return directory.Mobilisers
	case "modes_accueil":
		return directory.ReceptionModes
	}
	return nil
}

// serviceValues is the editor's form filled from a service.
func serviceValues(svc *directory.Service) url.Values {
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
	set("telephone", phone(svc.Phone))
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

// applyService copies the editor's form onto svc and checks it: the
// data·inclusion checks, plus what only the site knows (communes and
// territories that exist). Errors are keyed by form field.
func (s *Server) applyService(svc *directory.Service, v url.Values) error {
	fe := directory.FieldErrors{}
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	long := func(k string) string { return strings.TrimSpace(strings.ReplaceAll(v.Get(k), "\r\n", "\n")) }
	svc.Name = g("nom")
	svc.Type = g("type")
	svc.Thematiques = uniq(v["thematiques"])
	svc.Description = long("description")
	svc.SourceLink = g("lien_source")
	svc.Publics = uniq(v["publics"])
	svc.PublicsDetails = long("publics_precisions")
	svc.AccessConditions = long("conditions_acces")
	svc.Fees = g("frais")
	svc.FeesDetails = long("frais_precisions")
	svc.MobilisationModes = uniq(v["modes_mobilisation"])
	svc.MobilisableBy = uniq(v["mobilisable_par"])
	svc.MobilisationLink = g("lien_mobilisation")
	svc.Phone = g("telephone")
	svc.Email = strings.ToLower(g("courriel"))
	svc.ContactName = g("contact_nom_prenom")
	svc.MobilisationDetails = long("mobilisation_precisions")
	svc.ReceptionModes = uniq(v["modes_accueil"])
	svc.Address = g("adresse")
	svc.AddressComplement = g("complement_adresse")
	svc.OpeningHours = g("horaires_accueil")
	svc.WeeksCount, svc.WeeklyHours = nil, nil
	if x := g("nombre_semaines"); x != "" {
		if n, err := strconv.Atoi(x); err != nil {
			fe.Add("nombre_semaines", "Indiquez un nombre entier de semaines, par exemple 12.")
		} else {
			svc.WeeksCount = &n
		}
	}
	if x := g("volume_horaire_hebdomadaire"); x != "" {
		if h, err := strconv.ParseFloat(strings.Replace(x, ",", ".", 1), 64); err != nil || math.IsInf(h, 0) {
			fe.Add("volume_horaire_hebdomadaire", "Indiquez un nombre d’heures, par exemple 17,5.")
		} else {
			svc.WeeklyHours = &h
		}
	}
	svc.UpdateFrequency = directory.UpdateFrequency(g("frequence_maj"))
	s.applyPlace(svc, v, fe)
	svc.EligibilityZone = s.applyZones(v, fe)
	if err := svc.Validate(); err != nil {
		for k, m := range err.(*directory.Error).Fields {
			switch k {
			case "code_insee", "longitude", "latitude":
				k = "commune"
			}
			fe.Add(k, m)
		}
	}
	return fe.Err()
}

// applyPlace resolves the commune typed or chosen to its code, and puts the
// service at the commune's centre when the commune changes: no address
// service is needed to place it on the map.
func (s *Server) applyPlace(svc *directory.Service, v url.Values, fe directory.FieldErrors) {
	prev := svc.CodeInsee
	code, name, cp := strings.TrimSpace(v.Get("code_insee")), stripDepartement(v.Get("commune")), strings.TrimSpace(v.Get("code_postal"))
	var c *directory.Commune
	if cm, ok := s.Gazetteer.Commune(code); ok && (name == "" || geo.Fold(name) == geo.Fold(cm.Name)) {
		c = cm
	}
	if c == nil && (name != "" || cp != "") {
		var found []*directory.Commune
		if name != "" {
			found = s.Gazetteer.Resolve(name)
			if cp != "" {
				found = slices.DeleteFunc(slices.Clone(found), func(c *directory.Commune) bool { return !slices.Contains(c.PostalCodes, cp) })
			}
		} else {
			found = s.Gazetteer.Resolve(cp)
		}
		switch {
		case len(found) == 1:
			c = found[0]
		case len(found) == 0 && name != "":
			fe.Add("commune", fmt.Sprintf("Aucune commune ne s’appelle « %s »%s : choisissez-la dans la liste proposée.", name, inPostalCode(cp)))
		case name != "":
			fe.Add("commune", fmt.Sprintf("Plusieurs communes s’appellent « %s » : indiquez aussi le code postal.", name))
		case len(found) > 1:
			fe.Add("commune", "Ce code postal dessert plusieurs communes : indiquez la commune.")
		}
	}
	if c == nil {
		svc.CodeInsee, svc.CommuneName, svc.PostalCode = "", "", cp
		svc.Latitude, svc.Longitude = nil, nil
		return
	}
	svc.CodeInsee, svc.CommuneName = c.Code, c.Name
	switch {
	case cp == "" && len(c.PostalCodes) > 0:
		cp = c.PostalCodes[0]
	case cp != "" && !slices.Contains(c.PostalCodes, cp):
		fe.Add("code_postal", fmt.Sprintf("Ce code postal n’est pas celui de %s (%s).", c.Name, strings.Join(c.PostalCodes, ", ")))
	}
	svc.PostalCode = cp
	if (c.Code != prev || svc.Latitude == nil || svc.Longitude == nil) && c.Center != nil {
		lon, lat := c.Center.X(), c.Center.Y()
		svc.Longitude, svc.Latitude = &lon, &lat
	}
}

func inPostalCode(cp string) string {
	if cp == "" {
		return ""
	}
	return " au code postal " + cp
}

// stripDepartement drops the " (86)" the commune suggestions add.
func stripDepartement(name string) string {
	name = strings.TrimSpace(name)
	if i := strings.LastIndex(name, " ("); i > 0 && strings.HasSuffix(name, ")") {
		return strings.TrimSpace(name[:i])
	}
	return name
}

// applyZones reads the zones chosen, plus the one typed in "zone_ajout"
// when a script did not turn it into a choice.
func (s *Server) applyZones(v url.Values, fe directory.FieldErrors) []directory.Zone {
	var out []directory.Zone
	keys := slices.Clone(v["zone_eligibilite"])
	if typed := strings.TrimSpace(v.Get("zone_ajout")); typed != "" {
		found := s.resolveTerritory(typed)
		switch len(found) {
		case 0:
			fe.Add("zone_ajout", fmt.Sprintf("Aucun territoire ne s’appelle « %s » : indiquez une commune, une intercommunalité, un département, une région ou « France ».", typed))
		case 1:
			keys = append(keys, found[0].Key)
		default:
			names := make([]string, len(found))
			for i, t := range found {
				names[i] = t.Kind + " " + t.Label
			}
			fe.Add("zone_ajout", fmt.Sprintf("Plusieurs territoires s’appellent « %s » (%s) : précisez, par exemple avec le code.", typed, strings.Join(names, ", ")))
		}
	}
	for _, k := range uniq(keys) {
		z, ok := directory.ParseZoneKey(k)
		if !ok || !s.zoneExists(z) {
			fe.Add("zone_eligibilite", fmt.Sprintf("Zone inconnue : « %s ».", k))
			continue
		}
		out = append(out, z)
	}
	return out
}

// uniq drops empty and repeated values, keeping the order.
func uniq(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// canonical is a field's value in a form comparable across versions: lists
// as sets, phone numbers in E.164, numbers parsed, the place by its code.
func canonical(name string, v url.Values) string {
	raw := strings.TrimSpace(v.Get(name))
	switch {
	case listFields[name]:
		xs := uniq(v[name])
		slices.Sort(xs)
		return strings.Join(xs, "\n")
	case longFields[name]:
		return strings.TrimSpace(strings.ReplaceAll(v.Get(name), "\r\n", "\n"))
	case name == "telephone":
		if n, err := directory.NormalizePhone(raw); err == nil {
			return n
		}
	case name == "courriel":
		return strings.ToLower(raw)
	case name == "nombre_semaines":
		if n, err := strconv.Atoi(raw); err == nil {
			return strconv.Itoa(n)
		}
	case name == "volume_horaire_hebdomadaire":
		if h, err := strconv.ParseFloat(strings.Replace(raw, ",", ".", 1), 64); err == nil {
			return strconv.FormatFloat(h, 'f', -1, 64)
		}
	case name == "commune":
		if code := strings.TrimSpace(v.Get("code_insee")); code != "" {
			return code
		}
		return geo.Fold(stripDepartement(raw))
	}
	return raw
}

// display is a field's value as people read it, for conflicts and history.
func (s *Server) display(name string, v url.Values) string {
	if name == "zone_eligibilite" {
		var out []string
		for _, k := range v[name] {
			if z, ok := directory.ParseZoneKey(k); ok {
				out = append(out, s.zoneLabel(z))
			}
		}
		return strings.Join(out, ", ")
	}
	if voc := vocabularyOf(name); voc != nil {
		return strings.Join(labels(voc, v[name]), ", ")
	}
	if name == "frequence_maj" {
		return directory.UpdateFrequency(v.Get(name)).Label()
	}
	return strings.TrimSpace(v.Get(name))
}
