package ui

import (
	"sync"
	"time"
)

// cache keeps the results of costly computations (a département's counts,
// the sitemap) for a while. Concurrent requests for a missing key wait for
// one computation.
type cache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry
}

type cacheEntry struct {
	ready   chan struct{}
	value   any
	err     error
	expires time.Time
}

// maxCacheEntries bounds the cache: there are about a hundred départements
// and a few sitemap parts.
const maxCacheEntries = 1000

func newCache() *cache { return &cache{entries: map[string]*cacheEntry{}} }

// get returns the value of key, computing it with fn when missing or older
// than ttl. Errors are not kept.
func (c *cache) get(key string, ttl time.Duration, fn func() (any, error)) (any, error) {
	now := time.Now()
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok {
		select {
		case <-e.ready:
			if e.err != nil || now.After(e.expires) {
				ok = false
			}
		default: // being computed: wait for it
		}
	}
	if !ok {
		if len(c.entries) >= maxCacheEntries {
			clear(c.entries)
		}
		e = &cacheEntry{ready: make(chan struct{})}
		c.entries[key] = e
		c.mu.Unlock()
		e.value, e.err = fn()
		e.expires = time.Now().Add(ttl)
		close(e.ready)
		return e.value, e.err
	}
	c.mu.Unlock()
	<-e.ready
	return e.value, e.err
}
