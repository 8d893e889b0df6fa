package indexer

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestReady: an index is ready once built, not while it is a stand-in for a
// missing or damaged one, nor once closed.
func TestReady(t *testing.T) {
	dir := t.TempDir()
	ix := open(t, dir)
	if ix.Ready() == nil {
		t.Error("an index never built is ready")
	}
	b := newBuilder(t)
	b.add("s", "one", b.at(chatellerault))
	if err := ix.Rebuild(context.Background(), b.source(), nil); err != nil {
		t.Fatal(err)
	}
	if err := ix.Ready(); err != nil {
		t.Errorf("a built index is not ready: %v", err)
	}
	gen := ix.gen
	ix.Close()
	if ix.Ready() == nil {
		t.Error("a closed index is ready")
	}

	// Damaged on disk: reopened, it waits for its rebuild and says so.
	if err := os.WriteFile(filepath.Join(dir, gen, "index_meta.json"), []byte("{garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	ix = open(t, dir)
	defer ix.Close()
	if ix.Ready() == nil {
		t.Error("a damaged index is ready")
	}
	if err := ix.Rebuild(context.Background(), b.source(), nil); err != nil {
		t.Fatal(err)
	}
	if err := ix.Ready(); err != nil {
		t.Errorf("rebuilt, the index is not ready: %v", err)
	}
}
