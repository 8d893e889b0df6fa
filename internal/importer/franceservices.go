package importer

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/repere-spie/repere/internal/datainclusion"
	"github.com/repere-spie/repere/internal/directory"
)

// FranceServicesFeed is the national list of France services sites (ANCT).
var FranceServicesFeed = Feed{Name: "france-services", Label: "France services (ANCT)",
	Licence: "Licence Ouverte 2.0 (ANCT – Liste des structures France services)"}

// FranceServicesReader reads the ANCT list of France services sites
// (liste-fs-*.csv): one structure per site, and the offer every site gives
// as its services, open at the site's hours.
type FranceServicesReader struct {
	Path string
}

func (f *FranceServicesReader) Feed() Feed       { return FranceServicesFeed }
func (f *FranceServicesReader) Describe() string { return "fichier " + filepath.Base(f.Path) }

const franceServicesSource = "france-services"

// The standard offer of a France services site: the national partners'
// procedures with a trained agent, and digital help.
var franceServicesOffer = []struct {
	id, name, description string
	thematiques           []string
}{
	{"demarches", "Accompagnement aux démarches administratives",
		"Des agents formés vous accueillent et vous accompagnent dans vos démarches auprès des partenaires nationaux de France services : " +
			"allocations familiales (Caf), assurance maladie (CPAM), Mutualité sociale agricole (MSA), retraite (Assurance retraite), " +
			"emploi (France Travail), impôts (DGFiP), papiers d’identité, permis de conduire et carte grise (ANTS), justice (accès au droit) et La Poste.",
		[]string{"difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
			"difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"}},
	{"numerique", "Accompagnement au numérique et accès aux services en ligne",
		"Accès libre et gratuit à un poste informatique, une imprimante et une connexion internet, avec l’aide d’un agent pour créer vos comptes en ligne, " +
			"faire vos démarches sur internet et apprendre les usages essentiels du numérique.",
		[]string{"numerique--acceder-a-des-services-en-ligne", "numerique--acceder-a-une-connexion-internet",
			"numerique--maitriser-les-fondamentaux-du-numerique"}},
}

var frenchDays = []struct{ column, osm string }{
	{"h_lundi", "Mo"}, {"h_mardi", "Tu"}, {"h_mercredi", "We"}, {"h_jeudi", "Th"}, {"h_vendredi", "Fr"}, {"h_samedi", "Sa"},
}

// franceServicesHours turns the per-day columns ("09:00 - 12:00 / 13:30 -
// 17:00") into OSM opening_hours ("Mo-Fr 09:00-12:00,13:30-17:00; Sa
// 09:00-12:00"), consecutive days with the same hours grouped.
func franceServicesHours(day func(column string) string) (string, error) {
	type group struct{ first, last, hours string }
	var groups []group
	for i, d := range frenchDays {
		raw := strings.TrimSpace(day(d.column))
		if raw == "" {
			continue
		}
		var ranges []string
		for _, part := range strings.Split(raw, "/") {
			from, to, ok := strings.Cut(strings.TrimSpace(part), "-")
			from, to = strings.TrimSpace(from), strings.TrimSpace(to)
			if !ok || len(from) != 5 || len(to) != 5 || from[2] != ':' || to[2] != ':' {
				return "", fmt.Errorf("horaires du %s illisibles : « %s »", strings.TrimPrefix(d.column, "h_"), raw)
			}
			ranges = append(ranges, from+"-"+to)
		}
		hours := strings.Join(ranges, ",")
		if n := len(groups); n > 0 && groups[n-1].hours == hours && groups[n-1].last == frenchDays[i-1].osm {
			groups[n-1].last = d.osm
			continue
		}
		groups = append(groups, group{d.osm, d.osm, hours})
	}
	var rules []string
	for _, g := range groups {
		days := g.first
		if g.last != g.first {
			days += "-" + g.last
		}
		rules = append(rules, days+" "+g.hours)
	}
	return strings.Join(rules, "; "), nil
}

