package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

func TestHistoryKeepsTheLastEntries(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	key := ServiceHistoryKey("svc1")
	if h, err := s.History(ctx, key); err != nil || len(h) != 0 {
		t.Fatalf("history of a new record = %v, %v; want none", h, err)
	}
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	svc := testService("svc1")
	if err := s.AppendHistory(ctx, key, directory.HistoryEntry{At: at, UserID: "u1", UserName: "Camille", Action: "Créer un service",
		Version: 1, Service: svc, Changes: []directory.FieldChange{{Field: "Nom", After: svc.Name}}}); err != nil {
		t.Fatal(err)
	}
	h, err := s.History(ctx, key)
	if err != nil || len(h) != 1 {
		t.Fatalf("history = %v, %v; want one entry", h, err)
	}
	if e := h[0]; !e.At.Equal(at) || e.UserName != "Camille" || e.Version != 1 || e.Service == nil ||
		e.Service.Name != svc.Name || len(e.Changes) != 1 || e.Changes[0].After != svc.Name {
		t.Errorf("entry read back = %+v", e)
	}
	if other, _ := s.History(ctx, StructureHistoryKey("svc1")); len(other) != 0 {
		t.Errorf("a structure with the same id shares the service's history: %v", other)
	}

	// Concurrent appends all land; the oldest are dropped past MaxHistory.
	var wg sync.WaitGroup
	for i := range MaxHistory + 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.AppendHistory(ctx, key, directory.HistoryEntry{At: at.Add(time.Duration(i+1) * time.Minute),
				Action: fmt.Sprint(i), Version: int64(i + 2)}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	h, err = s.History(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != MaxHistory {
		t.Fatalf("%d entries kept, want %d", len(h), MaxHistory)
	}
	seen := map[int64]bool{}
	for _, e := range h {
		seen[e.Version] = true
	}
	if seen[1] {
		t.Error("the oldest entry was kept past the limit")
	}
	if len(seen) != MaxHistory {
		t.Errorf("%d distinct entries, want %d: some were lost or doubled", len(seen), MaxHistory)
	}
}
