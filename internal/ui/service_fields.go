package ui

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/repere-spie/repere/internal/catalog"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// editorFields are the service's fields, plus the zone typed without
// scripts, in the order the editor shows them.
var editorFields = append(slices.Clone(directory.ServiceFields), directory.Field{Name: "zone_ajout", Label: "Ajouter une zone"})

// applyService copies the editor's form onto svc and checks it: the
// data·inclusion checks, plus what only the site knows (communes and
// territories that exist). Errors are keyed by form field.
func (s *Server) applyService(svc *directory.Service, v url.Values) error {
	fe := directory.FieldErrors{}
	if msg := normalizeHours(v); msg != "" {
		fe.Add("horaires_accueil", msg)
	}
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	long := func(k string) string { return strings.TrimSpace(strings.ReplaceAll(v.Get(k), "\r\n", "\n")) }
	svc.Name = g("nom")
	svc.Type = g("type")
	svc.Thematiques = directory.Distinct(v["thematiques"])
	svc.Description = long("description")
	svc.SourceLink = g("lien_source")
	svc.Publics = directory.Distinct(v["publics"])
	svc.PublicsDetails = long("publics_precisions")
	svc.AccessConditions = long("conditions_acces")
	svc.Fees = g("frais")
	svc.FeesDetails = long("frais_precisions")
	svc.MobilisationModes = directory.Distinct(v["modes_mobilisation"])
	svc.MobilisableBy = directory.Distinct(v["mobilisable_par"])
	svc.MobilisationLink = g("lien_mobilisation")
	svc.Phone = g("telephone")
	svc.Email = strings.ToLower(g("courriel"))
	svc.ContactName = g("contact_nom_prenom")
	svc.MobilisationDetails = long("mobilisation_precisions")
	svc.ReceptionModes = directory.Distinct(v["modes_accueil"])
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
	var de *directory.Error
	if err := catalog.Check(svc); errors.As(err, &de) {
		for k, m := range de.Fields {
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
	code, name, cp := strings.TrimSpace(v.Get("code_insee")), directory.StripDepartement(v.Get("commune")), strings.TrimSpace(v.Get("code_postal"))
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
	for _, k := range directory.Distinct(keys) {
		z, ok := directory.ParseZoneKey(k)
		if !ok || !s.zoneExists(z) {
			fe.Add("zone_eligibilite", fmt.Sprintf("Zone inconnue : « %s ».", k))
			continue
		}
		out = append(out, z)
	}
	return out
}
