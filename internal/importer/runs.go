package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

// Runs starts imports in the background for the partner space: a dry run
// first, whose report the person reads, then the same import confirmed. An
// uploaded file is kept between the two under Dir. Progress and reports
// are the runs' documents in the store, which pages poll.
type Runs struct {
	Importer *Importer
	Dir      string
	Grace    time.Duration
	// Sync, when set, is the data·inclusion API a moderator may sync
	// their territory from (its URL, token and source; the département
	// is theirs).
	Sync *APIReader

	mu      sync.Mutex
	running map[string]context.CancelFunc
	wg      sync.WaitGroup
	turn    sync.Mutex // one run at a time: each reads what the store holds into memory
}

// MaxUpload bounds an uploaded file (the site accepts a request body this
// large on the upload route only).
const MaxUpload = 20 << 20

// uploadTTL is how long an upload waits for its confirmation.
const uploadTTL = 24 * time.Hour

// uploadKinds are the files the partner space imports, by extension: a
// spreadsheet, or a data·inclusion file (JSON or JSON Lines).
var uploadKinds = map[string]bool{".csv": true, ".xlsx": true, ".json": true, ".jsonl": true, ".ndjson": true}

// Upload keeps an uploaded file for its dry run and confirmation and
// returns the id both runs share. name is the file's name as sent. Each
// upload is a folder of its own holding the file, so that a data·inclusion
// file is read as a folder of one file.
func (rs *Runs) Upload(name string, r io.Reader) (id string, err error) {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	ext := strings.ToLower(filepath.Ext(name))
	if !uploadKinds[ext] {
		if len([]rune(name)) > 80 {
			name = truncate(name, 80)
		}
		return "", directory.Errorf(directory.EINVALID, "Envoyez un tableur (.xlsx ou .csv) ou un fichier data·inclusion (.json ou .jsonl) ; « %s » n’en est pas un.", name)
	}
	rs.prune()
	id = directory.NewID()
	dir := filepath.Join(rs.Dir, id)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	// The stored name says what the file holds, as the data·inclusion
	// reader expects; the name as sent is kept beside it for the reports.
	stored := "tableur" + ext
	if ext != ".csv" && ext != ".xlsx" {
		stored = "services" + ext
		if strings.Contains(strings.ToLower(name), "structure") {
			stored = "structures" + ext
		}
	}
	err = writeUpload(filepath.Join(dir, stored), r)
	if err == nil {
		err = sniff(filepath.Join(dir, stored), ext)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, uploadNameFile), []byte(name), 0o640)
	}
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", err
	}
	return id, nil
}

// uploadNameFile holds the uploaded file's name as sent.
const uploadNameFile = "nom"

// syncFile, in place of a file, holds the département of a data·inclusion
// sync waiting for its confirmation.
const syncFile = "synchronisation-departement"

// PrepareSync keeps, as an upload would be, a sync of the département from
// the data·inclusion API, and returns the id its runs share.
func (rs *Runs) PrepareSync(dep string) (string, error) {
	if rs.Sync == nil {
		return "", directory.Errorf(directory.ENOTFOUND, "La synchronisation avec data·inclusion n’est pas configurée sur ce site.")
	}
	rs.prune()
	id := directory.NewID()
	dir := filepath.Join(rs.Dir, id)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	err := os.WriteFile(filepath.Join(dir, syncFile), []byte(dep), 0o640)
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, uploadNameFile), []byte("data·inclusion, département "+dep), 0o640)
	}
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", err
	}
	return id, nil
}

func writeUpload(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, io.LimitReader(r, MaxUpload+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return err
	case n > MaxUpload:
		return directory.Errorf(directory.EINVALID, "Le fichier dépasse %d Mo : découpez-le, ou demandez un import en ligne de commande.", MaxUpload>>20)
	case n == 0:
		return directory.Errorf(directory.EINVALID, "Le fichier est vide.")
	}
	return nil
}

