package importer

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/catalog"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

type env struct {
	t     *testing.T
	im    *Importer
	store *store.Store
	index *indexer.Index
	cat   *catalog.Catalog
	now   time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	log := apptest.QuietLogger()
	s, err := store.Open(ctx, store.Config{DataDir: t.TempDir(), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(ctx) })
	_, gaz := apptest.Geography(t)
	ix, err := indexer.Open(t.TempDir(), gaz)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	e := &env{t: t, store: s, index: ix, cat: catalog.New(s, ix, gaz, log), now: time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)}
	e.im = &Importer{Store: s, Catalog: e.cat, Gazetteer: gaz, Log: log, Now: func() time.Time { return e.now }}
	return e
}

// dir writes v1 files: structures and services as JSON arrays.
func (e *env) dir(structures, services []map[string]any) string {
	e.t.Helper()
	d := e.t.TempDir()
	for name, recs := range map[string][]map[string]any{"structures.json": structures, "services.json": services} {
		if recs == nil {
			continue
		}
		b, err := json.Marshal(recs)
		if err != nil {
			e.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, name), b, 0o644); err != nil {
			e.t.Fatal(err)
		}
	}
	return d
}

func (e *env) run(r Reader, opt Options) *Report {
	e.t.Helper()
	if opt.Grace == 0 {
		opt.Grace = 7 * 24 * time.Hour
	}
	rep, err := e.im.Run(context.Background(), r, opt)
	if err != nil {
		e.t.Fatalf("import: %v\n%+v", err, rep)
	}
	return rep
}

func (e *env) service(source, externalID string) *directory.Service {
	e.t.Helper()
	s, err := e.store.Service(context.Background(), stableID("service", DataInclusionFeed.Name, source, externalID))
	if err != nil {
		e.t.Fatalf("service %s/%s: %v", source, externalID, err)
	}
	return s
}

func structure(id, source, siret string) map[string]any {
	return map[string]any{"id": id, "source": source, "nom": "Centre social du Lac", "siret": siret, "commune": "Poitiers",
		"code_postal": "86000", "adresse": "2 rue du Lac", "date_maj": "2026-01-15"}
}

func serviceRec(id, source, structureID, name string) map[string]any {
	return map[string]any{"id": id, "source": source, "structure_id": structureID, "nom": name,
		"description": "Un accompagnement vers l’emploi, pas à pas.", "thematiques": []string{"trouver-un-emploi--repondre-a-des-offres-demploi"},
		"code_insee": "86194", "adresse": "2 rue du Lac", "telephone": "05 49 00 00 01", "modes_accueil": []string{"en-presentiel"},
		"date_maj": "2026-02-01"}
}

