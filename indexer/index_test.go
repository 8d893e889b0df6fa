package indexer

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

func open(t *testing.T, dir string) *Index {
	t.Helper()
	gaz, _ := gazetteer(t)
	ix, err := Open(dir, gaz)
	if err != nil {
		t.Fatal(err)
	}
	ix.now = func() time.Time { return testNow }
	return ix
}

func TestPutDeleteVersions(t *testing.T) {
	ix := open(t, t.TempDir())
	defer ix.Close()
	if !ix.NeedsRebuild() {
		t.Error("an empty directory does not need a rebuild")
	}
	b := newBuilder(t)
	s := b.add("s", "one", b.at(chatellerault), name("Atelier vélo"))
	other := b.add("s", "two", b.at(chatellerault))
	find := func() []string {
		return ids(t, ix, directory.SearchQuery{Commune: commune(chatellerault), Text: "vélo"})
	}
	steps := []struct {
		name     string
		do       func() error
		found    []string
		versions map[string]int64
	}{
		{"put", func() error { return ix.Put(s, b.structures["s"]) }, []string{"one"}, map[string]int64{"one": 1}},
		{"put another", func() error { return ix.Put(other, nil) }, []string{"one"}, map[string]int64{"one": 1, "two": 1}},
		{"rename", func() error {
			s.Name, s.Version = "Atelier couture", 2
			return ix.Put(s, nil)
		}, nil, map[string]int64{"one": 2, "two": 1}},
		{"rename back", func() error {
			s.Name, s.Version = "Atelier vélo", 3
			return ix.Put(s, nil)
		}, []string{"one"}, map[string]int64{"one": 3, "two": 1}},
		{"unpublish", func() error {
			s.Status, s.Version = directory.StatusDraft, 4
			return ix.Put(s, nil)
		}, nil, map[string]int64{"one": 4, "two": 1}},
		{"republish", func() error {
			s.Status, s.Version = directory.StatusPublished, 5
			return ix.Put(s, nil)
		}, []string{"one"}, map[string]int64{"one": 5, "two": 1}},
		{"delete", func() error { return ix.Delete("one") }, nil, map[string]int64{"two": 1}},
		{"delete unknown", func() error { return ix.Delete("nothing") }, nil, map[string]int64{"two": 1}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := find(); !slices.Equal(got, st.found) {
			t.Errorf("%s: found %v, want %v", st.name, got, st.found)
		}
		v, err := ix.Versions()
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(v, st.versions) {
			t.Errorf("%s: versions %v, want %v", st.name, v, st.versions)
		}
	}
}

func TestReopenAndVersionMismatch(t *testing.T) {
	dir := t.TempDir()
	b := newBuilder(t)
	b.add("s", "one", b.at(chatellerault))
	b.add("s", "draft", b.at(chatellerault), status(directory.StatusDraft))

	ix := open(t, dir)
	if err := ix.Rebuild(context.Background(), b.source(), nil); err != nil {
		t.Fatal(err)
	}
	if ix.NeedsRebuild() {
		t.Error("needs a rebuild right after one")
	}
	extra := b.add("s", "put-after", remote)
	if err := ix.Put(extra, nil); err != nil {
		t.Fatal(err)
	}
	ix.Close()

	// Reopened, it holds what it held.
	ix = open(t, dir)
	if ix.NeedsRebuild() {
		t.Error("a sound index needs a rebuild after reopening")
	}
	if got := ids(t, ix, directory.SearchQuery{}); !slices.Equal(sorted(got), []string{"one", "put-after"}) {
		t.Errorf("after reopening: %v", got)
	}
	if v, _ := ix.Versions(); len(v) != 3 {
		t.Errorf("versions after reopening: %v", v)
	}

	// Another mapping version: a rebuild is needed, the old index serves.
	if err := ix.cur.SetInternal(internalVersionKey, []byte("0")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix = open(t, dir)
	defer ix.Close()
	if !ix.NeedsRebuild() {
		t.Fatal("a version mismatch does not ask for a rebuild")
	}
	if got := ids(t, ix, directory.SearchQuery{}); len(got) != 2 {
		t.Errorf("the old index does not serve: %v", got)
	}
	if err := ix.Rebuild(context.Background(), b.source(), nil); err != nil {
		t.Fatal(err)
	}
	if ix.NeedsRebuild() {
		t.Error("still needs a rebuild")
	}
	gens, _ := filepath.Glob(filepath.Join(dir, "gen-*"))
	if len(gens) != 1 {
		t.Errorf("generations left: %v", gens)
	}
}

func TestBrokenIndex(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(dir, gen string) error
	}{
		{"current names nothing", func(dir, gen string) error {
			return os.WriteFile(filepath.Join(dir, currentFile), []byte("gen-missing\n"), 0o644)
		}},
		{"generation damaged", func(dir, gen string) error {
			return os.WriteFile(filepath.Join(dir, gen, "index_meta.json"), []byte("{garbage"), 0o644)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			b := newBuilder(t)
			b.add("s", "one", b.at(chatellerault))
			ix := open(t, dir)
			if err := ix.Rebuild(context.Background(), b.source(), nil); err != nil {
				t.Fatal(err)
			}
			gen := ix.gen
			ix.Close()
			if err := tc.break_(dir, gen); err != nil {
				t.Fatal(err)
			}
			ix = open(t, dir)
			defer ix.Close()
			if !ix.NeedsRebuild() {
				t.Fatal("a broken index does not ask for a rebuild")
			}
			if got := ids(t, ix, directory.SearchQuery{}); len(got) != 0 {
				t.Errorf("serves %v", got)
			}
			if err := ix.Rebuild(context.Background(), b.source(), nil); err != nil {
				t.Fatal(err)
			}
			if got := ids(t, ix, directory.SearchQuery{}); !slices.Equal(got, []string{"one"}) {
				t.Errorf("after rebuild: %v", got)
			}
		})
	}
}

// TestRebuildWhileServing rebuilds while searches and writes go on: no search
// fails or sees an empty index, and writes made during the rebuild survive
// the swap.
func TestRebuildWhileServing(t *testing.T) {
	b := newBuilder(t)
	for i := range 200 {
		b.add("s", "old-"+string(rune('a'+i%26))+string(rune('a'+i/26)), b.at(chatellerault))
	}
	ix := b.build()
	oldGen := ix.gen

	nb := newBuilder(t)
	for i := range 300 {
		nb.add("s", "new-"+string(rune('a'+i%26))+string(rune('a'+i/26)), b.at(chatellerault))
	}
	src := nb.source()
	src.delay = 200 * time.Microsecond

	var (
		stop     atomic.Bool
		searches atomic.Int64
		wg       sync.WaitGroup
		errs     = make(chan error, 8)
	)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				res, err := ix.Search(context.Background(), directory.SearchQuery{Commune: commune(chatellerault), Now: testNow})
				if err == nil && res.Total < 200 {
					err = &directory.Error{Code: "test", Message: "a search saw a partial index"}
				}
				if err != nil {
					errs <- err
					return
				}
				searches.Add(1)
			}
		}()
	}
	rebuilt := make(chan error, 1)
	reading := make(chan bool)
	go func() {
		rebuilt <- ix.Rebuild(context.Background(), src, func(done int) {
			if done == 1 {
				close(reading)
			}
		})
	}()
	// Writes during the rebuild: one service added, one of the new source
	// unpublished. Both must hold after the swap.
	<-reading
	added := b.add("s", "added-during", b.at(chatellerault))
	if err := ix.Put(added, nil); err != nil {
		t.Fatal(err)
	}
	gone := *nb.services[0]
	gone.Status, gone.Version = directory.StatusArchived, 2
	if err := ix.Put(&gone, nil); err != nil {
		t.Fatal(err)
	}
	if err := <-rebuilt; err != nil {
		t.Fatal(err)
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if searches.Load() < 10 {
		t.Errorf("only %d searches ran during the rebuild", searches.Load())
	}
	got := ids(t, ix, directory.SearchQuery{Commune: commune(chatellerault)})
	if len(got) != 300 || !slices.Contains(got, "added-during") || slices.Contains(got, gone.ID) || slices.Contains(got, "old-aa") {
		t.Errorf("after the swap: %d results (added %v, unpublished %v, old %v)", len(got),
			slices.Contains(got, "added-during"), slices.Contains(got, gone.ID), slices.Contains(got, "old-aa"))
	}
	if _, err := os.Stat(filepath.Join(ix.root, oldGen)); !os.IsNotExist(err) {
		t.Errorf("old generation still there: %v", err)
	}
	cur, _ := os.ReadFile(filepath.Join(ix.root, currentFile))
	if string(cur) != ix.gen+"\n" {
		t.Errorf("CURRENT %q, serving %q", cur, ix.gen)
	}
}

