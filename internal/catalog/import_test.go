package catalog

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

// An import's batches are stored before Write returns and indexed behind
// it: once closed, the store, the change log and the index agree, a service
// a partner saved meanwhile is handed back instead of overwritten, and the
// index uses the structures as they were when each batch was written.
func TestImportBatchesReachStoreLogAndIndex(t *testing.T) {
	c, s, ix := setup(t)
	ctx := context.Background()
	start := time.Now().Add(-time.Second)
	structures := map[string]*directory.Structure{"st": {ID: "st", Name: "Maison Pangolin"}}
	structureOf := func(id string) *directory.Structure { return structures[id] }

	imp := c.NewImport(map[string]bool{"refusee": true})
	var first []Imported
	for i := range 1200 {
		svc := service(fmt.Sprintf("Atelier Axolotl %d", i))
		svc.ID = fmt.Sprintf("s%04d", i)
		first = append(first, Imported{Service: svc})
	}
	hidden := service("Atelier Tarsier")
	hidden.ID, hidden.StructureID = "hidden", "refusee"
	first = append(first, Imported{Service: hidden})
	for start := 0; start < len(first); start += 500 {
		if conflicts, err := imp.Write(ctx, first[start:min(start+500, len(first))], structureOf); err != nil || conflicts != nil {
			t.Fatalf("write: %v, conflicts %v", err, conflicts)
		}
	}
	// The caller's maps change once Write returned: the index keeps what
	// Write saw.
	structures["st"] = &directory.Structure{ID: "st", Name: "Maison Renommée"}
	if err := imp.Sync(); err != nil {
		t.Fatal(err)
	}
	if n := found(t, ix, "axolotl"); n != 1200 {
		t.Fatalf("after Sync: %d results, want 1200", n)
	}
	if n := found(t, ix, "pangolin"); n != 1200 {
		t.Errorf("structure name as written: %d results, want 1200", n)
	}
	if n := found(t, ix, "tarsier"); n != 0 {
		t.Errorf("a refused structure's service is searchable (%d)", n)
	}

	// A partner saves s0001 meanwhile; the import's new versions of s0000
	// and s0001 were read before.
	prev0, _ := s.Service(ctx, "s0000")
	prev1, _ := s.Service(ctx, "s0001")
	edited := *prev1
	edited.Name = "Atelier Axolotl modifié par la structure"
	if err := c.UpdateService(ctx, &edited); err != nil {
		t.Fatal(err)
	}
	next0, next1 := *prev0, *prev1
	next0.Name, next1.Name = "Atelier Capybara", "Atelier Capybara bis"
	conflicts, err := imp.Write(ctx, []Imported{{Service: &next0, Prev: prev0}, {Service: &next1, Prev: prev1}}, structureOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(conflicts) != 1 || conflicts[0].ID != "s0001" {
		t.Fatalf("conflicts = %v, want s0001", conflicts)
	}
	if err := imp.Close(); err != nil {
		t.Fatal(err)
	}
	if n := found(t, ix, "capybara"); n != 1 {
		t.Errorf("capybara: %d results, want 1 (s0001 kept the partner's version)", n)
	}
	if got, _ := s.Service(ctx, "s0001"); got.Name != edited.Name {
		t.Errorf("the import overwrote a partner's save: %q", got.Name)
	}

	if n, err := s.CountServices(ctx); err != nil || n != 1201 {
		t.Errorf("store holds %d services (%v), want 1201", n, err)
	}
	versions, err := ix.Versions()
	if err != nil {
		t.Fatal(err)
	}
	changes, err := s.ChangesSince(ctx, start)
	if err != nil {
		t.Fatal(err)
	}
	logged := map[string]int64{}
	for _, ch := range changes {
		logged[ch.ServiceID] = max(logged[ch.ServiceID], ch.Version)
	}
	err = s.EachService(ctx, func(svc *directory.Service) error {
		if versions[svc.ID] != svc.Version {
			t.Errorf("%s: index at version %d, store at %d", svc.ID, versions[svc.ID], svc.Version)
		}
		if logged[svc.ID] < svc.Version {
			t.Errorf("%s: change log says version %d, store holds %d", svc.ID, logged[svc.ID], svc.Version)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Two batches of 500, one of 201, the two updates in one, the partner's save.
	docs := map[any]bool{}
	for _, ch := range changes {
		docs[ch.ID] = true
	}
	if len(docs) != 5 {
		t.Errorf("%d change-log documents, want 5 (one per batch, one for the partner's save)", len(docs))
	}
}
