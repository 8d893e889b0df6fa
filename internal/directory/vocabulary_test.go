package directory_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/repere-spie/repere/internal/directory"
)

// referenceFile returns the path of a file of the shared reference folder:
// $REPERE_SHARED_DIR, or ../shared next to the module root.
func referenceFile(t *testing.T, parts ...string) string {
	t.Helper()
	dir := os.Getenv("REPERE_SHARED_DIR")
	if dir == "" {
		root, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(root)
			if parent == root {
				t.Fatal("go.mod not found above the test directory")
			}
			root = parent
		}
		dir = filepath.Join(root, "..", "shared")
	}
	return filepath.Join(append([]string{dir, "reference"}, parts...)...)
}

// corrections are the source typos fixed in vocabulary.go: file, value,
// field, the source text and ours. A correction the source no longer needs
// fails the test, so the list cannot rot.
var corrections = []struct{ file, value, field, source, ours string }{
	{"types-de-services", "aide-materielle", "label", "Aide materielle", "Aide matérielle"},
	{"reseaux-porteurs", "regions", "description", "desSolidarités", "des Solidarités"},
}

func corrected(t *testing.T, file string, term directory.Term, used map[int]bool) directory.Term {
	for i, c := range corrections {
		if c.file != file || c.value != term.Value {
			continue
		}
		field := &term.Label
		if c.field == "description" {
			field = &term.Description
		}
		if !strings.Contains(*field, c.source) {
			t.Errorf("%s %s: the source no longer reads %q; drop the correction", file, c.value, c.source)
		}
		*field = strings.Replace(*field, c.source, c.ours, 1)
		used[i] = true
	}
	return term
}

