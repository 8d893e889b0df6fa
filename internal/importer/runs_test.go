package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/store"
)

// The partner space's journey: upload, dry run, confirmation, history.
func TestRunsUploadDryRunConfirm(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rs := &Runs{Importer: e.im, Dir: t.TempDir(), Grace: time.Hour}
	defer rs.Stop()
	if _, err := rs.Upload("services.pdf", strings.NewReader("x")); err == nil {
		t.Error("a PDF accepted")
	}
	if _, err := rs.Upload("vide.csv", strings.NewReader("")); err == nil || !strings.Contains(err.Error(), "vide") {
		t.Errorf("an empty file: %v", err)
	}
	csv := "Nom du service;Thématiques;Code postal;Commune\nAtelier CV;Réaliser un CV et/ou une lettre de motivation;86000;Poitiers\n;;86000;Poitiers\n"
	id, err := rs.Upload(`C:\Mes documents\services.csv`, strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rs.Confirm(ctx, id, Options{}); err == nil {
		t.Error("confirmed before its dry run")
	}
	r, err := rs.Reader(id)
	if err != nil || r.Describe() != "fichier services.csv" {
		t.Fatalf("reader: %v %v", r, err)
	}
	opt := Options{DryRun: true, Actor: "Anne Moderatrice", ActorID: "u1"}
	dry, err := rs.Wait(ctx, rs.Start(r, opt, id))
	if err != nil || dry.State != StateDone || !dry.DryRun || dry.New != 1 || dry.Rejected != 1 || dry.Percent() != 100 || dry.ActorID != "u1" {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	if n, _ := e.store.CountServices(ctx); n != 0 {
		t.Errorf("the dry run wrote %d services", n)
	}
	e.now = e.now.Add(time.Minute)
	opt.DryRun = false
	runID, err := rs.Confirm(ctx, id, opt)
	if err != nil {
		t.Fatal(err)
	}
	again, err := rs.Confirm(ctx, id, opt)
	if err != nil || again != runID {
		t.Errorf("a second confirmation: %q %v (first %q)", again, err, runID)
	}
	run, err := rs.Wait(ctx, runID)
	if err != nil || run.State != StateDone || run.New != 1 || !strings.HasPrefix(run.Summary(), "1 nouveaux") {
		t.Fatalf("run: %+v %v", run, err)
	}
	rs.Stop() // lets the run's goroutine finish
	if _, err := rs.Reader(id); err == nil {
		t.Error("the upload is still kept after its confirmation")
	}
	if n, _ := e.store.CountServices(ctx); n != 1 {
		t.Errorf("%d services after the confirmed import, want 1", n)
	}
	hist, err := rs.History(ctx, 10, nil)
	if err != nil || len(hist) != 2 || hist[0].ID != run.ID || hist[1].ID != dry.ID || hist[0].Actor != "Anne Moderatrice" {
		t.Errorf("history: %v %+v", err, hist)
	}
	for _, bad := range []string{"", "..", "../x", id + "/../.."} {
		if _, err := rs.Reader(bad); err == nil {
			t.Errorf("Reader(%q) found something", bad)
		}
	}
}

// A data·inclusion file uploaded alone is read as a folder of one file.
func TestRunsUploadDataInclusionFile(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rs := &Runs{Importer: e.im, Dir: t.TempDir()}
	defer rs.Stop()
	jsonl := `{"id":"s1","source":"dora","nom":"Aide au permis de conduire","thematiques":["mobilite--preparer-un-permis"],"description":"Un coup de pouce pour passer le permis de conduire.","code_postal":"86000","commune":"Poitiers","modes_accueil":["en-presentiel"]}` + "\n"
	id, err := rs.Upload("export-dora.jsonl", strings.NewReader(jsonl))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(rs.Dir, id, "services.jsonl")); err != nil {
		t.Fatal(err)
	}
	r, err := rs.Reader(id)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := rs.Wait(ctx, rs.Start(r, Options{DryRun: true}, id))
	if err != nil || rep.State != StateDone || rep.New != 1 || rep.What != "fichier export-dora.jsonl" {
		t.Fatalf("%+v %v", rep, err)
	}
}

// A moderator imports into their territory only.
func TestImportTerritory(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rs := &Runs{Importer: e.im, Dir: t.TempDir()}
	defer rs.Stop()
	csv := "Nom du service;Thématiques;Code postal;Commune\n" +
		"Atelier CV;Réaliser un CV et/ou une lettre de motivation;86000;Poitiers\n" +
		"Atelier lettre;Réaliser un CV et/ou une lettre de motivation;59100;Roubaix\n"
	id, err := rs.Upload("services.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := rs.Reader(id)
	rep, err := rs.Wait(ctx, rs.Start(r, Options{DryRun: true, Departements: []string{"86"}}, id))
	if err != nil || rep.New != 1 || rep.Rejected != 1 || len(rep.Rejections) != 1 ||
		rep.Rejections[0].Ref != "ligne 3" || !strings.Contains(rep.Rejections[0].Reason, "hors de votre territoire (département 59)") {
		t.Fatalf("%+v %v", rep, err)
	}
}

// A confirmed import refused at its start (another import of the source
// under way elsewhere) ends in the history with why, not "en cours" for ever.
func TestRunsRefusedRunEnds(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rs := &Runs{Importer: e.im, Dir: t.TempDir()}
	defer rs.Stop()
	id, err := rs.Upload("services.csv", strings.NewReader("Nom du service;Code postal;Commune\nAtelier CV;86000;Poitiers\n"))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := rs.Reader(id)
	if _, err := rs.Wait(ctx, rs.Start(r, Options{DryRun: true}, id)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.LockImport(ctx, SpreadsheetFeed.Name, store.ImportHolder{Run: "autre", Host: "autre-machine", PID: 1}, time.Hour,
		func(store.ImportHolder) bool { return false }); err != nil {
		t.Fatal(err)
	}
	runID, err := rs.Confirm(ctx, id, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := rs.Wait(ctx, runID)
	if err != nil || rep.State != StateFailed || !strings.Contains(rep.Error, "déjà en cours") || rep.FinishedAt == nil {
		t.Fatalf("%+v %v", rep, err)
	}
}
