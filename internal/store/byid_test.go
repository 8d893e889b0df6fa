package store

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/repere-spie/repere/internal/directory"
)

func TestServicesByID(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var svcs []*directory.Service
	var want []string
	for i := range 1200 { // more than one chunk
		svcs = append(svcs, testService(fmt.Sprintf("svc%04d", i)))
		if i%3 == 0 {
			want = append(want, svcs[i].ID)
		}
	}
	svcs[3].Status = directory.StatusDraft // any status: the caller decides what is shown
	if err := s.InsertServices(ctx, svcs); err != nil {
		t.Fatal(err)
	}
	got, err := s.ServicesByID(ctx, append(slices.Clone(want), "inconnu", `"quoted"`))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, svc := range got {
		ids = append(ids, svc.ID)
		if svc.Name != "Aide au permis de conduire" {
			t.Fatalf("decoded %+v", svc)
		}
	}
	slices.Sort(ids)
	if !slices.Equal(ids, want) {
		t.Fatalf("got %d services, want %d", len(ids), len(want))
	}
	if none, err := s.StructuresByID(ctx, []string{"x"}); err != nil || len(none) != 0 {
		t.Fatalf("structures of an empty collection: %v %v", none, err)
	}
}