// sniff refuses at once a file whose first bytes contradict its extension
// (a PDF renamed, a spreadsheet saved as UTF-16 text), before any dry run.
func sniff(path, ext string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if ext == ".xlsx" {
		if !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
			return directory.Errorf(directory.EINVALID, "Ce fichier n’est pas un classeur .xlsx : enregistrez-le depuis votre tableur au format Excel (.xlsx) ou CSV.")
		}
		return nil
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return directory.Errorf(directory.EINVALID, "Ce fichier n’est pas du texte (UTF-8 ou Windows-1252) comme doit l’être un %s : enregistrez-le de nouveau dans ce format.", ext)
	}
	return nil
}

// Reader reads a kept upload: a spreadsheet, or data·inclusion records.
// ENOTFOUND once confirmed or expired.
func (rs *Runs) Reader(id string) (Reader, error) {
	gone := directory.Errorf(directory.ENOTFOUND, "Ce fichier n’est plus disponible : envoyez-le de nouveau.")
	if id == "" || id != filepath.Base(id) || strings.HasPrefix(id, ".") {
		return nil, gone
	}
	dir := filepath.Join(rs.Dir, id)
	name, err := os.ReadFile(filepath.Join(dir, uploadNameFile))
	if err != nil {
		return nil, gone
	}
	if dep, err := os.ReadFile(filepath.Join(dir, syncFile)); err == nil && rs.Sync != nil {
		api := *rs.Sync
		api.Departement = string(dep)
		return &api, nil
	}
	for _, ext := range []string{".xlsx", ".csv"} {
		if p := filepath.Join(dir, "tableur"+ext); exists(p) {
			return &SpreadsheetReader{Path: p, Name: string(name)}, nil
		}
	}
	return &DirReader{Dir: dir, Label: "fichier " + string(name)}, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// prune deletes the uploads nobody confirmed in time.
func (rs *Runs) prune() {
	entries, _ := os.ReadDir(rs.Dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > uploadTTL {
			_ = os.RemoveAll(filepath.Join(rs.Dir, e.Name()))
		}
	}
}

// Start runs r in the background with opt and returns the run's id at
// once; its document in the store says how far it is. The runs of an
// upload have ids derived from it (the dry run's, then the confirmed
// one's: confirming twice starts one import); the confirmed run deletes
// the upload when it ends.
func (rs *Runs) Start(r Reader, opt Options, uploadID string) string {
	id := directory.NewID()
	switch {
	case uploadID != "" && opt.DryRun:
		id = uploadID + DryRunSuffix
	case uploadID != "":
		id = uploadID
	}
	opt.RunID = id
	if opt.Grace == 0 {
		opt.Grace = rs.Grace
	}
	ctx, cancel := context.WithCancel(context.Background())
	rs.mu.Lock()
	if rs.running == nil {
		rs.running = map[string]context.CancelFunc{}
	}
	rs.running[id] = cancel
	rs.mu.Unlock()
	// The run's document exists before Start returns: the page that
	// follows it never finds nothing.
	doc := &Report{ID: id, Feed: r.Feed().Name, Label: r.Feed().Label, What: r.Describe(),
		Actor: opt.Actor, ActorID: opt.ActorID, DryRun: opt.DryRun, State: StateRunning, StartedAt: time.Now().UTC()}
	_ = rs.Importer.Store.PutImportRun(ctx, id, doc)
	rs.wg.Add(1)
	go func() {
		defer rs.wg.Done()
		defer cancel()
		rs.turn.Lock()
		rep, err := rs.Importer.Run(ctx, r, opt)
		rs.turn.Unlock()
		if err != nil {
			rs.Importer.Log.Warn("import en échec", "import", id, "err", err)
		}
		if rep == nil && err != nil {
			// Refused before it began (another import of the source under
			// way, the run stopped while it waited): its page must not
			// wait for ever.
			fin := time.Now().UTC()
			doc.State, doc.Error, doc.FinishedAt = StateFailed, err.Error(), &fin
			if errors.Is(err, context.Canceled) {
				doc.State, doc.Error = StateStopped, "Import interrompu."
			}
			_ = rs.Importer.Store.PutImportRun(context.WithoutCancel(ctx), id, doc)
		}
		if !opt.DryRun && uploadID != "" && uploadID == filepath.Base(uploadID) {
			_ = os.RemoveAll(filepath.Join(rs.Dir, uploadID))
		}
		rs.mu.Lock()
		delete(rs.running, id)
		rs.mu.Unlock()
	}()
	return id
}

// Confirm starts the import of an upload whose dry run ended well, once:
// confirming again (a second click, another tab) returns the same run.
func (rs *Runs) Confirm(ctx context.Context, uploadID string, opt Options) (string, error) {
	rs.mu.Lock()
	_, running := rs.running[uploadID]
	rs.mu.Unlock()
	if running {
		return uploadID, nil
	}
	if _, err := rs.Report(ctx, uploadID); err == nil {
		return uploadID, nil
	}
	dry, err := rs.Report(ctx, uploadID+DryRunSuffix)
	if err != nil {
		return "", err
	}
	if dry.State != StateDone {
		return "", directory.Errorf(directory.ECONFLICT, "L’essai de ce fichier n’a pas abouti : corrigez le fichier et envoyez-le de nouveau.")
	}
	r, err := rs.Reader(uploadID)
	if err != nil {
		return "", err
	}
	opt.DryRun = false
	return rs.Start(r, opt, uploadID), nil
}

// DryRunSuffix ends the id of an upload's dry run.
const DryRunSuffix = "-essai"

// Stop cancels the runs under way and waits for them to record their state.
func (rs *Runs) Stop() {
	rs.mu.Lock()
	for _, cancel := range rs.running {
		cancel()
	}
	rs.mu.Unlock()
	rs.wg.Wait()
}

// Report returns the document of a run (ENOTFOUND if none).
func (rs *Runs) Report(ctx context.Context, id string) (*Report, error) {
	var rep Report
	if err := rs.Importer.Store.ImportRun(ctx, id, &rep); err != nil {
		return nil, err
	}
	return &rep, nil
}

// History returns the last n runs, newest first; keep, when not nil, says
// which ones the person may see.
func (rs *Runs) History(ctx context.Context, n int, keep func(*Report) bool) ([]*Report, error) {
	var out []*Report
	err := rs.Importer.Store.EachImportRun(ctx, func() any { return &Report{} }, func(v any) bool {
		rep := v.(*Report)
		if keep == nil || keep(rep) {
			out = append(out, rep)
		}
		return len(out) < n
	})
	return out, err
}

// EachServiceWithProposals passes to fn, until it returns false, the
// services whose source proposes values for fields edited on Repère.
func (rs *Runs) EachServiceWithProposals(ctx context.Context, fn func(*directory.Service) bool) error {
	return rs.Importer.Store.EachServiceWithProposals(ctx, fn)
}

// Wait blocks until the run is no longer running or ctx ends (tests, and
// the command line).
func (rs *Runs) Wait(ctx context.Context, id string) (*Report, error) {
	for {
		rep, err := rs.Report(ctx, id)
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err
		}
		if rep != nil && rep.State != StateRunning {
			return rep, nil
		}
		select {
		case <-ctx.Done():
			return rep, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Percent is how far a run is, for the progress bar (0 when unknown).
func (r *Report) Percent() int {
	if r.State != StateRunning {
		return 100
	}
	if r.Total <= 0 {
		return 0
	}
	return min(99, r.Read*100/r.Total)
}

// Summary is the report in one French sentence, for the history.
func (r *Report) Summary() string {
	if r.Error != "" {
		return r.Error
	}
	return fmt.Sprintf("%d nouveaux, %d modifiés, %d inchangés, %d dépubliés, %d rejetés", r.New, r.Updated, r.Unchanged, r.Unpublished, r.Rejected)
}
