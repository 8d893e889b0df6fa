package importer

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/datainclusion"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/seed"
)

// The demo data exported as data·inclusion v1 and imported into an empty
// store gives the same services: every field of the v1 record, dates to the
// day, structures linked as they were.
func TestDemoRoundTrip(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	g, _ := apptest.Geography(t)
	opt := seed.Options{Seed: 7, Services: 600, Now: time.Date(2026, 2, 1, 0, 0, 0, 0, directory.Paris)}
	dir := t.TempDir()
	stf, _ := os.Create(filepath.Join(dir, "structures.json"))
	svf, _ := os.Create(filepath.Join(dir, "services.json"))
	if err := seed.WriteDataInclusion(stf, svf, g, opt); err != nil {
		t.Fatal(err)
	}
	stf.Close()
	svf.Close()
	e.now = opt.Now.Add(time.Hour)
	rep := e.run(&DirReader{Dir: dir, Now: func() time.Time { return e.now }}, Options{})
	if rep.Rejected != 0 || rep.Warnings != 0 || rep.Duplicates != 0 {
		t.Fatalf("%+v", rep)
	}
	regionDeps := map[string][]string{}
	for _, d := range g.Departements {
		regionDeps[d.Region] = append(regionDeps[d.Region], d.Code)
	}
	// The import knows the records by the exporter's ids.
	structures := map[string]string{} // exported id → imported id
	err := e.store.EachStructure(ctx, func(st *directory.Structure) error {
		structures[st.Provenance.ExternalID] = st.ID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	err = seed.Generate(g, opt, func(st *directory.Structure, svcs []*directory.Service) error {
		for _, want := range svcs {
			if !want.Visible(opt.Now) {
				continue // the export holds visible services only
			}
			got, err := e.store.Service(ctx, stableID("service", DataInclusionFeed.Name, want.Source, want.ID))
			if err != nil {
				t.Errorf("service %s not imported: %v", want.ID, err)
				continue
			}
			if got.StructureID != structures[want.StructureID] {
				t.Errorf("%s: structure %s, want the import of %s", want.ID, got.StructureID, want.StructureID)
			}
			a, b := v1(t, want, regionDeps), v1(t, got, regionDeps)
			a["id"], a["structure_id"], b["id"], b["structure_id"] = nil, nil, nil, nil
			if want.Latitude == nil && got.Provenance.Position == directory.PositionCommune {
				// Placed at the centre of its commune, as every import does, and said so.
				b["latitude"], b["longitude"] = nil, nil
			}
			if !reflect.DeepEqual(a, b) {
				for k := range a {
					if !reflect.DeepEqual(a[k], b[k]) {
						t.Errorf("%s: %s = %v, want %v", want.ID, k, b[k], a[k])
					}
				}
			}
			compared++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if compared != rep.New || compared < 400 {
		t.Errorf("compared %d services, imported %d", compared, rep.New)
	}
}

// v1 is a service as its data·inclusion record, decoded as generic JSON.
func v1(t *testing.T, s *directory.Service, regionDeps map[string][]string) map[string]any {
	b, err := json.Marshal(datainclusion.FromService(s, regionDeps))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
