package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/directory"
)

// With REPERE_SYNC_URL set, the daily job imports the data·inclusion API
// once per day, at the configured time.
func TestDailySync(t *testing.T) {
	ctx := context.Background()
	var calls atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer jeton" || r.URL.Query().Get("code_departement") != "86" {
			http.Error(w, "refusé", http.StatusUnauthorized)
			return
		}
		calls.Add(1)
		var items []map[string]any
		if r.URL.Path == "/api/v1/services" {
			items = append(items, map[string]any{"id": "dora--1", "source": "dora", "structure_id": "dora--st", "nom": "Atelier emploi",
				"description": "Préparer ses entretiens d’embauche.", "code_insee": "86194", "date_maj": "2026-02-01",
				"thematiques": []string{"trouver-un-emploi--convaincre-un-recruteur-en-entretien"}, "modes_accueil": []string{"en-presentiel"}})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"items": items, "total": len(items), "page": 1, "size": 1000, "pages": 1})
	}))
	defer api.Close()
	now := time.Date(2026, 3, 3, 3, 0, 30, 0, directory.Paris)
	cfg := apptest.Config(t, t.TempDir())
	cfg.Demo = false
	cfg.Sync.URL, cfg.Sync.Token, cfg.Sync.Departement, cfg.Sync.Hour = api.URL, "jeton", "86", 3
	g, gaz := apptest.Geography(t)
	m := &Main{Config: cfg, Logger: apptest.QuietLogger(), Geography: g, Gazetteer: gaz, Now: func() time.Time { return now }}
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	m.Scheduler.Tick(ctx)
	if n, _ := m.Store.CountServices(ctx); n != 1 || calls.Load() != 2 {
		t.Fatalf("after the 03:00 slot: %d services, %d API calls", n, calls.Load())
	}
	m.Scheduler.Tick(ctx) // the same slot: done already
	now = now.Add(time.Hour)
	m.Scheduler.Tick(ctx)
	if calls.Load() != 2 {
		t.Errorf("the sync ran again in the same day: %d calls", calls.Load())
	}
	now = now.Add(24 * time.Hour)
	m.Scheduler.Tick(ctx)
	if calls.Load() != 4 {
		t.Errorf("next day: %d calls", calls.Load())
	}
}
