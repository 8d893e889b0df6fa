package catalog

import (
	"context"
	"errors"
	"testing"

	"github.com/repere-spie/repere/internal/directory"
)

var camille = Edit{By: directory.Author{UserID: "u1", Name: "Camille Martin"}, Action: "Modifier un service"}

// The catalog performs the whole write of an edit: validation, version
// check, publication rules, and the history with the fields changed.
func TestEditsAreValidatedAndRecorded(t *testing.T) {
	c, _, ix := setup(t)
	ctx := context.Background()
	draft := service("Garage solidaire Quetzal")
	draft.Status, draft.Description, draft.ReceptionModes = directory.StatusDraft, "", nil
	if err := c.Create(ctx, &directory.Service{StructureID: "st", Source: "test"}, camille); directory.ErrorCode(err) != directory.EINVALID {
		t.Fatalf("a service without a name: %v, want EINVALID", err)
	}
	if err := c.Create(ctx, draft, camille); err != nil {
		t.Fatal(err)
	}

	// Publishing needs what a professional acts on: nothing is written.
	next := *draft
	var incomplete *IncompleteError
	if err := c.Publish(ctx, draft, &next, camille); !errors.As(err, &incomplete) || len(incomplete.Missing) == 0 ||
		directory.ErrorCode(err) != directory.EINVALID {
		t.Fatalf("publishing an incomplete draft: %v", err)
	}
	if stored, _ := c.Service(ctx, draft.ID); stored.Status != directory.StatusDraft || stored.Version != draft.Version {
		t.Fatalf("a refused publication wrote %+v", stored)
	}
	next = *draft
	next.Description, next.ReceptionModes, next.Phone = "Des réparations à petit prix pour aller travailler.", []string{"a-distance"}, "+33549000001"
	if err := c.Publish(ctx, draft, &next, camille); err != nil {
		t.Fatal(err)
	}
	if found(t, ix, "Quetzal") != 1 {
		t.Fatal("the published service is not searchable")
	}

	// An edit from a version someone saved over is a conflict.
	stale := *draft
	stale.Name = "Garage solidaire (ancien)"
	if err := c.Update(ctx, draft, &stale, camille); directory.ErrorCode(err) != directory.ECONFLICT {
		t.Fatalf("edit of a stale version: %v, want ECONFLICT", err)
	}

	h, err := c.History(ctx, draft.ID)
	if err != nil || len(h) != 2 {
		t.Fatalf("history %+v, %v; want the creation and the publication", h, err)
	}
	last := h[1]
	if last.UserName != "Camille Martin" || last.Version != next.Version || last.Service == nil || last.Service.Version != next.Version {
		t.Errorf("history entry %+v", last)
	}
	changed := map[string]bool{}
	for _, ch := range last.Changes {
		changed[ch.Field] = true
	}
	if !changed["Description"] || !changed["Modes d’accueil"] || !changed["Téléphone"] || !changed["Statut"] || changed["Nom du service"] {
		t.Errorf("changes %+v; want the description, the reception modes and the status", last.Changes)
	}
}

// A write the index cannot take is saved all the same: the store is the
// truth, and reconciliation catches the index up.
func TestIndexLagIsNotAFailedWrite(t *testing.T) {
	c, _, ix := setup(t)
	ctx := context.Background()
	svc := service("Atelier vélo Zorglub")
	if err := c.Create(ctx, svc, camille); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	after, err := c.Change(ctx, svc.ID, camille, func(s *directory.Service) error {
		s.Status = directory.StatusArchived
		return nil
	})
	if err != nil {
		t.Fatalf("a write the index missed: %v, want success", err)
	}
	if stored, _ := c.Service(ctx, svc.ID); stored.Status != directory.StatusArchived || stored.Version != after.Version {
		t.Fatalf("stored %+v", stored)
	}
}
