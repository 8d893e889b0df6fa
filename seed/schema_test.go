package seed

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/repere-spie/repere/internal/datainclusion/schema"
	"github.com/repere-spie/repere/internal/directory"
)

func loadSchema(t *testing.T, name string) *schema.Schema {
	t.Helper()
	dir, err := sharedDir()
	if err != nil {
		t.Fatal(err)
	}
	s, err := schema.Load(dir, name)
	if err != nil {
		t.Fatal(err)
	}
	return s
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
				if errs := s.CheckObject(rec); len(errs) > 0 {
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
