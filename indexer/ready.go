package indexer

import "errors"

// Ready reports whether the index can answer searches completely: open, of
// the current mapping (not a stand-in awaiting its rebuild), and readable.
func (ix *Index) Ready() error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.cur == nil {
		return errClosed
	}
	if ix.stale {
		return errors.New("indexer: the index is missing, unreadable or of another mapping version, and awaits its rebuild")
	}
	_, err := ix.cur.DocCount()
	return err
}
