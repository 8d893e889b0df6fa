package directory_test

import (
	"encoding/json"
	"errors"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/repere-spie/repere/internal/directory"
)

func TestSchemaLengths(t *testing.T) {
	type limits struct {
		MinLength *int `json:"minLength"`
		MaxLength *int `json:"maxLength"`
		AnyOf     []struct {
			MinLength *int `json:"minLength"`
			MaxLength *int `json:"maxLength"`
		} `json:"anyOf"`
	}
	read := func(schema string) map[string]limits {
		b, err := os.ReadFile(referenceFile(t, "data-inclusion-schema", "v1", schema+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var s struct {
			Properties map[string]limits `json:"properties"`
		}
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		return s.Properties
	}
	// bounds returns the length limits of a property, nullable or not.
	bounds := func(l limits) (int, int) {
		if l.MaxLength == nil && len(l.AnyOf) > 0 {
			l.MinLength, l.MaxLength = l.AnyOf[0].MinLength, l.AnyOf[0].MaxLength
		}
		if l.MinLength == nil || l.MaxLength == nil {
			return -1, -1
		}
		return *l.MinLength, *l.MaxLength
	}
	tests := []struct {
		schema, field string
		min, max      int
	}{
		{"service", "nom", directory.NameMinLen, directory.NameMaxLen},
		{"structure", "nom", directory.NameMinLen, directory.NameMaxLen},
		{"service", "description", directory.DescriptionMinLen, directory.DescriptionMaxLen},
		{"structure", "description", directory.DescriptionMinLen, directory.DescriptionMaxLen},
		{"service", "lien_source", 1, directory.URLMaxLen},
		{"service", "lien_mobilisation", 1, directory.URLMaxLen},
		{"structure", "site_web", 1, directory.URLMaxLen},
		{"structure", "accessibilite_lieu", 1, directory.URLMaxLen},
		{"structure", "siret", 14, 14},
		{"service", "code_postal", 5, 5},
		{"service", "code_insee", 5, 5},
	}
	props := map[string]map[string]limits{"service": read("service"), "structure": read("structure")}
	for _, tt := range tests {
		l, ok := props[tt.schema][tt.field]
		if !ok {
			t.Errorf("%s.json has no property %s", tt.schema, tt.field)
			continue
		}
		if lo, hi := bounds(l); lo != tt.min || hi != tt.max {
			t.Errorf("%s.%s: schema says %d–%d, Go says %d–%d", tt.schema, tt.field, lo, hi, tt.min, tt.max)
		}
	}
}

func TestNormalizeSIRET(t *testing.T) {
	tests := []struct {
		in, want string
		msg      string // part of the error, "" when valid
	}{
		{"73282932000074", "73282932000074", ""},
		{"732 829 320 00074", "73282932000074", ""},
		{"732\u00a0829\u00a0320\u00a000074", "73282932000074", ""},
		{"44306184100047", "44306184100047", ""},
		{"73282932000075", "", "clé de contrôle"},
		{"12345678000006", "", "clé de contrôle"}, // SIRET key right, SIREN key wrong
		{"7328293200007", "", "14 chiffres"},
		{"732829320000744", "", "14 chiffres"},
		{"7328293200007A", "", "14 chiffres"},
		{"", "", "14 chiffres"},
		// La Poste: the digits add up to a multiple of 5, Luhn or not.
		{"35600000049837", "35600000049837", ""},
		{"35600000000001", "35600000000001", ""},
		{"35600000000014", "", "clé de contrôle"},
		{"35600000059843", "", "clé de contrôle"},
		{"35600000000048", "35600000000048", ""}, // its head office follows Luhn
	}
	for _, tt := range tests {
		got, err := directory.NormalizeSIRET(tt.in)
		if tt.msg == "" {
			if err != nil || got != tt.want {
				t.Errorf("NormalizeSIRET(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || !strings.Contains(directory.ErrorMessage(err), tt.msg) || directory.ErrorCode(err) != directory.EINVALID {
			t.Errorf("NormalizeSIRET(%q) error = %v, want one saying %q", tt.in, err, tt.msg)
		}
	}
}

func TestCheckCodes(t *testing.T) {
	tests := []struct {
		check func(string) error
		in    string
		ok    bool
	}{
		{directory.CheckInseeCode, "86066", true},
		{directory.CheckInseeCode, "75056", true},
		{directory.CheckInseeCode, "01001", true},
		{directory.CheckInseeCode, "2A004", true},
		{directory.CheckInseeCode, "2B033", true},
		{directory.CheckInseeCode, "97411", true},
		{directory.CheckInseeCode, "97611", true},
		{directory.CheckInseeCode, "98735", true},
		{directory.CheckInseeCode, "2C004", false},
		{directory.CheckInseeCode, "2a004", false},
		{directory.CheckInseeCode, "20004", false},
		{directory.CheckInseeCode, "00123", false},
		{directory.CheckInseeCode, "99100", false},
		{directory.CheckInseeCode, "8606", false},
		{directory.CheckInseeCode, "860666", false},
		{directory.CheckInseeCode, "8606A", false},
		{directory.CheckInseeCode, "", false},
		{directory.CheckPostalCode, "86100", true},
		{directory.CheckPostalCode, "01000", true},
		{directory.CheckPostalCode, "20000", true},
		{directory.CheckPostalCode, "97400", true},
		{directory.CheckPostalCode, "8610", false},
		{directory.CheckPostalCode, "861000", false},
		{directory.CheckPostalCode, "2A000", false},
		{directory.CheckPostalCode, "00100", false},
		{directory.CheckPostalCode, "86 100", false},
		{directory.CheckEmail, "contact@exemple.fr", true},
		{directory.CheckEmail, "prenom.nom+service@mairie.exemple.org", true},
		{directory.CheckEmail, "Contact <contact@exemple.fr>", false},
		{directory.CheckEmail, "<contact@exemple.fr>", false},
		{directory.CheckEmail, "contact@exemple", false},
		{directory.CheckEmail, "contact@.fr", false},
		{directory.CheckEmail, "contact@exemple.", false},
		{directory.CheckEmail, "contact@exemple..fr", false},
		{directory.CheckEmail, "contact exemple.fr", false},
		{directory.CheckEmail, " contact@exemple.fr", false},
		{directory.CheckEmail, "a@b@exemple.fr", false},
		{directory.CheckEmail, "", false},
		{directory.CheckURL, "https://www.exemple.fr", true},
		{directory.CheckURL, "http://exemple.fr/aide?x=1#y", true},
		{directory.CheckURL, "HTTPS://EXEMPLE.FR", true},
		{directory.CheckURL, "https://exemple.fr:8443/a", true},
		{directory.CheckURL, "www.exemple.fr", false},
		{directory.CheckURL, "ftp://exemple.fr", false},
		{directory.CheckURL, "javascript:alert(1)", false},
		{directory.CheckURL, "https://", false},
		{directory.CheckURL, "https://intranet/page", false},
		{directory.CheckURL, "https://exemple.fr/une page", false},
		{directory.CheckURL, "https://exemple.fr/" + strings.Repeat("a", directory.URLMaxLen), false},
		{directory.CheckURL, "", false},
	}
	for _, tt := range tests {
		err := tt.check(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("check(%q) = %v, want ok %v", tt.in, err, tt.ok)
		}
		if err != nil && directory.ErrorCode(err) != directory.EINVALID {
			t.Errorf("check(%q): code %q, want %q", tt.in, directory.ErrorCode(err), directory.EINVALID)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want string }{ // want "" for an error
		{"01 23 45 67 89", "+33123456789"},
		{"01.23.45.67.89", "+33123456789"},
		{"01-23-45-67-89", "+33123456789"},
		{"0123456789", "+33123456789"},
		{" 06 12 34 56 78 ", "+33612345678"},
		{"+33 1 23 45 67 89", "+33123456789"},
		{"+33123456789", "+33123456789"},
		{"+33 (0)1 23 45 67 89", "+33123456789"},
		{"0033123456789", "+33123456789"},
		{"0033 1 23 45 67 89", "+33123456789"},
		{"09 72 72 39 49", "+33972723949"},
		{"0800 123 456", "+33800123456"},
		// Overseas départements keep their own country code.
		{"0262 12 34 56", "+262262123456"},
		{"0692 12 34 56", "+262692123456"},
		{"0693 12 34 56", "+262693123456"},
		{"0269 61 23 45", "+262269612345"},
		{"0639 12 34 56", "+262639123456"},
		{"0590 12 34 56", "+590590123456"},
		{"0690 12 34 56", "+590690123456"},
		{"0691 12 34 56", "+590691123456"},
		{"0594 12 34 56", "+594594123456"},
		{"0694 12 34 56", "+594694123456"},
		{"0596 12 34 56", "+596596123456"},
		{"0696 12 34 56", "+596696123456"},
		{"0697 12 34 56", "+596697123456"},
		{"+262 262 12 34 56", "+262262123456"},
		{"+262 692 12 34 56", "+262692123456"},
		{"+590 590 12 34 56", "+590590123456"},
		{"+33 6 92 12 34 56", "+262692123456"}, // +33 for La Réunion, a common slip
		{"+269 639 12 34 56", "+262639123456"}, // Mayotte's former code
		{"+269 773 12 34", "+2697731234"},      // the Comoros
		{"+262 6 12 34 56 78", ""},             // a metropolitan number
		// Overseas collectivities and abroad.
		{"+687 27 12 34", "+687271234"},
		{"+689 40 12 34 56", "+68940123456"},
		{"+508 41 12 34", "+508411234"},
		{"+681 72 12 34", "+681721234"},
		{"+687 27 12 34 5", ""},
		{"+32 2 123 45 67", "+3221234567"},
		{"+41 22 123 45 67", "+41221234567"},
		// Short numbers.
		{"3949", "3949"},
		{"39 19", "3919"},
		{"115", "115"},
		{"15", "15"},
		{"112", "112"},
		{"116 000", "116000"},
		{"1014", "1014"},
		// Errors.
		{"", ""},
		{"01 23 45 67", ""},
		{"01 23 45 67 89 0", ""},
		{"1 23 45 67 89", ""},
		{"00 23 45 67 89", ""},
		{"+33 0 23 45 67 89", ""},
		{"+33 0 23 45 67 89 1", "+33234567891"},
		{"+33 12345678", ""},
		{"+0123456789", ""},
		{"++33123456789", ""},
		{"+33 1 23 45 67 89 poste 12", ""},
		{"01 23 45 67 89 / 01 23 45 67 90", ""},
		{"tél. 01 23 45 67 89", ""},
		{"999", ""},
		{"42", ""},
		{"+", ""},
	}
	for _, tt := range tests {
		got, err := directory.NormalizePhone(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("NormalizePhone(%q) = %q, want an error", tt.in, got)
			} else if !strings.Contains(directory.ErrorMessage(err), "numéro de téléphone") {
				t.Errorf("NormalizePhone(%q): message %q", tt.in, directory.ErrorMessage(err))
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func ptrTo[T any](v T) *T { return &v }

func validService() directory.Service {
	return directory.Service{
		Name:              "Atelier mobilité",
		Description:       "Un atelier pour préparer le code de la route.",
		SourceLink:        "https://www.exemple.fr/atelier",
		Type:              "atelier",
		Thematiques:       []string{"mobilite--preparer-un-permis", "mobilite--financer-ma-mobilite"},
		Fees:              "gratuit",
		Publics:           []string{"jeunes", "demandeurs-emploi"},
		CommuneName:       "Châtellerault",
		PostalCode:        "86100",
		CodeInsee:         "86066",
		Address:           "1 rue de l’Exemple",
		Longitude:         ptrTo(0.546),
		Latitude:          ptrTo(46.817),
		Phone:             "05 49 00 00 00",
		Email:             "mobilite@exemple.fr",
		ReceptionModes:    []string{"en-presentiel", "a-distance"},
		EligibilityZone:   []directory.Zone{{Kind: directory.ZoneCommune, Code: "86066"}, {Kind: directory.ZoneDepartement, Code: "2A"}, directory.France},
		MobilisationLink:  "https://www.exemple.fr/inscription",
		MobilisationModes: []string{"telephoner", "envoyer-un-courriel"},
		MobilisableBy:     []string{"professionnels", "usagers"},
		OpeningHours:      "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
		WeeksCount:        ptrTo(3),
		WeeklyHours:       ptrTo(12.5),
		Status:            directory.StatusPublished,
		UpdateFrequency:   directory.FrequencyQuarterly,
	}
}

// fieldErrors returns the per-field messages of a validation error.
func fieldErrors(t *testing.T, err error) map[string]string {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *directory.Error
	if !errors.As(err, &e) || e.Code != directory.EINVALID {
		t.Fatalf("error %v is not an EINVALID *Error", err)
	}
	return e.Fields
}

func TestServiceValidate(t *testing.T) {
	s := validService()
	if err := s.Validate(); err != nil {
		t.Fatalf("valid service: %v", err)
	}
	if s.Phone != "+33549000000" {
		t.Errorf("phone kept as %q, want it normalised", s.Phone)
	}
	draft := directory.Service{}
	if err := draft.Validate(); err != nil {
		t.Errorf("empty draft: %v", err)
	}

	tests := []struct {
		name   string
		change func(*directory.Service)
		field  string
		msg    string
	}{
		{"short name", func(s *directory.Service) { s.Name = "Ab" }, "nom", "entre 3 et 150"},
		{"long name", func(s *directory.Service) { s.Name = strings.Repeat("é", 151) }, "nom", "entre 3 et 150"},
		{"short description", func(s *directory.Service) { s.Description = "Aide" }, "description", "entre 5 et 10\u00a0000"},
		{"long description", func(s *directory.Service) { s.Description = strings.Repeat("a", 10001) }, "description", "caractères"},
		{"source link", func(s *directory.Service) { s.SourceLink = "exemple.fr" }, "lien_source", "https://"},
		{"type", func(s *directory.Service) { s.Type = "permanence" }, "type", "« permanence »"},
		{"thematique", func(s *directory.Service) { s.Thematiques = []string{"mobilite"} }, "thematiques", "Thématique inconnue"},
		{"thematique twice", func(s *directory.Service) {
			s.Thematiques = []string{"famille--garde-denfants", "famille--garde-denfants"}
		}, "thematiques", "« Garde d’enfants » est indiqué deux fois"},
		{"frais", func(s *directory.Service) { s.Fees = "gratuit-sous-conditions" }, "frais", "Frais inconnus"},
		{"public", func(s *directory.Service) { s.Publics = []string{"retraites"} }, "publics", "Public inconnu"},
		{"tous publics with others", func(s *directory.Service) { s.Publics = []string{"tous-publics", "jeunes"} }, "publics", "Tous publics"},
		{"postal code", func(s *directory.Service) { s.PostalCode = "861" }, "code_postal", "5 chiffres"},
		{"insee code", func(s *directory.Service) { s.CodeInsee = "2C066" }, "code_insee", "INSEE"},
		{"latitude alone", func(s *directory.Service) { s.Longitude = nil }, "longitude", "latitude"},
		{"latitude range", func(s *directory.Service) { s.Latitude = ptrTo(91.0) }, "latitude", "-90 et 90"},
		{"longitude NaN", func(s *directory.Service) { s.Longitude = ptrTo(math.NaN()) }, "longitude", "-180 et 180"},
		{"phone", func(s *directory.Service) { s.Phone = "05 49 00" }, "telephone", "numéro de téléphone"},
		{"email", func(s *directory.Service) { s.Email = "mobilite@exemple" }, "courriel", "adresse électronique"},
		{"reception mode", func(s *directory.Service) { s.ReceptionModes = []string{"sur-place"} }, "modes_accueil", "Mode d’accueil inconnu"},
		{"zone kind", func(s *directory.Service) { s.EligibilityZone = []directory.Zone{{Kind: "pays", Code: "FR"}} }, "zone_eligibilite", "pays:FR"},
		{"zone commune", func(s *directory.Service) {
			s.EligibilityZone = []directory.Zone{{Kind: directory.ZoneCommune, Code: "20004"}}
		}, "zone_eligibilite", "Zone inconnue : commune « 20004 »."},
		{"zone epci", func(s *directory.Service) {
			s.EligibilityZone = []directory.Zone{{Kind: directory.ZoneEPCI, Code: "2000"}}
		}, "zone_eligibilite", "Zone inconnue"},
		{"zone france with a code", func(s *directory.Service) {
			s.EligibilityZone = []directory.Zone{{Kind: directory.ZoneFrance, Code: "FR"}}
		}, "zone_eligibilite", "Zone inconnue"},
		{"zone twice", func(s *directory.Service) {
			s.EligibilityZone = []directory.Zone{directory.France, directory.France}
		}, "zone_eligibilite", "La zone France est indiquée deux fois."},
		{"mobilisation link", func(s *directory.Service) { s.MobilisationLink = "mailto:a@exemple.fr" }, "lien_mobilisation", "https://"},
		{"mobilisation mode", func(s *directory.Service) { s.MobilisationModes = []string{"ecrire"} }, "modes_mobilisation", "inconnu"},
		{"mobilisable par", func(s *directory.Service) { s.MobilisableBy = []string{"tous"} }, "mobilisable_par", "« tous »"},
		{"opening hours", func(s *directory.Service) { s.OpeningHours = "Lundi 9h-12h" }, "horaires_accueil", "position 1"},
		{"weeks", func(s *directory.Service) { s.WeeksCount = ptrTo(0) }, "nombre_semaines", "au moins 1"},
		{"weekly hours", func(s *directory.Service) { s.WeeklyHours = ptrTo(-1.0) }, "volume_horaire_hebdomadaire", "entre 0 et 168"},
		{"status", func(s *directory.Service) { s.Status = "supprime" }, "statut", "Statut inconnu"},
		{"frequency", func(s *directory.Service) { s.UpdateFrequency = "hebdomadaire" }, "frequence_maj", "inconnue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validService()
			tt.change(&s)
			fields := fieldErrors(t, s.Validate())
			if len(fields) != 1 || !strings.Contains(fields[tt.field], tt.msg) {
				t.Errorf("fields %v, want only %s saying %q", fields, tt.field, tt.msg)
			}
		})
	}
}

func TestServiceValidateReportsEveryField(t *testing.T) {
	s := validService()
	s.Name, s.Phone, s.Email, s.OpeningHours = "A", "abc", "abc", "9h"
	fields := fieldErrors(t, s.Validate())
	want := []string{"courriel", "horaires_accueil", "nom", "telephone"}
	if got := slices.Sorted(maps.Keys(fields)); !slices.Equal(got, want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	if s.Phone != "abc" {
		t.Errorf("an invalid phone was changed to %q", s.Phone)
	}
}

func TestMissingForPublication(t *testing.T) {
	tests := []struct {
		name   string
		change func(*directory.Service)
		want   []string // parts of the missing labels, in order
	}{
		{"complete", func(*directory.Service) {}, nil},
		{"empty draft", func(s *directory.Service) { *s = directory.Service{} },
			[]string{"nom", "description", "thématique", "mode d’accueil", "zone", "moyen de mobiliser"}},
		{"blank name", func(s *directory.Service) { s.Name = "   " }, []string{"nom"}},
		{"no thematique", func(s *directory.Service) { s.Thematiques = nil }, []string{"thématique"}},
		{"no zone", func(s *directory.Service) { s.EligibilityZone = nil }, []string{"zone"}},
		{"on site without a place", func(s *directory.Service) {
			s.Address, s.CodeInsee, s.CommuneName, s.PostalCode = "", "", "", ""
		}, []string{"adresse"}},
		{"on site, reached at its address", func(s *directory.Service) {
			s.Phone, s.Email, s.MobilisationLink = "", "", ""
		}, nil},
		{"remote without contact", func(s *directory.Service) {
			s.ReceptionModes = []string{"a-distance"}
			s.Phone, s.Email, s.MobilisationLink = "", "", ""
		}, []string{"moyen de mobiliser"}},
		{"remote with a link", func(s *directory.Service) {
			s.ReceptionModes = []string{"a-distance"}
			s.Phone, s.Email, s.Address, s.CodeInsee, s.CommuneName = "", "", "", "", ""
		}, nil},
		{"on site, no place, no contact", func(s *directory.Service) {
			s.ReceptionModes = []string{"en-presentiel"}
			s.Phone, s.Email, s.MobilisationLink, s.Address, s.CodeInsee, s.CommuneName = "", "", "", "", "", ""
		}, []string{"adresse", "moyen de mobiliser"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validService()
			tt.change(&s)
			got := s.MissingForPublication()
			if len(got) != len(tt.want) {
				t.Fatalf("missing %q, want %d items like %q", got, len(tt.want), tt.want)
			}
			for i := range got {
				if !strings.Contains(strings.ToLower(got[i]), tt.want[i]) {
					t.Errorf("item %d is %q, want it to mention %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func validStructure() directory.Structure {
	return directory.Structure{
		Name:              "Centre social de l’Exemple",
		SIRET:             "732 829 320 00074",
		Description:       "Un centre social de quartier.",
		Address:           "2 place de l’Exemple",
		PostalCode:        "20000",
		CodeInsee:         "2A004",
		CommuneName:       "Ajaccio",
		Longitude:         ptrTo(8.74),
		Latitude:          ptrTo(41.92),
		Phone:             "+33 4 95 00 00 00",
		Email:             "accueil@exemple.fr",
		Website:           "https://www.exemple.fr",
		SourceLink:        "https://www.exemple.fr/structure",
		AccessibilityLink: "https://acceslibre.beta.gouv.fr/exemple",
		OpeningHours:      "Mo-Fr 09:00-12:00; We 14:00-17:00",
		Networks:          []string{"fcsf", "caf"},
	}
}

func TestStructureValidate(t *testing.T) {
	s := validStructure()
	if err := s.Validate(); err != nil {
		t.Fatalf("valid structure: %v", err)
	}
	if s.SIRET != "73282932000074" || s.Phone != "+33495000000" {
		t.Errorf("SIRET %q and phone %q, want them normalised", s.SIRET, s.Phone)
	}
	minimal := directory.Structure{Name: "CCAS"}
	if err := minimal.Validate(); err != nil {
		t.Errorf("structure with a name only: %v", err)
	}

	tests := []struct {
		name   string
		change func(*directory.Structure)
		field  string
		msg    string
	}{
		{"no name", func(s *directory.Structure) { s.Name = " " }, "nom", "obligatoire"},
		{"short name", func(s *directory.Structure) { s.Name = "AB" }, "nom", "entre 3 et 150"},
		{"siret length", func(s *directory.Structure) { s.SIRET = "732829320" }, "siret", "14 chiffres"},
		{"siret key", func(s *directory.Structure) { s.SIRET = "73282932000075" }, "siret", "clé de contrôle incorrecte"},
		{"description", func(s *directory.Structure) { s.Description = "CS" }, "description", "entre 5"},
		{"postal code", func(s *directory.Structure) { s.PostalCode = "2A000" }, "code_postal", "5 chiffres"},
		{"insee code", func(s *directory.Structure) { s.CodeInsee = "20004" }, "code_insee", "2A ou 2B"},
		{"phone", func(s *directory.Structure) { s.Phone = "04 95" }, "telephone", "numéro de téléphone"},
		{"email", func(s *directory.Structure) { s.Email = "Accueil <accueil@exemple.fr>" }, "courriel", "adresse électronique"},
		{"website", func(s *directory.Structure) { s.Website = "www.exemple.fr" }, "site_web", "https://"},
		{"source link", func(s *directory.Structure) { s.SourceLink = "/structure/1" }, "lien_source", "https://"},
		{"accessibility link", func(s *directory.Structure) { s.AccessibilityLink = "acceslibre" }, "accessibilite_lieu", "https://"},
		{"opening hours", func(s *directory.Structure) { s.OpeningHours = "Mo-Fr 09:00-12:00 SH off" }, "horaires_accueil", "« SH off »"},
		{"network", func(s *directory.Structure) { s.Networks = []string{"pole-emploi"} }, "reseaux_porteurs", "Réseau inconnu"},
		{"network twice", func(s *directory.Structure) { s.Networks = []string{"caf", "caf"} }, "reseaux_porteurs", "deux fois"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validStructure()
			tt.change(&s)
			fields := fieldErrors(t, s.Validate())
			if len(fields) != 1 || !strings.Contains(fields[tt.field], tt.msg) {
				t.Errorf("fields %v, want only %s saying %q", fields, tt.field, tt.msg)
			}
		})
	}
}