func TestRebuildFailureKeepsServing(t *testing.T) {
	b := newBuilder(t)
	b.add("s", "one", b.at(chatellerault))
	ix := b.build()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ix.Rebuild(ctx, b.source(), nil); err == nil {
		t.Fatal("a cancelled rebuild succeeded")
	}
	if got := ids(t, ix, directory.SearchQuery{}); !slices.Equal(got, []string{"one"}) {
		t.Errorf("after a failed rebuild: %v", got)
	}
	gens, _ := filepath.Glob(filepath.Join(ix.root, "gen-*"))
	if len(gens) != 1 {
		t.Errorf("generations: %v", gens)
	}
}

// listingSource lists its structures, and counts the lookups by id.
type listingSource struct {
	*memSource
	lookups int
}

func (l *listingSource) EachStructure(ctx context.Context, fn func(*directory.Structure) error) error {
	for _, st := range l.structures {
		if err := fn(st); err != nil {
			return err
		}
	}
	return nil
}

func (l *listingSource) Structure(ctx context.Context, id string) (*directory.Structure, error) {
	l.lookups++
	return l.memSource.Structure(ctx, id)
}

func TestRebuildStructures(t *testing.T) {
	b := newBuilder(t)
	b.structures["s1"] = &directory.Structure{ID: "s1", Name: "Maison des solidarités"}
	b.add("s1", "a", b.at(chatellerault))
	b.add("s1", "b", b.at(chatellerault))
	b.add("gone", "orphan", b.at(chatellerault)) // its structure is not in the store
	delete(b.structures, "gone")
	for _, listing := range []bool{false, true} {
		ix := open(t, t.TempDir())
		mem := b.source()
		var src Source = mem
		ls := &listingSource{memSource: mem}
		if listing {
			src = ls
		}
		if err := ix.Rebuild(context.Background(), src, nil); err != nil {
			t.Fatal(err)
		}
		res, err := ix.Search(context.Background(), directory.SearchQuery{Text: "solidarités", Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 2 || res.Hits[0].StructureName != "Maison des solidarités" {
			t.Errorf("listing %v: %d results %+v", listing, res.Total, res.Hits)
		}
		if got := ids(t, ix, directory.SearchQuery{}); len(got) != 3 {
			t.Errorf("listing %v: %v", listing, got)
		}
		if listing && ls.lookups != 1 { // the orphan's structure only
			t.Errorf("%d lookups by id", ls.lookups)
		}
		ix.Close()
	}
}
