package datainclusion

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

func sharedDir(t testing.TB) string {
	if d := os.Getenv("REPERE_SHARED_DIR"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal(errors.New("go.mod not found above the working directory"))
		}
		dir = parent
	}
}

// referenceValues reads the values of an enumeration of the schema.
func referenceValues(t *testing.T, version, file string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedDir(t), "reference", "data-inclusion-schema", version, file+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var items []struct{ Value string }
	if err := json.Unmarshal(b, &items); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		out = append(out, it.Value)
	}
	return out
}

// TestV0MappingCoversReference checks v0.csv value by value: every value of
// every v0 vocabulary has exactly one row, every row names a v0 value, and
// every target is a value of the v1 reference (or a v1 category for "--*").
// A value without target is reported as unmapped, with a note saying why.
func TestV0MappingCoversReference(t *testing.T) {
	v1 := map[string][]string{
		V0Thematiques:     referenceValues(t, "v1", "thematiques"),
		V0Profils:         referenceValues(t, "v1", "publics"),
		V0Frais:           referenceValues(t, "v1", "frais"),
		V0TypesServices:   referenceValues(t, "v1", "types-de-services"),
		V0ModesAccueil:    referenceValues(t, "v1", "modes-accueil"),
		V0OrientationPro:  referenceValues(t, "v1", "modes-mobilisation"),
		V0TypesStructures: referenceValues(t, "v1", "reseaux-porteurs"),
		V0ZoneTypes:       {"commune", "epci", "departement", "region", "france"},
	}
	v1[V0OrientationUsager] = v1[V0OrientationPro]
	v1[V0LabelsNationaux] = v1[V0TypesStructures]
	categories := map[string]bool{}
	for _, th := range v1[V0Thematiques] {
		c, _, _ := strings.Cut(th, "--")
		categories[c] = true
	}
	seen := map[string]bool{}
	for _, term := range V0Terms() {
		key := term.Vocabulary + "/" + term.Value
		if seen[key] {
			t.Errorf("%s: two rows", key)
		}
		seen[key] = true
		if !slices.Contains(referenceValues(t, "v0", term.Vocabulary), term.Value) {
			t.Errorf("%s: not a value of the v0 reference", key)
		}
		for _, x := range term.V1 {
			if c, ok := strings.CutSuffix(x, "--*"); ok && term.Vocabulary == V0Thematiques {
				if !categories[c] {
					t.Errorf("%s: %q is no v1 category", key, x)
				}
			} else if !slices.Contains(v1[term.Vocabulary], x) {
				t.Errorf("%s: %q is not a v1 value", key, x)
			}
		}
		if len(term.V1) == 0 && term.Note == "" && !strings.EqualFold(term.Value, "autre") {
			t.Errorf("%s: unmapped without a note", key)
		}
		// What the mapping reports for the value alone.
		got, unmapped := MapV0(term.Vocabulary, []string{term.Value})
		if len(term.V1) == 0 {
			if len(got) != 0 || !slices.Equal(unmapped, []string{term.Value}) {
				t.Errorf("%s: want reported unmapped, got %v / %v", key, got, unmapped)
			}
		} else if len(got) == 0 || len(unmapped) != 0 {
			t.Errorf("%s: want mapped, got %v / %v", key, got, unmapped)
		}
	}
	for voc := range v1 {
		for _, v := range referenceValues(t, "v0", voc) {
			if !seen[voc+"/"+v] {
				t.Errorf("%s/%s: v0 value without a row", voc, v)
			}
		}
	}
	// The domain's vocabularies are the v1 reference (vocabulary_test.go):
	// every mapped value is accepted by validation.
	for _, term := range V0Terms() {
		if term.Vocabulary != V0Thematiques {
			continue
		}
		got, _ := MapV0(V0Thematiques, []string{term.Value})
		for _, x := range got {
			if !directory.Thematiques.Has(x) {
				t.Errorf("%s: %s unknown to the domain", term.Value, x)
			}
		}
	}
}

func TestMapV0Thematiques(t *testing.T) {
	// A category alone stands for all its besoins; beside a precise besoin
	// of the same category it adds nothing.
	got, unmapped := MapV0(V0Thematiques, []string{"mobilite", "mobilite--louer-un-vehicule", "Handicap", "inconnue"})
	if !slices.Equal(got, []string{"mobilite--acceder-a-un-vehicule"}) {
		t.Errorf("got %v", got)
	}
	if !slices.Equal(unmapped, []string{"Handicap", "inconnue"}) {
		t.Errorf("unmapped %v", unmapped)
	}
	got, _ = MapV0(V0Thematiques, []string{"famille"})
	if !slices.Equal(got, directory.Besoins("famille")) {
		t.Errorf("famille: got %v", got)
	}
}

func TestV0ServiceFromExtract(t *testing.T) {
	// A record of the pilotage extracts: capitalised keys, Postgres arrays,
	// decimal commas, empty strings.
	raw := `{"Service ID": "s1", "Structure ID": "st1", "Source": "fredo", "Nom": "Garantie Visale",
	  "Thematiques": "{mobilite--aides-a-la-reprise-demploi-ou-a-la-formation,logement-hebergement,logement-hebergement--etre-accompagne-pour-se-loger}",
	  "Frais": "{payant,gratuit-sous-conditions}", "Profils": "{salaries,jeunes,locataires}",
	  "Commune": "Saint-Denis", "Code Postal": "97400", "Code Insee": "", "Adresse": "97 Rue de la République",
	  "Long": "55,44652200", "Lat": "-20,88145500", "Année-creation": "", "Modes Accueil": "{en-presentiel,a-distance}"}`
	v, err := DecodeV0Service([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	s, w, err := v.ToV1(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if s.Provenance.ExternalID != "s1" || s.StructureID != "st1" || s.Source != "fredo" || s.Name != "Garantie Visale" {
		t.Errorf("identity: %+v", s)
	}
	wantTh := []string{"mobilite--financer-ma-mobilite", "logement-hebergement--louer-un-logement"}
	if !slices.Equal(s.Thematiques, wantTh) {
		t.Errorf("thematiques %v", s.Thematiques)
	}
	if !slices.Equal(s.Publics, []string{"actifs", "jeunes"}) || s.Fees != "payant" || s.FeesDetails != "Gratuit sous conditions" {
		t.Errorf("publics %v frais %q %q", s.Publics, s.Fees, s.FeesDetails)
	}
	if s.Longitude == nil || *s.Longitude != 55.446522 || *s.Latitude != -20.881455 || s.CodeInsee != "" || s.PostalCode != "97400" {
		t.Errorf("place %v %v %q", s.Longitude, s.Latitude, s.CodeInsee)
	}
	if !slices.Equal(s.ReceptionModes, []string{"en-presentiel", "a-distance"}) {
		t.Errorf("modes %v", s.ReceptionModes)
	}
	if len(w) != 1 || !strings.Contains(w[0], "locataires") {
		t.Errorf("warnings %v", w)
	}
}

func TestV0ServiceSuspended(t *testing.T) {
	v, err := DecodeV0Service([]byte(`{"id":"x","structure_id":"y","source":"s","nom":"Atelier","date_maj":"2024-01-01","date_suspension":"2024-06-30"}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := v.ToV1(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil || !strings.Contains(err.Error(), "30 juin 2024") {
		t.Errorf("err %v", err)
	}
}