func (f *FranceServicesReader) Read(ctx context.Context, emit func(*Item) error) (Scope, error) {
	file, err := os.Open(f.Path)
	if err != nil {
		return Scope{}, err
	}
	defer file.Close()
	name := filepath.Base(f.Path)
	t, err := openCSV(file, name)
	if err != nil {
		return Scope{}, err
	}
	col := map[string]int{}
	for i, h := range t.Header {
		col[datainclusion.FieldKey(h)] = i
	}
	for _, need := range []string{"id_fs", "lib_fs", "insee_com", "code_postal", "lib_com"} {
		if _, ok := col[need]; !ok {
			return Scope{}, fmt.Errorf("%s : colonne %s absente : est-ce bien la liste des France services ?", name, need)
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			return Scope{}, err
		}
		rec, line, err := t.Next()
		if err == io.EOF {
			return Scope{}, nil // the whole list: what it no longer has is gone
		} else if err != nil {
			return Scope{}, fmt.Errorf("%s : %w", name, err)
		}
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		ref := fmt.Sprintf("ligne %d", line)
		if get("id_fs") == "" || get("lib_fs") == "" {
			if err := emit(&Item{Ref: ref, Err: fmt.Errorf("ligne sans identifiant (id_fs) ou sans nom (lib_fs)")}); err != nil {
				return Scope{}, err
			}
			continue
		}
		if err := f.site(ref, get, emit); err != nil {
			return Scope{}, err
		}
	}
}

// site emits the structure of one France services site and its offer.
func (f *FranceServicesReader) site(ref string, get func(string) string, emit func(*Item) error) error {
	var warnings []string
	ext := "fs-" + get("id_fs")
	st := &directory.Structure{Source: franceServicesSource, Name: get("lib_fs"), Address: get("adresse"),
		AddressComplement: get("complement_adresse"), PostalCode: get("code_postal"), CodeInsee: get("insee_com"),
		CommuneName: get("lib_com"), Phone: get("telephone"), Email: get("mail"), Networks: []string{"france-service"},
		Provenance: directory.Provenance{ExternalID: ext}}
	lat, errLat := datainclusion.ParseNumber(get("latitude"))
	lon, errLon := datainclusion.ParseNumber(get("longitude"))
	if errLat == nil && errLon == nil {
		st.Latitude, st.Longitude = &lat, &lon
	} else if get("latitude")+get("longitude") != "" {
		warnings = append(warnings, fmt.Sprintf("Coordonnées illisibles ignorées (%s, %s)", get("latitude"), get("longitude")))
	}
	hours, err := franceServicesHours(get)
	if err != nil {
		warnings = append(warnings, err.Error())
	}
	st.OpeningHours = hours
	if err := emit(&Item{Ref: ref, Structure: st, Warnings: warnings}); err != nil {
		return err
	}
	var details []string
	switch get("format_fs") {
	case "Bus_équivalent", "Itinérante":
		details = append(details, "France services itinérante : renseignez-vous sur les lieux et les jours de passage.")
	}
	if strings.EqualFold(get("prise_rdv"), "Oui") {
		details = append(details, "Prise de rendez-vous possible.")
	}
	if c := get("commentaire"); c != "" {
		details = append(details, c)
	}
	modes := []string{"se-presenter"}
	if st.Phone != "" {
		modes = append(modes, "telephoner")
	}
	if st.Email != "" {
		modes = append(modes, "envoyer-un-courriel")
	}
	for _, o := range franceServicesOffer {
		s := &directory.Service{
			Source: franceServicesSource, StructureID: ext, Name: o.name, Description: o.description,
			Type: "accompagnement", Thematiques: o.thematiques, Fees: "gratuit", Publics: []string{"tous-publics"},
			Address: st.Address, AddressComplement: st.AddressComplement, PostalCode: st.PostalCode, CodeInsee: st.CodeInsee,
			CommuneName: st.CommuneName, Longitude: st.Longitude, Latitude: st.Latitude, Phone: st.Phone, Email: st.Email,
			ReceptionModes: []string{"en-presentiel"}, MobilisationModes: modes, MobilisableBy: []string{"usagers", "professionnels"},
			MobilisationDetails: strings.Join(details, " "), OpeningHours: hours,
			Provenance: directory.Provenance{ExternalID: ext + "-" + o.id},
		}
		// A site serves its whole département: people choose the nearest.
		if dep := get("insee_dep"); dep != "" {
			if z, ok := datainclusion.ParseZone(dep); ok && z.Kind == directory.ZoneDepartement {
				s.EligibilityZone = []directory.Zone{z}
			}
		}
		// The row is counted once, with its structure.
		if err := emit(&Item{Ref: ref + " – " + o.name, Service: s, Derived: true}); err != nil {
			return err
		}
	}
	return nil
}
