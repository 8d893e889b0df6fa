package directory

import (
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/repere-spie/repere/internal/openinghours"
)

// Lengths from the data·inclusion v1 JSON Schema (validate_test.go checks
// them against it).
const (
	NameMinLen        = 3
	NameMaxLen        = 150
	DescriptionMinLen = 5
	DescriptionMaxLen = 10000
	URLMaxLen         = 2083
)

func invalid(msg string) error { return &Error{Code: EINVALID, Message: msg} }

// NormalizeSIRET strips the spaces people type in a SIRET and checks its 14
// digits and its Luhn key. La Poste (SIREN 356000000) numbers its
// establishments with another key: the sum of the digits is a multiple of 5,
// except for its head office, which follows Luhn.
func NormalizeSIRET(s string) (string, error) {
	s = stripSpaces(s)
	if len(s) != 14 || !digits(s) {
		return s, invalid("Le numéro SIRET doit comporter 14 chiffres.")
	}
	ok := luhn(s[:9])
	if strings.HasPrefix(s, "356000000") && s != "35600000000048" {
		ok = ok && digitSum(s)%5 == 0
	} else {
		ok = ok && luhn(s)
	}
	if !ok {
		return s, invalid("Ce numéro SIRET n’est pas valide (clé de contrôle incorrecte).")
	}
	return s, nil
}

func stripSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\t' {
			return -1
		}
		return r
	}, s)
}

func digitSum(s string) int {
	sum := 0
	for i := 0; i < len(s); i++ {
		sum += int(s[i] - '0')
	}
	return sum
}

// luhn checks the Luhn key of a string of digits.
func luhn(s string) bool {
	sum := 0
	for i := 0; i < len(s); i++ {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// CheckInseeCode checks the shape of a commune code of the Code officiel
// géographique: 5 digits, or 2A/2B and 3 digits in Corsica; overseas codes
// start with 97 or 98. It does not check that the commune exists.
func CheckInseeCode(code string) error {
	ok := len(code) == 5
	if ok && (code[:2] == "2A" || code[:2] == "2B") {
		ok = digits(code[2:])
	} else if ok {
		// No département 00, 20 (split into 2A and 2B in 1976) or 96; 99 codes
		// are foreign countries.
		ok = digits(code) && code[:2] != "00" && code[:2] != "20" && code[:2] != "96" && code[:2] != "99"
	}
	if !ok {
		return invalid("Le code INSEE doit comporter 5 caractères : des chiffres, ou 2A ou 2B suivis de 3 chiffres en Corse.")
	}
	return nil
}

// CheckPostalCode checks that code is a French postal code: 5 digits.
func CheckPostalCode(code string) error {
	if len(code) != 5 || !digits(code) || code[:2] == "00" {
		return invalid("Le code postal doit comporter 5 chiffres.")
	}
	return nil
}

// CheckEmail accepts a bare address (no display name, no angle brackets)
// whose domain has a dot.
func CheckEmail(s string) error {
	a, err := mail.ParseAddress(s)
	ok := err == nil && a.Name == "" && a.Address == s && len(s) <= 254
	if ok {
		domain := s[strings.LastIndexByte(s, '@')+1:]
		ok = strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") &&
			!strings.HasSuffix(domain, ".") && !strings.Contains(domain, "..")
	}
	if !ok {
		return invalid("Cette adresse électronique n’est pas valide (exemple : nom@domaine.fr).")
	}
	return nil
}

// CheckURL accepts an absolute http or https address with a host name.
func CheckURL(s string) error {
	if len(s) > URLMaxLen {
		return invalid(fmt.Sprintf("Cette adresse web est trop longue (%s caractères au plus).", thousands(URLMaxLen)))
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Hostname(), ".") ||
		strings.ContainsAny(s, " \t\r\n") {
		return invalid("Cette adresse web n’est pas valide : elle doit commencer par https:// ou http:// (exemple : https://www.exemple.fr).")
	}
	return nil
}

// overseasPrefixes map the first digits of a French number to the country
// code of the overseas département that uses them.
var overseasPrefixes = map[string]string{
	"262": "262", "692": "262", "693": "262", // La Réunion
	"269": "262", "639": "262", // Mayotte
	"590": "590", "690": "590", "691": "590", // Guadeloupe, Saint-Barthélemy, Saint-Martin
	"594": "594", "694": "594", // Guyane
	"596": "596", "696": "596", "697": "596", // Martinique
}

// collectivityLengths are the national number lengths of the overseas
// collectivities outside the French numbering plan.
var collectivityLengths = map[string]int{
	"508": 6, // Saint-Pierre-et-Miquelon
	"681": 6, // Wallis-et-Futuna
	"687": 6, // Nouvelle-Calédonie
	"689": 8, // Polynésie française
}

var errPhone = invalid("Ce numéro de téléphone n’est pas valide : saisissez 10 chiffres (01 23 45 67 89), " +
	"un numéro international (+33 1 23 45 67 89) ou un numéro court (3949).")

// NormalizePhone reads a phone number as people write it and returns it in
// E.164 ("+33123456789"). French numbers of the overseas départements get
// their own country code (0262 → +262). Short numbers (15, 115, 3949,
// 116000) have no international form and are returned as digits. On error,
// s is returned unchanged.
func NormalizePhone(s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0:
			b.WriteRune(r)
		case strings.ContainsRune(" .-/()\u00a0\u202f", r):
		default:
			return s, errPhone
		}
	}
	n := b.String()
	if len(n) == 10 && n[0] == '0' {
		// Ten digits are a national number, even "00 12 …", which is no
		// international prefix.
		return frenchE164(s, n[1:], "")
	}
	if strings.HasPrefix(n, "00") {
		n = "+" + n[2:]
	}
	if !strings.HasPrefix(n, "+") {
		if shortNumber(n) {
			return n, nil
		}
		return s, errPhone
	}
	n = n[1:]
	for _, cc := range []string{"33", "262", "590", "594", "596", "269"} {
		if !strings.HasPrefix(n, cc) {
			continue
		}
		national := n[len(cc):]
		if len(national) == 10 && national[0] == '0' {
			national = national[1:] // "+33 (0)1 23 45 67 89"
		}
		if cc == "269" {
			// +269 is the Comoros; Mayotte used it until 2007 and people
			// still write it.
			if len(national) != 9 || overseasPrefixes[national[:3]] != "262" {
				break
			}
			cc = "262"
		}
		return frenchE164(s, national, cc)
	}
	if want, ok := collectivityLengths[n[:min(3, len(n))]]; ok && len(n)-3 != want {
		return s, errPhone
	}
	if len(n) < 7 || len(n) > 15 || !digits(n) || n[0] == '0' {
		return s, errPhone
	}
	return "+" + n, nil
}

