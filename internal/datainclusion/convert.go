package datainclusion

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// link is an absolute http(s) address, as the schema's "uri" format asks;
// anything else (a record written before the rule, or by hand) is left out
// rather than published broken.
func link(s string) *string {
	if s == "" || directory.CheckURL(s) != nil {
		return nil
	}
	return &s
}

// email is a bare e-mail address, or nothing.
func email(s string) *string {
	if s == "" || directory.CheckEmail(s) != nil {
		return nil
	}
	return &s
}

// name fits a name into the schema's 3 to 150 characters.
func name(s string) string {
	r := []rune(strings.TrimSpace(s))
	switch {
	case len(r) > directory.NameMaxLen:
		return string(r[:directory.NameMaxLen-1]) + "…"
	case len(r) < directory.NameMinLen:
		return "Service " + string(r)
	}
	return string(r)
}

// description fits a text into the schema's 5 to 10,000 characters; a
// record imported without one (the schema requires it) is described by its
// name and needs, which is what a reader needs first.
func description(s, nom string, thematiques []string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) > directory.DescriptionMaxLen {
		return string(r[:directory.DescriptionMaxLen-1]) + "…"
	}
	if len(r) >= directory.DescriptionMinLen {
		return string(r)
	}
	d := name(nom) + "."
	if len(thematiques) > 0 {
		labels := make([]string, len(thematiques))
		for i, t := range thematiques {
			labels[i] = directory.Thematiques.Label(t)
		}
		d += " Besoins : " + strings.Join(labels, ", ") + "."
	}
	return d
}

// optionalText is a text the schema bounds to 5–10,000 characters, or
// nothing when shorter.
func optionalText(s string) *string {
	if len([]rune(strings.TrimSpace(s))) < directory.DescriptionMinLen {
		return nil
	}
	d := description(s, "", nil)
	return &d
}

func list(l []string) List {
	if len(l) == 0 {
		return nil
	}
	return l
}