// Re-import is a sync: identical records are not written, a changed one
// gets a new version, one gone from the source is unpublished after the
// grace period and never deleted.
func TestSync(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	sts := []map[string]any{structure("st1", "dora", "")}
	svcs := []map[string]any{serviceRec("a", "dora", "st1", "Atelier emploi"), serviceRec("b", "dora", "st1", "Aide au CV"),
		serviceRec("c", "dora", "st1", "Job dating")}
	rep := e.run(&DirReader{Dir: e.dir(sts, svcs)}, Options{})
	if rep.New != 3 || rep.StructuresNew != 1 || rep.Rejected != 0 {
		t.Fatalf("first import: %+v", rep)
	}
	a := e.service("dora", "a")
	if a.Version != 1 || a.Status != directory.StatusPublished || a.Provenance.Feed != "datainclusion" || a.Provenance.Origin != "dora" ||
		a.Provenance.SourceDate == nil || a.Provenance.SourceDate.In(directory.Paris).Format(time.DateOnly) != "2026-02-01" || a.Phone != "+33549000001" ||
		a.CommuneName != "Poitiers" || a.Provenance.Position != directory.PositionCommune || a.AnnouncedAt == nil {
		t.Errorf("imported service: %+v", a)
	}

	// Dry run of a changed file: counted, not written.
	svcs[0]["telephone"] = "05 49 00 00 02"
	rep = e.run(&DirReader{Dir: e.dir(sts, svcs)}, Options{DryRun: true})
	if rep.Updated != 1 || rep.Unchanged != 2 || e.service("dora", "a").Version != 1 {
		t.Errorf("dry run: %+v", rep)
	}
	// The same, for real, and "c" gone from the source.
	e.now = e.now.Add(time.Hour)
	rep = e.run(&DirReader{Dir: e.dir(sts, svcs[:2])}, Options{})
	if rep.Updated != 1 || rep.Unchanged != 1 || rep.Missing != 1 || rep.Unpublished != 0 {
		t.Errorf("sync: %+v", rep)
	}
	a = e.service("dora", "a")
	if a.Version != 2 || a.Phone != "+33549000002" || a.AnnouncedVersion != 2 {
		t.Errorf("changed service: version %d phone %s announced %d", a.Version, a.Phone, a.AnnouncedVersion)
	}
	if b := e.service("dora", "b"); b.Version != 1 {
		t.Errorf("unchanged service written: version %d", b.Version)
	}
	if c := e.service("dora", "c"); c.Status != directory.StatusPublished || c.Provenance.Missing == nil {
		t.Errorf("missing service: %+v", c)
	}
	// Eight days later, still gone: unpublished, not deleted.
	e.now = e.now.Add(8 * 24 * time.Hour)
	rep = e.run(&DirReader{Dir: e.dir(sts, svcs[:2])}, Options{})
	if rep.Unpublished != 1 || rep.Unchanged != 2 {
		t.Errorf("after the grace period: %+v", rep)
	}
	if c := e.service("dora", "c"); c.Status != directory.StatusArchived {
		t.Errorf("gone service still %s", c.Status)
	}
	if n, _ := e.store.CountServices(ctx); n != 3 {
		t.Errorf("%d services in the store, want 3", n)
	}
	// Back in the source: published again.
	rep = e.run(&DirReader{Dir: e.dir(sts, svcs)}, Options{})
	if rep.Updated != 1 || e.service("dora", "c").Status != directory.StatusPublished {
		t.Errorf("back: %+v", rep)
	}
	if fixed, err := e.cat.Reconcile(ctx); err != nil || fixed != 0 {
		t.Errorf("index out of step: %d, %v", fixed, err)
	}
}

// A file of one territory leaves the other territories of its sources alone.
func TestSyncScopeIsTheFilesTerritory(t *testing.T) {
	e := newEnv(t)
	poitiers := serviceRec("p", "dora", "", "Atelier emploi")
	lille := serviceRec("l", "dora", "", "Atelier emploi")
	lille["code_insee"] = "59350"
	e.run(&DirReader{Dir: e.dir(nil, []map[string]any{poitiers, lille})}, Options{})
	other := serviceRec("q", "dora", "", "Permanence")
	rep := e.run(&DirReader{Dir: e.dir(nil, []map[string]any{poitiers, other})}, Options{Grace: time.Nanosecond})
	if rep.Unpublished != 0 || rep.New != 1 {
		t.Errorf("a Vienne file unpublished elsewhere: %+v", rep)
	}
	if l := e.service("dora", "l"); l.Status != directory.StatusPublished {
		t.Errorf("Lille service %s", l.Status)
	}
}

// Fields a partner edited on Repère are never overwritten by the source,
// whose value is kept beside theirs for moderators.
func TestPartnerEditsKept(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	svcs := []map[string]any{serviceRec("a", "dora", "", "Atelier emploi")}
	e.run(&DirReader{Dir: e.dir(nil, svcs)}, Options{})
	a := e.service("dora", "a")
	a.Phone = "+33549999999"
	if err := e.cat.UpdateService(ctx, a); err != nil {
		t.Fatal(err)
	}
	svcs[0]["telephone"] = "05 49 00 00 03"
	svcs[0]["description"] = "Un accompagnement vers l’emploi, avec un conseiller."
	rep := e.run(&DirReader{Dir: e.dir(nil, svcs)}, Options{})
	if rep.Updated != 1 {
		t.Fatalf("%+v", rep)
	}
	a = e.service("dora", "a")
	if a.Phone != "+33549999999" || !strings.Contains(a.Description, "conseiller") {
		t.Errorf("merge: phone %s, description %q", a.Phone, a.Description)
	}
	if len(a.Provenance.Proposed) != 1 || a.Provenance.Proposed[0].Field != "telephone" || a.Provenance.Proposed[0].Value != "+33549000003" {
		t.Errorf("proposed: %+v", a.Provenance.Proposed)
	}
	// The same source again: nothing to write, the partner's phone stays.
	if rep := e.run(&DirReader{Dir: e.dir(nil, svcs)}, Options{}); rep.Unchanged != 1 || e.service("dora", "a").Phone != "+33549999999" {
		t.Errorf("second sync: %+v", rep)
	}
}

