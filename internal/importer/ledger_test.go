package importer

import (
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/repere-spie/repere/internal/directory"
)

// storedService reads the fields of directory.Service by their stored
// names: a renamed field would make every re-import rewrite everything.
func TestStoredServiceFieldNames(t *testing.T) {
	gone := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	svc := &directory.Service{ID: "s1", StructureID: "st1", Source: "dora", Name: "Atelier", Thematiques: []string{"a", "b"},
		CodeInsee: "86194", Status: directory.StatusPublished, Description: "Long texte",
		Provenance: directory.Provenance{Feed: "datainclusion", Hash: "h", Missing: &gone, DuplicateOf: "s0"}}
	raw, err := bson.Marshal(svc)
	if err != nil {
		t.Fatal(err)
	}
	var got storedService
	if err := bson.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	p := got.Provenance
	if got.ID != svc.ID || got.StructureID != svc.StructureID || got.Source != svc.Source || got.Name != svc.Name ||
		!slices.Equal(got.Thematiques, svc.Thematiques) || got.CodeInsee != svc.CodeInsee || got.Status != svc.Status ||
		p.Feed != "datainclusion" || p.Hash != "h" || p.Missing == nil || !p.Missing.Equal(gone) || p.DuplicateOf != "s0" {
		t.Errorf("decoded %+v from %+v", got, svc)
	}
}
