package indexer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// Source is what a rebuild reads: the store.
type Source interface {
	// EachService calls fn with every service, whatever its status.
	EachService(ctx context.Context, fn func(*directory.Service) error) error
	// Structure returns a structure by id; ENOTFOUND when there is none.
	Structure(ctx context.Context, id string) (*directory.Structure, error)
}

// StructureLister is an optional Source method: a rebuild that can read all
// structures in one pass does so instead of reading them one by one.
type StructureLister interface {
	EachStructure(ctx context.Context, fn func(*directory.Structure) error) error
}

// Index is the search index. It is safe for concurrent use: searches run in
// parallel with each other and with writes; a rebuild runs beside both and
// swaps in when done.
//
// On disk, the index root holds generations ("gen-<n>") and a file CURRENT
// naming the one in use. A rebuild writes a new generation, then renames a new
// CURRENT into place, so a crash at any point leaves a complete generation
// named by CURRENT.
type Index struct {
	root    string
	gaz     *geo.Gazetteer
	mapping *mapping.IndexMappingImpl
	an      analyzers
	lex     *lexicon
	now     func() time.Time

	rebuildMu sync.Mutex // one rebuild at a time

	wmu     sync.Mutex        // serialises writes; held by Put, Delete and the swap
	pending map[string]*entry // writes made during a rebuild, nil entry for a delete; nil when not rebuilding

	mu      sync.RWMutex // guards cur and lengths; searches hold it for reading while they run
	cur     bleve.Index
	lengths fieldLengths // of cur
	gen     string       // directory name of cur, "" when cur is a memory stand-in
	stale   bool         // cur is missing, of another mapping version, or would not open

	rev atomic.Uint64 // see Revision

	sheets sheets // decoded keys of the segments of cur
}

const currentFile = "CURRENT"

var errClosed = errors.New("indexer: the index is closed")

// batchSize is the number of documents of one bulk-insert batch.
const batchSize = 2000

// Open opens the current generation under dir, creating dir if needed. A
// missing index, one of another mapping version or one that will not open is
// not an error: NeedsRebuild reports it, and until the rebuild the index
// serves what it has (an empty index when nothing opens).
func Open(dir string, gaz *geo.Gazetteer) (*Index, error) {
	im, err := newMapping()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("indexer: %w", err)
	}
	ix := &Index{
		root:    dir,
		gaz:     gaz,
		mapping: im,
		an: analyzers{
			text:    im.AnalyzerNamed(analyzerName),
			words:   im.AnalyzerNamed(wordsAnalyzerName),
			keyword: im.AnalyzerNamed(keyword.Name),
		},
		now:    time.Now,
		sheets: sheets{budget: sheetBudget},
	}
	rules, err := parseRules(strings.NewReader(lexiconFile))
	if err == nil {
		ix.lex, err = newLexicon(rules, ix.an.text)
	}
	if err != nil {
		return nil, fmt.Errorf("indexer: %w", err)
	}
	ix.an.lex = ix.lex
	if err := ix.an.split(); err != nil {
		return nil, err
	}

	gen, _ := os.ReadFile(filepath.Join(dir, currentFile))
	if name := strings.TrimSpace(string(gen)); name != "" {
		if idx, err := bleve.OpenUsing(filepath.Join(dir, name), runtimeConfig()); err == nil {
			ix.cur, ix.gen = idx, name
			v, err := idx.GetInternal(internalVersionKey)
			ix.stale = err != nil || string(v) != ix.version()
			l, _ := idx.GetInternal(internalLengthsKey)
			ix.lengths = decodeLengths(l)
		}
	}
	if ix.cur != nil {
		ix.removeStrayGenerations(ix.gen) // left by an interrupted rebuild
	} else {
		// A memory stand-in of the same index type, so that searches and
		// writes work until the rebuild.
		if ix.cur, err = bleve.NewUsing("", im, scorch.Name, scorch.Name, nil); err != nil {
			return nil, fmt.Errorf("indexer: %w", err)
		}
		ix.stale, ix.lengths = true, defaultLengths
	}
	return ix, nil
}

// runtimeConfig lets batches return without waiting for the disk: a crash
// loses at most the last writes, which the start-up reconciliation with the
// store (Versions) restores.
func runtimeConfig() map[string]any {
	return map[string]any{"unsafe_batch": true}
}