func val(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

// FromStructure is st as a v1 record.
func FromStructure(st *directory.Structure) *Structure {
	return &Structure{
		AccessibiliteLieu: link(st.AccessibilityLink),
		Adresse:           str(st.Address),
		CodeInsee:         str(st.CodeInsee),
		CodePostal:        str(st.PostalCode),
		Commune:           str(st.CommuneName),
		ComplementAdresse: str(st.AddressComplement),
		Courriel:          email(st.Email),
		DateMaj:           st.UpdatedAt.In(directory.Paris).Format(time.DateOnly),
		Description:       optionalText(st.Description),
		HorairesAccueil:   str(st.OpeningHours),
		ID:                st.ID,
		Latitude:          num(st.Latitude),
		LienSource:        link(st.SourceLink),
		Longitude:         num(st.Longitude),
		Nom:               name(st.Name),
		ReseauxPorteurs:   list(st.Networks),
		Siret:             str(st.SIRET),
		SiteWeb:           link(st.Website),
		Source:            st.Source,
		Telephone:         str(st.Phone),
	}
}

// FromService is s as a v1 record. regionDeps lists the départements of
// each région: v1 has no région zone, a région is written as its
// départements.
func FromService(s *directory.Service, regionDeps map[string][]string) *Service {
	return &Service{
		Adresse:                   str(s.Address),
		CodeInsee:                 str(s.CodeInsee),
		CodePostal:                str(s.PostalCode),
		Commune:                   str(s.CommuneName),
		ComplementAdresse:         str(s.AddressComplement),
		ConditionsAcces:           str(s.AccessConditions),
		ContactNomPrenom:          str(s.ContactName),
		Courriel:                  email(s.Email),
		DateMaj:                   s.UpdatedAt.In(directory.Paris).Format(time.DateOnly),
		Description:               description(s.Description, s.Name, s.Thematiques),
		Frais:                     str(s.Fees),
		FraisPrecisions:           str(s.FeesDetails),
		HorairesAccueil:           str(s.OpeningHours),
		ID:                        s.ID,
		Latitude:                  num(s.Latitude),
		LienMobilisation:          link(s.MobilisationLink),
		LienSource:                link(s.SourceLink),
		Longitude:                 num(s.Longitude),
		MobilisablePar:            list(s.MobilisableBy),
		MobilisationPrecisions:    str(s.MobilisationDetails),
		ModesAccueil:              list(s.ReceptionModes),
		ModesMobilisation:         list(s.MobilisationModes),
		Nom:                       name(s.Name),
		NombreSemaines:            s.WeeksCount,
		Publics:                   list(s.Publics),
		PublicsPrecisions:         str(s.PublicsDetails),
		Source:                    s.Source,
		StructureID:               s.StructureID,
		Telephone:                 str(s.Phone),
		Thematiques:               list(s.Thematiques),
		Type:                      str(s.Type),
		VolumeHoraireHebdomadaire: num(s.WeeklyHours),
		ZoneEligibilite:           ZoneCodes(s.EligibilityZone, regionDeps),
	}
}

// ZoneCodes writes zones the data·inclusion way: codes without their kind,
// a région as its départements.
func ZoneCodes(zones []directory.Zone, regionDeps map[string][]string) List {
	var out List
	add := func(code string) {
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	for _, z := range zones {
		switch z.Kind {
		case directory.ZoneFrance:
			add("france")
		case directory.ZoneRegion:
			for _, d := range regionDeps[z.Code] {
				add(d)
			}
		default:
			add(z.Code)
		}
	}
	return out
}

// ParseZone reads a v1 zone code: "france", a commune (5 characters), an
// EPCI (9 digits) or a département (2 or 3 characters).
func ParseZone(code string) (directory.Zone, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	var z directory.Zone
	switch len(code) {
	case 6:
		if code == "FRANCE" {
			return directory.France, true
		}
		return z, false
	case 5:
		z = directory.Zone{Kind: directory.ZoneCommune, Code: code}
	case 9:
		z = directory.Zone{Kind: directory.ZoneEPCI, Code: code}
	case 2, 3:
		if !departementCode(code) {
			return z, false
		}
		z = directory.Zone{Kind: directory.ZoneDepartement, Code: code}
	default:
		return z, false
	}
	z2, ok := directory.ParseZoneKey(z.Key())
	return z2, ok && (z.Kind != directory.ZoneCommune || directory.CheckInseeCode(code) == nil)
}

// departementCode accepts "01"…"95", "2A", "2B" and "971"…"976".
func departementCode(code string) bool {
	isDigits := strings.Trim(code, "0123456789") == ""
	switch len(code) {
	case 2:
		return code == "2A" || code == "2B" || isDigits && code != "00" && code != "20" && code < "96"
	case 3:
		return isDigits && code >= "971" && code <= "976"
	}
	return false
}

// ParseDate reads date_maj: a date (2025-02-14), a date and time (RFC 3339
// or without zone, read in Paris) or a French date (14/02/2025).
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.DateOnly, time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "02/01/2006"} {
		if t, err := time.ParseInLocation(layout, s, directory.Paris); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("date illisible : « %s »", s)
}

// Warnings collects what a conversion dropped or corrected, in French.
type Warnings []string

func (w *Warnings) add(format string, args ...any) { *w = append(*w, fmt.Sprintf(format, args...)) }

// terms keeps the values of l that belong to v, matched without regard to
// case and spaces, and warns about the others.
func terms(w *Warnings, what string, v *directory.Vocabulary, l []string) []string {
	var out []string
	for _, x := range l {
		k := strings.ToLower(strings.TrimSpace(x))
		switch {
		case v.Has(k):
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		case k != "":
			w.add("%s : valeur inconnue « %s », ignorée", what, x)
		}
	}
	return out
}

func term(w *Warnings, what string, v *directory.Vocabulary, s *string) string {
	if t := terms(w, what, v, []string{val(s)}); len(t) == 1 {
		return t[0]
	}
	return ""
}

// ToService converts a v1 record into the domain. Identifiers are the
// producer's (ID and StructureID): the import gives the record its own.
// Unknown vocabulary values and malformed zones are dropped with a warning;
// the caller validates the rest.
func ToService(r *Service) (*directory.Service, Warnings) {
	var w Warnings
	s := &directory.Service{
		StructureID:         strings.TrimSpace(r.StructureID),
		Source:              strings.TrimSpace(r.Source),
		Name:                strings.TrimSpace(r.Nom),
		Description:         strings.TrimSpace(r.Description),
		SourceLink:          val(r.LienSource),
		Type:                term(&w, "Type de service", directory.ServiceTypes, r.Type),
		Thematiques:         terms(&w, "Thématique", directory.Thematiques, r.Thematiques),
		Fees:                term(&w, "Frais", directory.Fees, r.Frais),
		FeesDetails:         val(r.FraisPrecisions),
		Publics:             terms(&w, "Public", directory.Publics, r.Publics),
		PublicsDetails:      val(r.PublicsPrecisions),
		AccessConditions:    val(r.ConditionsAcces),
		CommuneName:         val(r.Commune),
		PostalCode:          val(r.CodePostal),
		CodeInsee:           strings.ToUpper(val(r.CodeInsee)),
		Address:             val(r.Adresse),
		AddressComplement:   val(r.ComplementAdresse),
		Longitude:           float(r.Longitude),
		Latitude:            float(r.Latitude),
		Phone:               val(r.Telephone),
		Email:               val(r.Courriel),
		ContactName:         val(r.ContactNomPrenom),
		ReceptionModes:      terms(&w, "Mode d’accueil", directory.ReceptionModes, r.ModesAccueil),
		MobilisationLink:    val(r.LienMobilisation),
		MobilisationModes:   terms(&w, "Mode de mobilisation", directory.MobilisationModes, r.ModesMobilisation),
		MobilisableBy:       terms(&w, "Mobilisable par", directory.Mobilisers, r.MobilisablePar),
		MobilisationDetails: val(r.MobilisationPrecisions),
		OpeningHours:        val(r.HorairesAccueil),
		WeeksCount:          r.NombreSemaines,
		WeeklyHours:         float(r.VolumeHoraireHebdomadaire),
		Provenance:          directory.Provenance{Kind: "import", ExternalID: strings.TrimSpace(r.ID)},
	}
	for _, code := range r.ZoneEligibilite {
		z, ok := ParseZone(code)
		switch {
		case !ok:
			w.add("Zone d’éligibilité : code inconnu « %s », ignoré", code)
		case !slices.Contains(s.EligibilityZone, z):
			s.EligibilityZone = append(s.EligibilityZone, z)
		}
	}
	if r.DateMaj != "" {
		t, err := ParseDate(r.DateMaj)
		if err != nil {
			w.add("%s", err.Error())
		}
		s.UpdatedAt = t
	}
	return s, w
}

// ToStructure converts a v1 structure into the domain, the producer's id
// kept in Provenance.ExternalID.
func ToStructure(r *Structure) (*directory.Structure, Warnings) {
	var w Warnings
	st := &directory.Structure{
		Source:            strings.TrimSpace(r.Source),
		Name:              strings.TrimSpace(r.Nom),
		SIRET:             val(r.Siret),
		Description:       val(r.Description),
		Address:           val(r.Adresse),
		AddressComplement: val(r.ComplementAdresse),
		PostalCode:        val(r.CodePostal),
		CodeInsee:         strings.ToUpper(val(r.CodeInsee)),
		CommuneName:       val(r.Commune),
		Longitude:         float(r.Longitude),
		Latitude:          float(r.Latitude),
		Phone:             val(r.Telephone),
		Email:             val(r.Courriel),
		Website:           val(r.SiteWeb),
		SourceLink:        val(r.LienSource),
		AccessibilityLink: val(r.AccessibiliteLieu),
		OpeningHours:      val(r.HorairesAccueil),
		Networks:          terms(&w, "Réseau porteur", directory.Networks, r.ReseauxPorteurs),
		Provenance:        directory.Provenance{Kind: "import", ExternalID: strings.TrimSpace(r.ID)},
	}
	if r.DateMaj != "" {
		t, err := ParseDate(r.DateMaj)
		if err != nil {
			w.add("%s", err.Error())
		}
		st.UpdatedAt = t
	}
	return st, w
}
