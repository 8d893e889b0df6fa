package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

// openTest opens a store for one test: the embedded FerretDB in a temporary
// directory, or, when REPERE_TEST_MONGODB_URI is set, a fresh database on that
// server (dropped at the end), so the same tests run against real MongoDB.
func openTest(t testing.TB) *Store {
	t.Helper()
	ctx := context.Background()
	cfg := Config{DataDir: t.TempDir(), Database: "test", Logger: nopLogger()}
	if uri := os.Getenv("REPERE_TEST_MONGODB_URI"); uri != "" {
		cfg.URI = uri
		cfg.Database = fmt.Sprintf("repere_test_%d", time.Now().UnixNano())
	}
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cfg.URI != "" {
			_ = s.db.Drop(ctx)
		}
		_ = s.Close(ctx)
	})
	return s
}

func testService(id string) *directory.Service {
	lat, lon := 46.8176, 0.5458
	return &directory.Service{
		ID: id, StructureID: "st1", Source: "test",
		Name: "Aide au permis de conduire", Description: "Un accompagnement **pas à pas**.",
		Thematiques:     []string{"mobilite--preparer-son-permis-de-conduire-se-reentrainer-a-la-conduite"},
		Publics:         []string{"tous-publics"},
		ReceptionModes:  []string{"en-presentiel"},
		EligibilityZone: []directory.Zone{{Kind: directory.ZoneDepartement, Code: "86"}, directory.France},
		Latitude:        &lat, Longitude: &lon,
		Status: directory.StatusPublished,
	}
}

func TestServiceRoundTrip(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	in := testService("svc1")
	if err := s.CreateService(ctx, in); err != nil {
		t.Fatal(err)
	}
	if in.Version != 1 {
		t.Fatalf("version after create = %d, want 1", in.Version)
	}
	got, err := s.Service(ctx, "svc1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != in.Name || got.Description != in.Description || *got.Latitude != *in.Latitude ||
		len(got.EligibilityZone) != 2 || got.EligibilityZone[0] != in.EligibilityZone[0] ||
		got.EligibilityZone[1] != directory.France || got.Status != directory.StatusPublished {
		t.Fatalf("round trip mismatch:\n got %+v\nwant %+v", got, in)
	}
	if !got.UpdatedAt.Equal(in.UpdatedAt.Truncate(time.Millisecond)) {
		t.Errorf("UpdatedAt = %v, want %v", got.UpdatedAt, in.UpdatedAt)
	}
	if err := s.InsertServices(ctx, []*directory.Service{testService("svc2"), testService("svc3")}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CountServices(ctx); err != nil || n != 3 {
		t.Errorf("count = %d, %v; want 3", n, err)
	}
	if err := s.CreateService(ctx, testService("svc1")); directory.ErrorCode(err) != directory.ECONFLICT {
		t.Errorf("duplicate create: got %v, want conflict", err)
	}
	if _, err := s.Service(ctx, "nope"); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Errorf("missing: got %v, want not found", err)
	}
}

func TestStaleUpdateIsRefused(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if err := s.CreateService(ctx, testService("svc1")); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Service(ctx, "svc1")
	b, _ := s.Service(ctx, "svc1")
	a.Name = "Écrit par A"
	if err := s.UpdateService(ctx, a); err != nil {
		t.Fatal(err)
	}
	b.Name = "Écrit par B"
	if err := s.UpdateService(ctx, b); directory.ErrorCode(err) != directory.ECONFLICT {
		t.Fatalf("stale update: got %v, want conflict", err)
	}
	got, _ := s.Service(ctx, "svc1")
	if got.Name != "Écrit par A" || got.Version != 2 {
		t.Fatalf("after stale write: name %q version %d, want A's write at version 2", got.Name, got.Version)
	}
	missing := testService("ghost")
	missing.Version = 1
	if err := s.UpdateService(ctx, missing); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("update of a missing service: got %v, want not found", err)
	}
}