// The same structure (SIRET) and service from two sources: one visible,
// the other linked to it and kept out of searches.
func TestDuplicatesAcrossSources(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const siret = "21860194600013" // Luhn-valid
	e.run(&DirReader{Dir: e.dir([]map[string]any{structure("st1", "dora", siret)}, []map[string]any{serviceRec("a", "dora", "st1", "Atelier emploi")})}, Options{})
	rep := e.run(&DirReader{Dir: e.dir([]map[string]any{structure("x9", "soliguide", siret)},
		[]map[string]any{serviceRec("z", "soliguide", "x9", "ATELIER EMPLOI"), serviceRec("y", "soliguide", "x9", "Cours de français")})}, Options{})
	if rep.Duplicates != 1 || rep.StructureDuplicates != 1 || rep.New != 2 {
		t.Fatalf("%+v", rep)
	}
	a, z, y := e.service("dora", "a"), e.service("soliguide", "z"), e.service("soliguide", "y")
	if z.Provenance.DuplicateOf != a.ID || z.Listed() || !a.Listed() || y.StructureID != a.StructureID {
		t.Errorf("duplicate: %+v\nof %+v", z.Provenance, a)
	}
	poitiers, _ := e.im.Gazetteer.Commune("86194")
	res, err := e.index.Search(ctx, directory.SearchQuery{Commune: poitiers, Text: "atelier emploi", Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	// Words need not all match: the other service of the structure may
	// come too, but after the one named so, and never the duplicate.
	if res.Total == 0 || res.Hits[0].ID != a.ID || slices.ContainsFunc(res.Hits, func(h directory.Hit) bool { return h.ID == z.ID }) {
		t.Errorf("search finds %d: %+v", res.Total, res.Hits)
	}
}

// Malformed records are rejected with their place and a reason, the rest
// imported; a truncated or non-UTF-8 file stops before anything is written.
func TestBadInput(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	bad := serviceRec("b", "dora", "", "Atelier")
	bad["nom"] = 42
	noPlace := serviceRec("n", "dora", "", "Nulle part")
	delete(noPlace, "code_insee")
	rep := e.run(&DirReader{Dir: e.dir(nil, []map[string]any{serviceRec("a", "dora", "", "Atelier emploi"), bad, noPlace})}, Options{})
	if rep.New != 1 || rep.Rejected != 2 || len(rep.Rejections) != 2 ||
		rep.Rejections[0].Ref != "services.json, enregistrement 2" || !strings.Contains(rep.Rejections[0].Reason, "illisible") ||
		rep.Rejections[1].Ref != "services.json, enregistrement 3" || !strings.Contains(rep.Rejections[1].Reason, "Impossible de situer") {
		t.Errorf("%+v", rep)
	}
	for name, content := range map[string]string{
		"tronqué": `[{"id": "x", "source": "dora", "nom": "Atelier", "code_insee": "86194"}, {"id": "y", "nom": "Ate`,
		"UTF-8":   "[{\"id\": \"x\", \"source\": \"dora\", \"nom\": \"Cr\xe8che\", \"code_insee\": \"86194\"}]",
	} {
		d := t.TempDir()
		if err := os.WriteFile(filepath.Join(d, "services.json"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		before, _ := e.store.CountServices(ctx)
		rep, err := e.im.Run(ctx, &DirReader{Dir: d}, Options{})
		if err == nil || !strings.Contains(err.Error(), name) || rep.State != StateFailed {
			t.Errorf("%s: err %v, state %s", name, err, rep.State)
		}
		if after, _ := e.store.CountServices(ctx); after != before {
			t.Errorf("%s: %d services written", name, after-before)
		}
	}
}
