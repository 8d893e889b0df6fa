package seed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/repere-spie/repere/internal/directory"
)

// schema is the part of JSON Schema that the data·inclusion v1 files use.
type schema struct {
	Ref         string             `json:"$ref"`
	Defs        map[string]*schema `json:"$defs"`
	Type        string             `json:"type"`
	AnyOf       []*schema          `json:"anyOf"`
	Enum        []string           `json:"enum"`
	Const       *string            `json:"const"`
	MinLength   *int               `json:"minLength"`
	MaxLength   *int               `json:"maxLength"`
	Pattern     string             `json:"pattern"`
	Format      string             `json:"format"`
	Minimum     *float64           `json:"minimum"`
	Items       *schema            `json:"items"`
	MinItems    *int               `json:"minItems"`
	UniqueItems bool               `json:"uniqueItems"`
	Properties  map[string]*schema `json:"properties"`
	Required    []string           `json:"required"`
}

func loadSchema(t *testing.T, name string) *schema {
	t.Helper()
	dir, err := sharedDir()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "reference", "data-inclusion-schema", "v1", name))
	if err != nil {
		t.Fatal(err)
	}
	var s schema
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// check returns why v does not match s, or "" when it does. root resolves
// $ref to #/$defs.
func (s *schema) check(root *schema, v any) string {
	if s.Ref != "" {
		def := root.Defs[strings.TrimPrefix(s.Ref, "#/$defs/")]
		if def == nil {
			return "unknown $ref " + s.Ref
		}
		return def.check(root, v)
	}
	if len(s.AnyOf) > 0 {
		var why []string
		for _, alt := range s.AnyOf {
			msg := alt.check(root, v)
			if msg == "" {
				return ""
			}
			why = append(why, msg)
		}
		return "matches no alternative: " + strings.Join(why, "; ")
	}
	switch s.Type {
	case "null":
		if v != nil {
			return "not null"
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			return fmt.Sprintf("%v is not a string", v)
		}
		return s.checkString(str)
	case "number", "integer":
		n, ok := v.(float64)
		if !ok {
			return fmt.Sprintf("%v is not a number", v)
		}
		if s.Type == "integer" && n != math.Trunc(n) {
			return fmt.Sprintf("%v is not an integer", n)
		}
		if s.Minimum != nil && n < *s.Minimum {
			return fmt.Sprintf("%v is below %v", n, *s.Minimum)
		}
	case "array":
		list, ok := v.([]any)
		if !ok {
			return fmt.Sprintf("%v is not an array", v)
		}
		if s.MinItems != nil && len(list) < *s.MinItems {
			return fmt.Sprintf("fewer than %d items", *s.MinItems)
		}
		for i, item := range list {
			if s.UniqueItems && slices.Contains(list[:i], item) {
				return fmt.Sprintf("%v appears twice", item)
			}
			if s.Items != nil {
				if msg := s.Items.check(root, item); msg != "" {
					return fmt.Sprintf("item %d: %s", i, msg)
				}
			}
		}
	default:
		return "unsupported schema type " + s.Type
	}
	return ""
}

func (s *schema) checkString(v string) string {
	n := utf8.RuneCountInString(v)
	switch {
	case s.Const != nil && v != *s.Const:
		return fmt.Sprintf("%q is not %q", v, *s.Const)
	case len(s.Enum) > 0 && !slices.Contains(s.Enum, v):
		return fmt.Sprintf("%q is not in the enum", v)
	case s.MinLength != nil && n < *s.MinLength:
		return fmt.Sprintf("%q is shorter than %d", v, *s.MinLength)
	case s.MaxLength != nil && n > *s.MaxLength:
		return fmt.Sprintf("%q is longer than %d", v, *s.MaxLength)
	case s.Pattern != "" && !regexp.MustCompile(s.Pattern).MatchString(v):
		return fmt.Sprintf("%q does not match %s", v, s.Pattern)
	}
	switch s.Format {
	case "date":
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return fmt.Sprintf("%q is not a date", v)
		}
	case "email":
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
			return fmt.Sprintf("%q is not an e-mail address", v)
		}
	case "uri":
		if u, err := url.Parse(v); err != nil || !u.IsAbs() || u.Host == "" {
			return fmt.Sprintf("%q is not an absolute URI", v)
		}
	}
	return ""
}

