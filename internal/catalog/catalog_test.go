package catalog

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
	"github.com/repere-spie/repere/internal/store"
)

var (
	gazOnce sync.Once
	gaz     *geo.Gazetteer
	gazErr  error
)

func gazetteer(t *testing.T) *geo.Gazetteer {
	gazOnce.Do(func() {
		dir := os.Getenv("REPERE_SHARED_DIR")
		if dir == "" {
			dir = filepath.Join("..", "..", "..", "shared")
		}
		var g *directory.Geography
		if g, gazErr = geo.Load(context.Background(), geo.Dir(filepath.Join(dir, "geodata"))); gazErr == nil {
			gaz = geo.NewGazetteer(g)
		}
	})
	if gazErr != nil {
		t.Fatal(gazErr)
	}
	return gaz
}

func setup(t *testing.T) (*Catalog, *store.Store, *indexer.Index) {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := store.Open(ctx, store.Config{DataDir: t.TempDir(), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(ctx) })
	ix, err := indexer.Open(t.TempDir(), gazetteer(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	return New(s, ix, gazetteer(t), log), s, ix
}

func service(name string) *directory.Service {
	return &directory.Service{
		StructureID: "st", Source: "test", Name: name, Description: "Une aide concrète.",
		Thematiques: []string{directory.Besoins("famille")[0]}, ReceptionModes: []string{"a-distance"},
		EligibilityZone: []directory.Zone{directory.France}, Status: directory.StatusPublished,
	}
}

func found(t *testing.T, ix *indexer.Index, text string) int {
	t.Helper()
	q := directory.SearchQuery{Text: text}
	q.Normalize()
	r, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return r.Total
}

func TestWritesReachTheIndexBeforeReturning(t *testing.T) {
	c, _, ix := setup(t)
	ctx := context.Background()
	svc := service("Permanence Wobbegong")
	if err := c.CreateService(ctx, svc); err != nil {
		t.Fatal(err)
	}
	if n := found(t, ix, "wobbegong"); n != 1 {
		t.Fatalf("after create: %d results, want 1", n)
	}
	if svc.AnnouncedAt == nil || svc.AnnouncedVersion != 1 {
		t.Errorf("a published creation must be announced: %+v", svc)
	}
	stale := *svc
	svc.Status = directory.StatusArchived
	if err := c.UpdateService(ctx, svc); err != nil {
		t.Fatal(err)
	}
	if n := found(t, ix, "wobbegong"); n != 0 {
		t.Fatalf("after archiving: %d results, want 0", n)
	}
	// A stale copy cannot bring it back.
	if err := c.UpdateService(ctx, &stale); directory.ErrorCode(err) != directory.ECONFLICT {
		t.Fatalf("stale update: %v, want conflict", err)
	}
	if n := found(t, ix, "wobbegong"); n != 0 {
		t.Fatalf("a refused write changed the index: %d results", n)
	}
}

// A crash between the store write and the index write is healed by the
// reconciliation: simulated here by writing to the store alone.
func TestReconcileHealsMissedIndexWrites(t *testing.T) {
	c, s, ix := setup(t)
	ctx := context.Background()
	a, b := service("Atelier Quokka"), service("Atelier Numbat")
	for _, svc := range []*directory.Service{a, b} {
		if err := c.CreateService(ctx, svc); err != nil {
			t.Fatal(err)
		}
	}
	a.Status = directory.StatusArchived
	if err := s.UpdateService(ctx, a); err != nil { // store only
		t.Fatal(err)
	}
	ghost := service("Atelier Dugong")
	ghost.ID = "ghost"
	if err := ix.Put(ghost, nil); err != nil { // index only
		t.Fatal(err)
	}
	fresh := service("Atelier Wombat")
	if err := s.CreateService(ctx, fresh); err != nil { // store only
		t.Fatal(err)
	}
	fixed, err := c.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fixed != 3 {
		t.Errorf("reconcile fixed %d services, want 3", fixed)
	}
	for text, want := range map[string]int{"quokka": 0, "numbat": 1, "dugong": 0, "wombat": 1} {
		if n := found(t, ix, text); n != want {
			t.Errorf("%s: %d results after reconcile, want %d", text, n, want)
		}
	}
	if again, _ := c.Reconcile(ctx); again != 0 {
		t.Errorf("second reconcile fixed %d, want 0", again)
	}
}

// Another instance's write reaches this index through the change log. After
// a restart the log is followed from where the index was last brought, not
// only from the last few seconds, as long as the log still holds it.
func TestFollowCatchesUpFromWhereTheIndexWas(t *testing.T) {
	c, s, ix := setup(t)
	ctx := context.Background()
	other := func(name string) { // a write by another instance
		svc := service(name)
		if err := s.CreateService(ctx, svc); err != nil {
			t.Fatal(err)
		}
		if err := s.LogChange(ctx, svc.ID, svc.Version); err != nil {
			t.Fatal(err)
		}
	}
	follow := func(d time.Duration) {
		fctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		c.Follow(fctx, 20*time.Millisecond)
	}

	other("Atelier Okapi")
	follow(time.Second)
	if n := found(t, ix, "okapi"); n != 1 {
		t.Fatalf("okapi: %d results after following, want 1", n)
	}

	// Two minutes later (the catalog's clock): what was logged now is older
	// than the polls' overlap.
	c.now = func() time.Time { return time.Now().Add(2 * time.Minute) }
	other("Atelier Narval")
	if err := ix.SetFollowed(time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if f := ix.Followed(); time.Since(f) < 59*time.Second || time.Since(f) > 2*time.Minute {
		t.Fatalf("followed position read back as %v", f)
	}
	follow(time.Second)
	if n := found(t, ix, "narval"); n != 1 {
		t.Errorf("narval: %d results after a restart, want 1 (caught up from the saved position)", n)
	}

	// A position older than the log's retention is not trusted: the
	// background reconciliation is what heals then.
	other("Atelier Tatou")
	if err := ix.SetFollowed(time.Now().Add(-48 * time.Hour)); err != nil {
		t.Fatal(err)
	}
	follow(time.Second)
	if n := found(t, ix, "tatou"); n != 0 {
		t.Errorf("tatou: %d results, want 0 (its change is older than the overlap and the position too old)", n)
	}
	if fixed, err := c.Reconcile(ctx); err != nil || fixed != 1 || found(t, ix, "tatou") != 1 {
		t.Errorf("reconcile fixed %d (%v), tatou found %d; want 1, 1", fixed, err, found(t, ix, "tatou"))
	}
}
