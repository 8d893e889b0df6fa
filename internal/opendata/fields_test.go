package opendata

import (
	"slices"
	"testing"

	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/datainclusion/schema"
)

// The field tables explain exactly the fields of the v1 schema.
func TestFieldsCoverTheSchema(t *testing.T) {
	for _, tt := range []struct {
		file   string
		fields []Field
	}{{"service.json", ServiceFields}, {"structure.json", StructureFields}} {
		s, err := schema.Load(apptest.SharedDir(t), tt.file)
		if err != nil {
			t.Fatal(err)
		}
		var want, got []string
		for name := range s.Properties {
			want = append(want, name)
		}
		for _, f := range tt.fields {
			if f.Description == "" {
				t.Errorf("%s: %s has no description", tt.file, f.Name)
			}
			got = append(got, f.Name)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: fields %v\nschema %v", tt.file, got, want)
		}
	}
}

func TestCursor(t *testing.T) {
	for _, id := range []string{"0000000000000000", "bench-publication-01", "a_b"} {
		if got, ok := DecodeCursor(string(EncodeCursor(id))); !ok || got != id {
			t.Errorf("%s: %q %v", id, got, ok)
		}
	}
	for _, bad := range []string{"", "!!", "JSc", string(EncodeCursor("Majuscule")), string(EncodeCursor("x y"))} {
		if _, ok := DecodeCursor(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}