// checkObject checks a record: exactly the schema's properties, the required
// ones not null, each value valid.
func (s *schema) checkObject(rec map[string]any) []string {
	var errs []string
	for name := range rec {
		if s.Properties[name] == nil {
			errs = append(errs, "unknown field "+name)
		}
	}
	for name, prop := range s.Properties {
		v, ok := rec[name]
		if !ok {
			errs = append(errs, "missing field "+name)
			continue
		}
		if v == nil && slices.Contains(s.Required, name) {
			errs = append(errs, "required field "+name+" is null")
			continue
		}
		if msg := prop.check(s, v); msg != "" {
			errs = append(errs, name+": "+msg)
		}
	}
	slices.Sort(errs)
	return errs
}

func TestDataInclusionSchema(t *testing.T) {
	g := loadGeography(t)
	var st, sv bytes.Buffer
	if err := WriteDataInclusion(&st, &sv, g, Options{Seed: 1, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	d := defaultDataset(t)
	visible := 0
	for _, s := range d.services {
		if s.Visible(testNow) {
			visible++
		}
	}
	tests := []struct {
		file string
		data []byte
		want int
	}{
		{"structure.json", st.Bytes(), len(d.structures)},
		{"service.json", sv.Bytes(), visible},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s := loadSchema(t, tt.file)
			var records []map[string]any
			if err := json.Unmarshal(tt.data, &records); err != nil {
				t.Fatal(err)
			}
			if len(records) != tt.want {
				t.Errorf("%d records, want %d", len(records), tt.want)
			}
			failures := 0
			for i, rec := range records {
				if errs := s.checkObject(rec); len(errs) > 0 {
					if failures++; failures <= 10 {
						t.Errorf("record %d (%v): %s", i, rec["id"], strings.Join(errs, "\n\t"))
					}
				}
			}
		})
	}

	// Zones lose their kind; a région becomes its départements.
	var records []struct {
		ID   string   `json:"id"`
		Zone []string `json:"zone_eligibilite"`
	}
	if err := json.Unmarshal(sv.Bytes(), &records); err != nil {
		t.Fatal(err)
	}
	zones := map[string][]string{}
	for _, r := range records {
		zones[r.ID] = r.Zone
	}
	seen := map[directory.ZoneKind]bool{}
	for _, s := range d.services {
		z := s.EligibilityZone[0]
		if !s.Visible(testNow) || len(s.EligibilityZone) > 1 || seen[z.Kind] {
			continue
		}
		seen[z.Kind] = true
		want := []string{z.Code}
		switch z.Kind {
		case directory.ZoneFrance:
			want = []string{"france"}
		case directory.ZoneRegion:
			want = nil
			for _, dep := range g.Departements {
				if dep.Region == z.Code {
					want = append(want, dep.Code)
				}
			}
		}
		if !slices.Equal(zones[s.ID], want) {
			t.Errorf("zone %s exported as %v, want %v", z.Key(), zones[s.ID], want)
		}
	}
	if len(seen) != 5 {
		t.Errorf("zone kinds checked: %v, want all five", seen)
	}
}

// TestSchemaChecker makes sure the checker rejects what it must.
func TestSchemaChecker(t *testing.T) {
	s := loadSchema(t, "service.json")
	good := map[string]any{}
	for name := range s.Properties {
		good[name] = nil
	}
	for k, v := range map[string]any{"source": "x", "structure_id": "x", "id": "x", "nom": "Nom", "description": "Une description", "date_maj": "2026-05-01"} {
		good[k] = v
	}
	if errs := s.checkObject(good); len(errs) > 0 {
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
		if errs := s.checkObject(rec); len(errs) == 0 {
			t.Errorf("%s = %v accepted", tt.field, tt.value)
		}
	}
	st := loadSchema(t, "structure.json")
	rec := map[string]any{}
	for name := range st.Properties {
		rec[name] = nil
	}
	for k, v := range map[string]any{"source": "x", "id": "x", "nom": "Nom", "date_maj": "2026-05-01", "siret": "1234567890123"} {
		rec[k] = v
	}
	if errs := st.checkObject(rec); len(errs) != 1 {
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