// version is what an index must have recorded to be used as it is: the
// mapping version and the lexicon's set of phrases.
func (ix *Index) version() string {
	return strconv.Itoa(MappingVersion) + "/" + ix.lex.version
}

// persist waits until everything written to idx is on disk; with a version,
// it first records it, with the field lengths. Batches do not wait for the
// disk (runtimeConfig), and closing an index drops what is not yet persisted.
func persist(idx bleve.Index, version string, lengths fieldLengths) error {
	done := make(chan error, 1)
	b := idx.NewBatch()
	if version != "" {
		b.SetInternal(internalVersionKey, []byte(version))
		b.SetInternal(internalLengthsKey, lengths.encode())
	} else {
		b.SetInternal([]byte("repere_persisted"), []byte(time.Now().UTC().Format(time.RFC3339)))
	}
	b.SetPersistedCallback(func(err error) { done <- err })
	if err := idx.Batch(b); err != nil {
		return err
	}
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		return errors.New("indexer: the index was not persisted within a minute")
	}
}

// NeedsRebuild reports whether the index must be rebuilt from the store: it
// was missing, of another version (mapping or lexicon phrases), or would not
// open.
func (ix *Index) NeedsRebuild() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.stale
}

// Rebuild builds a new generation from src and swaps it in; searches and
// writes go on against the current one meanwhile, and writes made during the
// rebuild are replayed onto the new one before the swap. progress, if not
// nil, is called with the number of services read so far.
func (ix *Index) Rebuild(ctx context.Context, src Source, progress func(done int)) error {
	ix.rebuildMu.Lock()
	defer ix.rebuildMu.Unlock()

	// From here on, writes are recorded to be replayed onto the new
	// generation: src may have been read before them.
	ix.wmu.Lock()
	ix.pending = map[string]*entry{}
	ix.wmu.Unlock()
	name := "gen-" + strconv.FormatInt(time.Now().UnixNano(), 10)
	path := filepath.Join(ix.root, name)
	idx, err := bleve.NewUsing(path, ix.mapping, scorch.Name, scorch.Name, runtimeConfig())
	fail := func(err error) error {
		ix.wmu.Lock()
		ix.pending = nil
		ix.wmu.Unlock()
		if idx != nil {
			_ = idx.Close()
		}
		_ = os.RemoveAll(path)
		return err
	}
	if err != nil {
		return fail(fmt.Errorf("indexer: create %s: %w", name, err))
	}

	entries, err := ix.read(ctx, src, progress)
	if err != nil {
		return fail(err)
	}
	// Z-order: documents near each other on the map land in the same
	// segments and postings runs, which makes geographic queries cheaper.
	slices.SortFunc(entries, func(a, b *entry) int {
		if a.morton != b.morton {
			if a.morton < b.morton {
				return -1
			}
			return 1
		}
		return strings.Compare(a.id, b.id)
	})
	docs, tally, stop := ix.documents(ctx, entries)
	defer stop()
	for batch := range docs {
		b := idx.NewBatch()
		for _, d := range batch {
			if err := b.IndexAdvanced(d); err != nil {
				return fail(err)
			}
		}
		if err := idx.Batch(b); err != nil {
			return fail(fmt.Errorf("indexer: rebuild batch: %w", err))
		}
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	// Few segments: smaller (fewer dictionaries) and faster to search.
	// The merge takes persisted segments only, hence the first persist.
	if err := persist(idx, "", nil); err != nil {
		return fail(err)
	}
	if adv, err := idx.Advanced(); err == nil {
		if sc, ok := adv.(*scorch.Scorch); ok {
			if err := sc.ForceMerge(ctx, nil); err != nil {
				return fail(fmt.Errorf("indexer: merge: %w", err))
			}
		}
	}
	if err := persist(idx, ix.version(), tally.means()); err != nil {
		return fail(err)
	}
	// Reopening drops the files the merge made obsolete.
	if err := idx.Close(); err != nil {
		return fail(err)
	}
	if idx, err = bleve.OpenUsing(path, runtimeConfig()); err != nil {
		return fail(fmt.Errorf("indexer: reopen %s: %w", name, err))
	}

	ix.wmu.Lock()
	for id, e := range ix.pending {
		if err = ix.write(idx, id, e); err != nil {
			break
		}
	}
	if err == nil {
		err = writeCurrent(ix.root, name)
	}
	if err != nil {
		ix.pending = nil
		ix.wmu.Unlock()
		_ = idx.Close()
		_ = os.RemoveAll(path)
		return fmt.Errorf("indexer: rebuild: %w", err)
	}
	ix.pending = nil
	ix.mu.Lock()
	old, oldGen := ix.cur, ix.gen
	ix.cur, ix.gen, ix.stale, ix.lengths = idx, name, false, tally.means()
	ix.rev.Add(1)
	ix.mu.Unlock()
	ix.wmu.Unlock()

	_ = old.Close()
	if oldGen != "" {
		_ = os.RemoveAll(filepath.Join(ix.root, oldGen))
	}
	ix.removeStrayGenerations(name)
	return nil
}

// documents makes the bleve documents of entries, a batch at a time, on
// every core and a batch ahead of the caller: it analyses the texts and
// finds the phrases, which took a third of a rebuild at 1,000,000 services
// on one core while bleve's segment building waited. Each entry is
// released once its document is made. The tally is complete once the
// channel is closed; stop ends the work early.
func (ix *Index) documents(ctx context.Context, entries []*entry) (<-chan []*document.Document, *lengthTally, func()) {
	ctx, cancel := context.WithCancel(ctx)
	out := make(chan []*document.Document, 1)
	workers := runtime.GOMAXPROCS(0)
	tallies := make([]lengthTally, workers)
	total := &lengthTally{}
	go func() {
		defer close(out)
		for start := 0; start < len(entries); start += batchSize {
			part := entries[start:min(start+batchSize, len(entries))]
			batch := make([]*document.Document, len(part))
			var wg sync.WaitGroup
			for w := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := w; i < len(part); i += workers {
						batch[i] = ix.an.document(part[i], &tallies[w])
					}
				}()
			}
			wg.Wait()
			clear(part)
			select {
			case out <- batch:
			case <-ctx.Done():
				return
			}
		}
		for _, t := range tallies {
			total.docs += t.docs
			for field, n := range t.terms {
				total.add(field, n)
			}
		}
	}()
	stop := func() {
		cancel()
		for range out { // the producer ends at its next batch
		}
	}
	return out, total, stop
}

