package schema

import (
	"testing"

	"github.com/repere-spie/repere/internal/app/apptest"
)

func load(t *testing.T, name string) *Schema {
	t.Helper()
	s, err := Load(apptest.SharedDir(t), name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSchemaChecker makes sure the checker rejects what it must.
func TestSchemaChecker(t *testing.T) {
	s := load(t, "service.json")
	good := map[string]any{}
	for name := range s.Properties {
		good[name] = nil
	}
	for k, v := range map[string]any{"source": "x", "structure_id": "x", "id": "x", "nom": "Nom", "description": "Une description", "date_maj": "2026-05-01"} {
		good[k] = v
	}
	if errs := s.CheckObject(good); len(errs) > 0 {
		t.Fatalf("minimal record rejected: %v", errs)
	}
	tests := []struct {
		field string
		value any
	}{
		{"code_postal", "8610"},
		{"code_insee", "8606"},
		{"frais", "cher"},
		{"thematiques", []any{"mobilite"}},
		{"publics", []any{}},
		{"modes_accueil", []any{"a-distance", "a-distance"}},
		{"zone_eligibilite", []any{"europe"}},
		{"nombre_semaines", 0.0},
		{"nom", "ab"},
		{"date_maj", "12/05/2026"},
		{"courriel", "pas une adresse"},
		{"lien_mobilisation", "www.example.org"},
		{"latitude", "46.8"},
		{"description", nil},
		{"autre", "x"},
	}
	for _, tt := range tests {
		rec := maps(good)
		rec[tt.field] = tt.value
		if errs := s.CheckObject(rec); len(errs) == 0 {
			t.Errorf("%s = %v accepted", tt.field, tt.value)
		}
	}
	st := load(t, "structure.json")
	rec := map[string]any{}
	for name := range st.Properties {
		rec[name] = nil
	}
	for k, v := range map[string]any{"source": "x", "id": "x", "nom": "Nom", "date_maj": "2026-05-01", "siret": "1234567890123"} {
		rec[k] = v
	}
	if errs := st.CheckObject(rec); len(errs) != 1 {
		t.Errorf("a 13-digit SIRET gave %v", errs)
	}
}

func maps(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