// frenchE164 turns the 9 digits after the trunk 0 into E.164, checking that a
// given country code agrees with the number's prefix. It returns the input s
// with the error.
func frenchE164(s, national, cc string) (string, error) {
	if len(national) != 9 || !digits(national) || national[0] == '0' {
		return s, errPhone
	}
	want := overseasPrefixes[national[:3]]
	if want == "" {
		want = "33"
	}
	// +33 with an overseas prefix is a common slip; the reverse is no number.
	if cc != "" && cc != "33" && cc != want {
		return s, errPhone
	}
	return "+" + want + national, nil
}

// shortNumber recognises the French short numbers: emergency (15, 17, 18,
// 112, 114, 115, 119…), 10XY and 3BPQ service numbers, and the European
// 116XYZ helplines.
func shortNumber(n string) bool {
	switch len(n) {
	case 2:
		return n == "15" || n == "17" || n == "18"
	case 3:
		switch n {
		case "112", "114", "115", "119", "191", "196", "197":
			return true
		}
	case 4:
		return n[0] == '3' || strings.HasPrefix(n, "10")
	case 6:
		return strings.HasPrefix(n, "116")
	}
	return false
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func checkLength(f FieldErrors, field, what, s string, lo, hi int) {
	if n := utf8.RuneCountInString(strings.TrimSpace(s)); n < lo || n > hi {
		f.Add(field, fmt.Sprintf("%s doit comporter entre %d et %s caractères.", what, lo, thousands(hi)))
	}
}

// thousands writes 10000 the French way, "10 000".
func thousands(n int) string {
	s := fmt.Sprint(n)
	if len(s) <= 3 {
		return s
	}
	return thousands(n/1000) + "\u00a0" + s[len(s)-3:]
}

func checkTerm(f FieldErrors, field, msg string, v *Vocabulary, value string) {
	if value != "" && !v.Has(value) {
		f.Add(field, fmt.Sprintf("%s : « %s ».", msg, value))
	}
}

func checkTerms(f FieldErrors, field, msg string, v *Vocabulary, values []string) {
	for i, value := range values {
		checkTerm(f, field, msg, v, value)
		if contains(values[:i], value) {
			f.Add(field, fmt.Sprintf("« %s » est indiqué deux fois.", v.Label(value)))
		}
	}
}

func checkURLField(f FieldErrors, field, s string) {
	if s != "" {
		if err := CheckURL(s); err != nil {
			f.Add(field, ErrorMessage(err))
		}
	}
}

func checkPhone(f FieldErrors, phone *string) {
	if *phone == "" {
		return
	}
	n, err := NormalizePhone(*phone)
	if err != nil {
		f.Add("telephone", ErrorMessage(err))
		return
	}
	*phone = n
}

func checkEmailField(f FieldErrors, s string) {
	if s != "" {
		if err := CheckEmail(s); err != nil {
			f.Add("courriel", ErrorMessage(err))
		}
	}
}

func checkOpeningHours(f FieldErrors, s string) {
	if !blank(s) {
		if _, err := openinghours.Parse(s); err != nil {
			f.Add("horaires_accueil", err.Error())
		}
	}
}

// checkPlace checks the address fields shared by services and structures.
func checkPlace(f FieldErrors, postalCode, codeInsee string, lon, lat *float64) {
	if postalCode != "" {
		if err := CheckPostalCode(postalCode); err != nil {
			f.Add("code_postal", ErrorMessage(err))
		}
	}
	if codeInsee != "" {
		if err := CheckInseeCode(codeInsee); err != nil {
			f.Add("code_insee", ErrorMessage(err))
		}
	}
	switch {
	case lon == nil && lat != nil:
		f.Add("longitude", "Indiquez la longitude avec la latitude.")
	case lon != nil && lat == nil:
		f.Add("latitude", "Indiquez la latitude avec la longitude.")
	case lon != nil:
		if math.IsNaN(*lon) || *lon < -180 || *lon > 180 {
			f.Add("longitude", "La longitude doit être comprise entre -180 et 180.")
		}
		if math.IsNaN(*lat) || *lat < -90 || *lat > 90 {
			f.Add("latitude", "La latitude doit être comprise entre -90 et 90.")
		}
	}
}

// zoneText names a zone for a message: commune « 86066 ».
func zoneText(z Zone) string {
	if kind, ok := zoneKindNames[z.Kind]; ok {
		return fmt.Sprintf("%s « %s »", kind, z.Code)
	}
	if z == France {
		return "France"
	}
	return fmt.Sprintf("« %s »", z.Key())
}

var zoneKindNames = map[ZoneKind]string{
	ZoneCommune: "commune", ZoneEPCI: "EPCI", ZoneDepartement: "département", ZoneRegion: "région",
}

// Validate checks the fields that are filled in against the data·inclusion v1
// schema and vocabularies; a draft may leave fields empty (see
// MissingForPublication). It normalises the phone number in place. The error
// is an EINVALID *Error whose Fields are keyed by data·inclusion field names.
func (s *Service) Validate() error {
	f := FieldErrors{}
	if !blank(s.Name) {
		checkLength(f, "nom", "Le nom", s.Name, NameMinLen, NameMaxLen)
	}
	if !blank(s.Description) {
		checkLength(f, "description", "La description", s.Description, DescriptionMinLen, DescriptionMaxLen)
	}
	checkURLField(f, "lien_source", s.SourceLink)
	checkTerm(f, "type", "Type de service inconnu", ServiceTypes, s.Type)
	checkTerms(f, "thematiques", "Thématique inconnue", Thematiques, s.Thematiques)
	checkTerm(f, "frais", "Frais inconnus", Fees, s.Fees)
	checkTerms(f, "publics", "Public inconnu", Publics, s.Publics)
	if contains(s.Publics, "tous-publics") && len(s.Publics) > 1 {
		f.Add("publics", "« Tous publics » ne se combine pas avec d’autres publics.")
	}
	checkPlace(f, s.PostalCode, s.CodeInsee, s.Longitude, s.Latitude)
	checkPhone(f, &s.Phone)
	checkEmailField(f, s.Email)
	checkTerms(f, "modes_accueil", "Mode d’accueil inconnu", ReceptionModes, s.ReceptionModes)
	for i, z := range s.EligibilityZone {
		// The key round trip checks the kind and the shape of the code.
		parsed, ok := ParseZoneKey(z.Key())
		if !ok || parsed != z || z.Kind == ZoneCommune && CheckInseeCode(z.Code) != nil {
			f.Add("zone_eligibilite", fmt.Sprintf("Zone inconnue : %s.", zoneText(z)))
		} else if slices.Contains(s.EligibilityZone[:i], z) {
			f.Add("zone_eligibilite", fmt.Sprintf("La zone %s est indiquée deux fois.", zoneText(z)))
		}
	}
	checkURLField(f, "lien_mobilisation", s.MobilisationLink)
	checkTerms(f, "modes_mobilisation", "Mode de mobilisation inconnu", MobilisationModes, s.MobilisationModes)
	checkTerms(f, "mobilisable_par", "Valeur inconnue", Mobilisers, s.MobilisableBy)
	checkOpeningHours(f, s.OpeningHours)
	if s.WeeksCount != nil && *s.WeeksCount < 1 {
		f.Add("nombre_semaines", "Le nombre de semaines doit être d’au moins 1.")
	}
	if h := s.WeeklyHours; h != nil && (math.IsNaN(*h) || *h < 0 || *h > 168) {
		f.Add("volume_horaire_hebdomadaire", "Le volume horaire hebdomadaire doit être compris entre 0 et 168 heures.")
	}
	if s.Status != "" && !s.Status.Valid() {
		f.Add("statut", fmt.Sprintf("Statut inconnu : « %s ».", s.Status))
	}
	switch s.UpdateFrequency {
	case "", FrequencyMonthly, FrequencyQuarterly, FrequencyHalfYearly, FrequencyYearly:
	default:
		f.Add("frequence_maj", fmt.Sprintf("Fréquence de mise à jour inconnue : « %s ».", s.UpdateFrequency))
	}
	return f.Err()
}

// MissingForPublication lists, in French, what a professional needs to act
// on the service and the draft lacks; nil means it can be published. It does
// not validate: call Validate too.
func (s *Service) MissingForPublication() []string {
	var missing []string
	place := !blank(s.Address) || !blank(s.CodeInsee) || !blank(s.CommuneName)
	if blank(s.Name) {
		missing = append(missing, "Le nom du service")
	}
	if blank(s.Description) {
		missing = append(missing, "La description")
	}
	if len(s.Thematiques) == 0 {
		missing = append(missing, "Au moins une thématique")
	}
	if len(s.ReceptionModes) == 0 {
		missing = append(missing, "Le mode d’accueil (en présentiel ou à distance)")
	}
	if len(s.EligibilityZone) == 0 {
		missing = append(missing, "La zone desservie")
	}
	if s.OnSite() && !place {
		missing = append(missing, "L’adresse ou la commune d’accueil")
	}
	if blank(s.Phone) && blank(s.Email) && blank(s.MobilisationLink) && !(s.OnSite() && place) {
		missing = append(missing, "Un moyen de mobiliser le service : téléphone, courriel, lien de mobilisation ou adresse d’accueil")
	}
	return missing
}

// Validate checks a structure against the data·inclusion v1 schema: the name
// is required, every other field is checked when filled in. It normalises the
// SIRET and the phone number in place. The error is an EINVALID *Error whose
// Fields are keyed by data·inclusion field names.
func (s *Structure) Validate() error {
	f := FieldErrors{}
	if blank(s.Name) {
		f.Add("nom", "Le nom est obligatoire.")
	} else {
		checkLength(f, "nom", "Le nom", s.Name, NameMinLen, NameMaxLen)
	}
	if s.SIRET != "" {
		siret, err := NormalizeSIRET(s.SIRET)
		if err != nil {
			f.Add("siret", ErrorMessage(err))
		} else {
			s.SIRET = siret
		}
	}
	if !blank(s.Description) {
		checkLength(f, "description", "La description", s.Description, DescriptionMinLen, DescriptionMaxLen)
	}
	checkPlace(f, s.PostalCode, s.CodeInsee, s.Longitude, s.Latitude)
	checkPhone(f, &s.Phone)
	checkEmailField(f, s.Email)
	checkURLField(f, "site_web", s.Website)
	checkURLField(f, "lien_source", s.SourceLink)
	checkURLField(f, "accessibilite_lieu", s.AccessibilityLink)
	checkOpeningHours(f, s.OpeningHours)
	checkTerms(f, "reseaux_porteurs", "Réseau inconnu", Networks, s.Networks)
	return f.Err()
}