// read reduces every service of src to an entry, reading each structure once.
func (ix *Index) read(ctx context.Context, src Source, progress func(int)) ([]*entry, error) {
	structures := map[string]*directory.Structure{}
	if l, ok := src.(StructureLister); ok {
		err := l.EachStructure(ctx, func(st *directory.Structure) error {
			structures[st.ID] = st
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("indexer: structures: %w", err)
		}
	}
	// Reducing a service to its entry (texts, zones, keys) cost as much as
	// reading it: the store is read here, the entries are made on every
	// core.
	type pair struct {
		s  *directory.Service
		st *directory.Structure
	}
	in := make(chan pair, 256)
	workers := runtime.GOMAXPROCS(0)
	made := make([][]*entry, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range in {
				made[w] = append(made[w], newEntry(p.s, p.st))
			}
		}()
	}
	n := 0
	err := src.EachService(ctx, func(s *directory.Service) error {
		var st *directory.Structure
		if s.Status == directory.StatusPublished && s.StructureID != "" {
			var ok bool
			if st, ok = structures[s.StructureID]; !ok {
				var err error
				st, err = src.Structure(ctx, s.StructureID)
				if directory.ErrorCode(err) == directory.ENOTFOUND {
					st, err = nil, nil
				}
				if err != nil {
					return fmt.Errorf("indexer: structure %s: %w", s.StructureID, err)
				}
				structures[s.StructureID] = st
			}
		}
		select {
		case in <- pair{s, st}:
		case <-ctx.Done():
			return ctx.Err()
		}
		n++
		if progress != nil {
			progress(n)
		}
		return nil
	})
	close(in)
	wg.Wait()
	return slices.Concat(made...), err
}

func writeCurrent(root, name string) error {
	tmp := filepath.Join(root, currentFile+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	_, err = f.WriteString(name + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(root, currentFile))
	}
	return err
}

// removeStrayGenerations deletes generations left by interrupted rebuilds.
func (ix *Index) removeStrayGenerations(keep string) {
	dirs, _ := os.ReadDir(ix.root)
	for _, d := range dirs {
		if d.IsDir() && strings.HasPrefix(d.Name(), "gen-") && d.Name() != keep {
			_ = os.RemoveAll(filepath.Join(ix.root, d.Name()))
		}
	}
}

