package importer

import (
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

	mu      sync.Mutex
	running map[string]context.CancelFunc
	wg      sync.WaitGroup
}

// maxUpload bounds an uploaded spreadsheet.
const maxUpload = 50 << 20

// uploadTTL is how long an upload waits for its confirmation.
const uploadTTL = 24 * time.Hour

// Upload keeps an uploaded spreadsheet for its dry run and confirmation and
// returns the id both runs will share. name is the file's name as sent.
func (rs *Runs) Upload(name string, r io.Reader) (id string, err error) {
	ext := strings.ToLower(filepath.Ext(name))
	if ext != ".csv" && ext != ".xlsx" {
		return "", directory.Errorf(directory.EINVALID, "Envoyez un fichier .xlsx ou .csv (reçu : « %s »).", name)
	}
	if err := os.MkdirAll(rs.Dir, 0o750); err != nil {
		return "", err
	}
	rs.prune()
	id = directory.NewID()
	path := filepath.Join(rs.Dir, id+ext)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return "", err
	}
	n, err := io.Copy(f, io.LimitReader(r, maxUpload+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > maxUpload {
		err = directory.Errorf(directory.EINVALID, "Le fichier dépasse %d Mo.", maxUpload>>20)
	}
	if err == nil && n == 0 {
		err = directory.Errorf(directory.EINVALID, "Le fichier est vide.")
	}
	if err != nil {
		_ = os.Remove(path)
		return "", err
	}
	return id, nil
}

// UploadPath is where an upload is kept, or ENOTFOUND once confirmed or expired.
func (rs *Runs) UploadPath(id string) (string, error) {
	for _, ext := range []string{".xlsx", ".csv"} {
		p := filepath.Join(rs.Dir, filepath.Base(id)+ext)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", directory.Errorf(directory.ENOTFOUND, "Ce fichier n’est plus disponible : envoyez-le de nouveau.")
}

// prune deletes the uploads nobody confirmed in time.
func (rs *Runs) prune() {
	entries, _ := os.ReadDir(rs.Dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > uploadTTL {
			_ = os.Remove(filepath.Join(rs.Dir, e.Name()))
		}
	}
}

// Start runs r in the background and returns the run's id at once; its
// document in the store says how far it is. A confirmed run of an upload
// deletes the upload when it ends.
func (rs *Runs) Start(r Reader, dryRun bool, actor, uploadID string) string {
	id := directory.NewID()
	if dryRun && uploadID != "" {
		id = uploadID + "-essai"
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
	now := time.Now().UTC()
	_ = rs.Importer.Store.PutImportRun(ctx, id, &Report{ID: id, Feed: r.Feed().Name, Label: r.Feed().Label, What: r.Describe(),
		Actor: actor, DryRun: dryRun, State: StateRunning, StartedAt: now})
	rs.wg.Add(1)
	go func() {
		defer rs.wg.Done()
		defer cancel()
		_, err := rs.Importer.Run(ctx, r, Options{DryRun: dryRun, Grace: rs.Grace, Actor: actor, RunID: id})
		if err != nil {
			rs.Importer.Log.Warn("import en échec", "import", id, "err", err)
		}
		if !dryRun && uploadID != "" {
			if p, err := rs.UploadPath(uploadID); err == nil {
				_ = os.Remove(p)
			}
		}
		rs.mu.Lock()
		delete(rs.running, id)
		rs.mu.Unlock()
	}()
	return id
}

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