// Fifty writers read the same version and race to write it: exactly one wins
// each round, the others get a conflict, and the final version counts every
// successful write (the creation included).
func TestConcurrentVersionedUpdates(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if err := s.CreateService(ctx, testService("hot")); err != nil {
		t.Fatal(err)
	}
	const writers, rounds = 50, 5
	successes := 1 // the creation
	for round := 0; round < rounds; round++ {
		base, err := s.Service(ctx, "hot")
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		results := make([]error, writers)
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				mine := *base
				mine.Name = fmt.Sprintf("Version écrite par %d au tour %d", w, round)
				<-start
				results[w] = s.UpdateService(ctx, &mine)
			}(w)
		}
		close(start)
		wg.Wait()
		winners := 0
		for w, err := range results {
			switch directory.ErrorCode(err) {
			case "":
				winners++
			case directory.ECONFLICT:
			default:
				t.Fatalf("writer %d: unexpected error %v", w, err)
			}
		}
		if winners != 1 {
			t.Fatalf("round %d: %d winners for version %d, want exactly 1", round, winners, base.Version)
		}
		successes += winners
	}
	final, err := s.Service(ctx, "hot")
	if err != nil {
		t.Fatal(err)
	}
	if final.Version != int64(successes) {
		t.Fatalf("final version %d, want %d successful writes", final.Version, successes)
	}
}

// The embedded store must look services up by index, not by scanning: this
// is what keeps get-by-id in milliseconds at 100k services.
func TestEmbeddedIDLookupUsesIndex(t *testing.T) {
	s := openTest(t)
	if !s.Embedded() {
		t.Skip("the SQLite plan only exists on the embedded store")
	}
	ctx := context.Background()
	if err := s.CreateService(ctx, testService("svc1")); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+s.embedded.dir+"/test.sqlite")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var table string
	if err := db.QueryRow(`SELECT table_name FROM _ferretdb_collections WHERE name = 'services'`).Scan(&table); err != nil {
		t.Fatal(err)
	}
	// The exact statement FerretDB v1.24 issues for find({_id}).
	rows, err := db.Query(fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, table), `"svc1"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if p := strings.Join(plan, "; "); !strings.Contains(p, "USING INDEX") {
		t.Fatalf("lookup by id does not use an index: %s", p)
	}
}

func TestMigrationsRunOnce(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	if err := s.migrate(ctx, nopLogger()); err != nil {
		t.Fatal(err)
	}
	n, err := s.db.Collection(collMigrations).CountDocuments(ctx, map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	if int(n) != len(migrations) {
		t.Fatalf("%d migrations recorded, want %d", n, len(migrations))
	}
}

func TestServiceIDsOfStructure(t *testing.T) {
	s := openTest(t)
	ctx := context.Background()
	var svcs []*directory.Service
	for i, owner := range []string{"a", "b", "a", "c", "a"} {
		svc := testService(fmt.Sprintf("svc%d", i))
		svc.StructureID = owner
		svcs = append(svcs, svc)
	}
	svcs[2].Status = directory.StatusDraft // every status counts
	if err := s.InsertServices(ctx, svcs); err != nil {
		t.Fatal(err)
	}
	got, err := s.ServiceIDsOfStructure(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"svc0", "svc2", "svc4"}) {
		t.Fatalf("services of a: %v", got)
	}
	if none, err := s.ServiceIDsOfStructure(ctx, "zzz"); err != nil || len(none) != 0 {
		t.Fatalf("services of an unknown structure: %v, %v", none, err)
	}
	if s.Embedded() {
		db, table, err := s.embedded.table(ctx, "test", collServices)
		if err != nil {
			t.Fatal(err)
		}
		var id, parent, notused int
		var plan string
		q := fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson->>'$._id' FROM %q WHERE _ferretdb_sjson->>'$.structure_id' = ?`, table)
		if err := db.QueryRow(q, "a").Scan(&id, &parent, &notused, &plan); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, "USING INDEX") {
			t.Fatalf("services by structure scan the table: %s", plan)
		}
	}
}