// Put indexes s as it is now and returns once searches see it. A published
// service becomes searchable; its suspension, if any, is checked at search
// time, since it ends without a write. A draft or archived service stays in
// the index as a document holding only its version, which no search selects:
// the index thus records the version of every service it was told about, in
// the same write as the change, for Versions. st may be nil when the
// structure is unknown; a structure's name is copied into its services, so a
// renamed structure needs its services put again.
func (ix *Index) Put(s *directory.Service, st *directory.Structure) error {
	if s.ID == "" {
		return directory.Errorf(directory.EINVALID, "Service sans identifiant.")
	}
	e := newEntry(s, st)
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	if ix.cur == nil {
		return errClosed
	}
	return ix.write(ix.cur, s.ID, e)
}

// PutMany indexes services in one batch, as Put does one by one (imports
// write thousands). structure gives each service's structure, or nil.
func (ix *Index) PutMany(svcs []*directory.Service, structure func(id string) *directory.Structure) error {
	entries := make([]*entry, len(svcs))
	for i, s := range svcs {
		if s.ID == "" {
			return directory.Errorf(directory.EINVALID, "Service sans identifiant.")
		}
		entries[i] = newEntry(s, structure(s.StructureID))
	}
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	if ix.cur == nil {
		return errClosed
	}
	b := ix.cur.NewBatch()
	for _, e := range entries {
		if err := b.IndexAdvanced(ix.an.document(e, nil)); err != nil {
			return fmt.Errorf("indexer: write %s: %w", e.id, err)
		}
	}
	if err := ix.cur.Batch(b); err != nil {
		return fmt.Errorf("indexer: write batch: %w", err)
	}
	if ix.pending != nil {
		for _, e := range entries {
			ix.pending[e.id] = e
		}
	}
	ix.rev.Add(1)
	return nil
}

// Delete removes a service that no longer exists in the store.
func (ix *Index) Delete(id string) error {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	if ix.cur == nil {
		return errClosed
	}
	return ix.write(ix.cur, id, nil)
}

// write applies one change to idx, recording it for the rebuild under way.
// The caller holds wmu, so ix.cur does not change meanwhile.
func (ix *Index) write(idx bleve.Index, id string, e *entry) error {
	var err error
	if e == nil {
		err = idx.Delete(id)
	} else {
		b := idx.NewBatch()
		if err = b.IndexAdvanced(ix.an.document(e, nil)); err == nil {
			err = idx.Batch(b)
		}
	}
	if err != nil {
		return fmt.Errorf("indexer: write %s: %w", id, err)
	}
	if ix.pending != nil && idx == ix.cur {
		ix.pending[id] = e
	}
	if idx == ix.cur {
		ix.rev.Add(1)
	}
	return nil
}

// Versions returns the version of every service the index holds, published
// or not, so that start-up can re-put the services whose version differs in
// the store and delete those the store no longer has.
func (ix *Index) Versions() (map[string]int64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.cur == nil {
		return nil, errClosed
	}
	adv, err := ix.cur.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return nil, err
	}
	defer ids.Close()
	dv, err := r.DocValueReader([]string{fieldKeys})
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for {
		iid, err := ids.Next()
		if err != nil {
			return nil, err
		}
		if iid == nil {
			return out, nil
		}
		id, err := r.ExternalID(iid)
		if err != nil {
			return nil, err
		}
		v := int64(-1)
		err = dv.VisitDocValues(iid, func(_ string, term []byte) {
			if bytes.HasPrefix(term, []byte(keyVersion)) {
				if n, ok := parse36(term[len(keyVersion):]); ok {
					v = n
				}
			}
		})
		if err != nil {
			return nil, err
		}
		out[id] = v
	}
}

// Close closes the index; it must not be used afterwards.
func (ix *Index) Close() error {
	ix.rebuildMu.Lock()
	defer ix.rebuildMu.Unlock()
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.cur == nil {
		return errClosed
	}
	var err error
	if ix.gen != "" {
		err = persist(ix.cur, "", nil)
	}
	if cerr := ix.cur.Close(); err == nil {
		err = cerr
	}
	ix.cur = nil
	return err
}
