package store

import (
	"context"
	"testing"
	"time"
)

func TestChangeLog(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	t0 := time.Now()
	if err := s.LogChange(ctx, "a", 1); err != nil {
		t.Fatal(err)
	}
	if err := s.LogChange(ctx, "b", 3); err != nil {
		t.Fatal(err)
	}
	got, err := s.ChangesSince(ctx, t0.Add(-time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ServiceID != "a" || got[1].ServiceID != "b" || got[1].Version != 3 {
		t.Fatalf("changes since t0: %+v", got)
	}
	if later, _ := s.ChangesSince(ctx, time.Now().Add(time.Second)); len(later) != 0 {
		t.Fatalf("changes since the future: %+v", later)
	}
	if n, err := s.PruneChanges(ctx, time.Now().Add(time.Second)); err != nil || n != 2 {
		t.Fatalf("prune: %d, %v", n, err)
	}
	if left, _ := s.ChangesSince(ctx, time.Time{}); len(left) != 0 {
		t.Fatalf("after prune: %+v", left)
	}
}
