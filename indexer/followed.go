package indexer

import "time"

var internalFollowedKey = []byte("repere_followed")

// Followed is how far in the store's change log the index has been brought,
// as last recorded by SetFollowed (zero when never): a restart follows the
// log from there instead of comparing every service first.
func (ix *Index) Followed() time.Time {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.cur == nil {
		return time.Time{}
	}
	v, err := ix.cur.GetInternal(internalFollowedKey)
	if err != nil {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, string(v))
	return t
}

// SetFollowed records that every change logged before t is in the index. It
// goes to disk with the writes before it, never ahead of them (one
// batch stream); a rebuild starts without it.
func (ix *Index) SetFollowed(t time.Time) error {
	ix.wmu.Lock()
	defer ix.wmu.Unlock()
	if ix.cur == nil {
		return errClosed
	}
	return ix.cur.SetInternal(internalFollowedKey, []byte(t.UTC().Format(time.RFC3339Nano)))
}