func readJSONTerms(t *testing.T, file string) []directory.Term {
	t.Helper()
	b, err := os.ReadFile(referenceFile(t, "data-inclusion-schema", "v1", file+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var items []struct {
		Value       string  `json:"value"`
		Label       string  `json:"label"`
		Description *string `json:"description"`
	}
	if err := json.Unmarshal(b, &items); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	terms := make([]directory.Term, len(items))
	for i, it := range items {
		terms[i] = directory.Term{Value: it.Value, Label: it.Label}
		if it.Description != nil {
			terms[i].Description = *it.Description
		}
	}
	return terms
}

func readCSVTerms(t *testing.T, file string) []directory.Term {
	t.Helper()
	f, err := os.Open(referenceFile(t, "data-inclusion", "v1-csv", file+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if len(rows) == 0 || !slices.Equal(rows[0], []string{"value", "label", "description"}) {
		t.Fatalf("%s: unexpected header", file)
	}
	var terms []directory.Term
	for _, r := range rows[1:] {
		terms = append(terms, directory.Term{Value: r[0], Label: r[1], Description: r[2]})
	}
	return terms
}

// readEnum returns the enum of a $defs entry of a v1 JSON Schema.
func readEnum(t *testing.T, schema, def string) []string {
	t.Helper()
	b, err := os.ReadFile(referenceFile(t, "data-inclusion-schema", "v1", schema+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Defs map[string]struct {
			Enum []string `json:"enum"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("%s: %v", schema, err)
	}
	enum, ok := s.Defs[def]
	if !ok {
		t.Fatalf("%s: no $defs.%s", schema, def)
	}
	return enum.Enum
}

// compareTerms reports every difference between the source terms and ours, in
// both directions.
func compareTerms(t *testing.T, source string, want, got []directory.Term) {
	t.Helper()
	ours := make(map[string]directory.Term, len(got))
	for _, term := range got {
		if _, dup := ours[term.Value]; dup {
			t.Errorf("%s: %q is twice in the Go table", source, term.Value)
		}
		ours[term.Value] = term
	}
	theirs := make(map[string]bool, len(want))
	for _, w := range want {
		theirs[w.Value] = true
		g, ok := ours[w.Value]
		if !ok {
			t.Errorf("%s: %q is missing from the Go table", source, w.Value)
			continue
		}
		if g != w {
			t.Errorf("%s: %q\n got  %q / %q\n want %q / %q", source, w.Value, g.Label, g.Description, w.Label, w.Description)
		}
	}
	for _, g := range got {
		if !theirs[g.Value] {
			t.Errorf("%s: %q is in the Go table but not in the source", source, g.Value)
		}
	}
}

func TestVocabulariesMatchSchema(t *testing.T) {
	tests := []struct {
		name      string
		vocab     *directory.Vocabulary
		file, csv string
		schema    string // JSON Schema holding the enum
		def       string
		size      int
	}{
		{"Thematiques", directory.Thematiques, "thematiques", "thematiques_v1", "service", "Thematique", 69},
		{"ServiceTypes", directory.ServiceTypes, "types-de-services", "types_de_services_v1", "service", "TypeService", 6},
		{"Fees", directory.Fees, "frais", "frais_v1", "service", "Frais", 2},
		{"Publics", directory.Publics, "publics", "publics_v1", "service", "Public", 14},
		{"ReceptionModes", directory.ReceptionModes, "modes-accueil", "modes_accueil_v1", "service", "ModeAccueil", 2},
		{"MobilisationModes", directory.MobilisationModes, "modes-mobilisation", "modes_mobilisation_v1", "service", "ModeMobilisation", 4},
		{"Mobilisers", directory.Mobilisers, "personnes-mobilisatrices", "personne_mobilisatrice_v1", "service", "PersonneMobilisatrice", 2},
		{"Networks", directory.Networks, "reseaux-porteurs", "reseaux_porteurs_v1", "structure", "ReseauPorteur", 108},
	}
	used := map[int]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.vocab.Terms()
			if len(got) != tt.size {
				t.Errorf("%d terms, want %d", len(got), tt.size)
			}

			jsonTerms := readJSONTerms(t, tt.file)
			for i := range jsonTerms {
				jsonTerms[i] = corrected(t, tt.file, jsonTerms[i], used)
			}
			compareTerms(t, tt.file+".json", jsonTerms, got)
			for i := range min(len(got), len(jsonTerms)) {
				if got[i].Value != jsonTerms[i].Value {
					t.Errorf("term %d is %q, want %q: keep the order of %s.json", i, got[i].Value, jsonTerms[i].Value, tt.file)
					break
				}
			}

			csvTerms := readCSVTerms(t, tt.csv)
			for i := range csvTerms {
				csvTerms[i] = corrected(t, tt.file, csvTerms[i], map[int]bool{})
			}
			compareTerms(t, tt.csv+".csv", csvTerms, got)

			enum := readEnum(t, tt.schema, tt.def)
			for _, v := range enum {
				if !tt.vocab.Has(v) {
					t.Errorf("%s.json $defs.%s: %q is missing from the Go table", tt.schema, tt.def, v)
				}
			}
			for _, term := range got {
				if !slices.Contains(enum, term.Value) {
					t.Errorf("%s.json $defs.%s: %q is not in the enum", tt.schema, tt.def, term.Value)
				}
			}
		})
	}
	for i, c := range corrections {
		if !used[i] {
			t.Errorf("correction of %s %s matches no term", c.file, c.value)
		}
	}
}

func TestThematiqueCategories(t *testing.T) {
	var fromSchema []string
	for _, term := range directory.Thematiques.Terms() {
		category, besoin, ok := strings.Cut(term.Value, "--")
		if !ok || besoin == "" {
			t.Errorf("%q is not of the form categorie--besoin", term.Value)
		}
		if !slices.Contains(fromSchema, category) {
			fromSchema = append(fromSchema, category)
		}
	}
	var ours []string
	for _, term := range directory.ThematiqueCategories.Terms() {
		ours = append(ours, term.Value)
		if term.Label == "" || term.Label == term.Value {
			t.Errorf("category %q has no French label", term.Value)
		}
	}
	if !slices.Equal(fromSchema, ours) {
		t.Errorf("categories differ:\n schema %v\n ours   %v", fromSchema, ours)
	}
	if len(ours) != 16 {
		t.Errorf("%d categories, want 16", len(ours))
	}

	// Where v0 had a category with the same slug, keep its label.
	b, err := os.ReadFile(referenceFile(t, "data-inclusion-schema", "v0", "thematiques.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v0 []directory.Term
	if err := json.Unmarshal(b, &v0); err != nil {
		t.Fatal(err)
	}
	shared := 0
	for _, term := range v0 {
		if directory.ThematiqueCategories.Has(term.Value) {
			shared++
			if got := directory.ThematiqueCategories.Label(term.Value); got != term.Label {
				t.Errorf("category %s: label %q, v0 says %q", term.Value, got, term.Label)
			}
		}
	}
	if shared < 10 {
		t.Errorf("only %d categories found in v0; is the v0 file right?", shared)
	}

	total := 0
	for _, category := range ours {
		list := directory.Besoins(category)
		if len(list) == 0 {
			t.Errorf("category %s has no besoin", category)
		}
		for _, v := range list {
			if directory.CategoryOf(v) != category {
				t.Errorf("CategoryOf(%q) = %q, want %q", v, directory.CategoryOf(v), category)
			}
		}
		total += len(list)
	}
	if total != len(directory.Thematiques.Terms()) {
		t.Errorf("Besoins cover %d thématiques, want %d", total, len(directory.Thematiques.Terms()))
	}
}

func TestCategoryOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"mobilite--preparer-un-permis", "mobilite"},
		{"mobilite--louer-un-vehicule", "mobilite"},
		{"mobilite", "mobilite"},
		{"souvrir-a-linternational--sorganiser-suite-a-son-retour-en-france", "souvrir-a-linternational"},
		{"inconnu--besoin", ""},
		{"", ""},
		{"--mobilite", ""},
	}
	for _, tt := range tests {
		if got := directory.CategoryOf(tt.in); got != tt.want {
			t.Errorf("CategoryOf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBesoins(t *testing.T) {
	got := directory.Besoins("lecture-ecriture-calcul")
	want := []string{"lecture-ecriture-calcul--maitriser-le-calcul", "lecture-ecriture-calcul--maitriser-le-francais"}
	if !slices.Equal(got, want) {
		t.Errorf("Besoins = %v, want %v", got, want)
	}
	got[0] = "changed"
	if directory.Besoins("lecture-ecriture-calcul")[0] == "changed" {
		t.Error("Besoins returns the package's own slice")
	}
	if got := directory.Besoins("inconnu"); got != nil {
		t.Errorf("Besoins(unknown) = %v, want nil", got)
	}
}

func TestVocabularyLookups(t *testing.T) {
	tests := []struct {
		vocab     *directory.Vocabulary
		value     string
		has       bool
		wantLabel string
	}{
		{directory.ReceptionModes, "a-distance", true, "À distance"},
		{directory.Publics, "tous-publics", true, "Tous publics"},
		{directory.ServiceTypes, "aide-materielle", true, "Aide matérielle"},
		{directory.Mobilisers, "usagers", true, "Usagers"},
		{directory.Thematiques, "famille--garde-denfants", true, "Garde d’enfants"},
		{directory.ThematiqueCategories, "logement-hebergement", true, "Logement et hébergement"},
		{directory.Fees, "sur-devis", false, "sur-devis"},
		{directory.Thematiques, "famille", false, "famille"},
		{directory.Networks, "", false, ""},
	}
	for _, tt := range tests {
		if got := tt.vocab.Has(tt.value); got != tt.has {
			t.Errorf("Has(%q) = %v, want %v", tt.value, got, tt.has)
		}
		if got := tt.vocab.Label(tt.value); got != tt.wantLabel {
			t.Errorf("Label(%q) = %q, want %q", tt.value, got, tt.wantLabel)
		}
	}

	terms := directory.Fees.Terms()
	terms[0].Label = "changed"
	if directory.Fees.Label(terms[0].Value) == "changed" {
		t.Error("Terms returns the package's own slice")
	}
}
