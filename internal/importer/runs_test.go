package importer

import (
	"context"
	"strings"
	"testing"
	"time"
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
	csv := "Nom du service;Thématiques;Code postal;Commune\nAtelier CV;Réaliser un CV et/ou une lettre de motivation;86000;Poitiers\n;;86000;Poitiers\n"
	id, err := rs.Upload("services.csv", strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	path, err := rs.UploadPath(id)
	if err != nil {
		t.Fatal(err)
	}
	dry, err := rs.Wait(ctx, rs.Start(&SpreadsheetReader{Path: path, Name: "services.csv"}, true, "Anne Moderatrice", id))
	if err != nil || dry.State != StateDone || !dry.DryRun || dry.New != 1 || dry.Rejected != 1 || dry.Percent() != 100 {
		t.Fatalf("dry run: %+v %v", dry, err)
	}
	if n, _ := e.store.CountServices(ctx); n != 0 {
		t.Errorf("the dry run wrote %d services", n)
	}
	e.now = e.now.Add(time.Minute)
	run, err := rs.Wait(ctx, rs.Start(&SpreadsheetReader{Path: path, Name: "services.csv"}, false, "Anne Moderatrice", id))
	if err != nil || run.State != StateDone || run.New != 1 || !strings.HasPrefix(run.Summary(), "1 nouveaux") {
		t.Fatalf("run: %+v %v", run, err)
	}
	rs.Stop() // lets the run's goroutine finish
	if _, err := rs.UploadPath(id); err == nil {
		t.Error("the upload is still kept after its confirmation")
	}
	hist, err := rs.History(ctx, 10, nil)
	if err != nil || len(hist) != 2 || hist[0].ID != run.ID || hist[1].ID != dry.ID || hist[0].Actor != "Anne Moderatrice" {
		t.Errorf("history: %v %+v", err, hist)
	}
}
