// Package cache is the one in-memory cache of Repère: bounded in bytes and
// in age, whatever the keys anonymous visitors choose. Every cache of the
// site is one of these, so that the sum of their budgets is the most memory
// caches can ever hold.
package cache

import (
	"container/list"
	"strings"
	"sync"
	"time"
)

// entryOverhead is what an entry costs beside its key and value: the list
// element, the map slot and the entry itself, rounded up.
const entryOverhead = 160

// Cache keeps values by key, least recently used out first, so that the
// keys and sizes of the values it holds never add up to more than its
// budget, and no value is served older than its TTL. Concurrent Loads of a
// missing key run one computation. Keys are copied: a key may point into a
// request buffer that is reused once the handler returns. Safe for
// concurrent use.
type Cache[V any] struct {
	maxBytes int64
	ttl      time.Duration
	size     func(key string, v V) int
	now      func() time.Time

	mu      sync.Mutex
	used    int64
	lru     list.List // of *entry[V], most recent first
	items   map[string]*list.Element
	loading map[string]*call[V]
}

type entry[V any] struct {
	key     string
	value   V
	bytes   int64
	expires time.Time
}

type call[V any] struct {
	done  chan struct{}
	value V
	err   error
}

// New returns a cache holding at most maxBytes (keys, values as size
// measures them, and a fixed overhead per entry), each value for at most
// ttl. size estimates the memory a value keeps alive besides its key (a
// value parsed from its key may keep pieces of it).
func New[V any](maxBytes int64, ttl time.Duration, size func(key string, v V) int) *Cache[V] {
	return &Cache[V]{maxBytes: maxBytes, ttl: ttl, size: size, now: time.Now,
		items: map[string]*list.Element{}, loading: map[string]*call[V]{}}
}

// Get returns the value of key, if present and not older than the TTL.
func (c *Cache[V]) Get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.get(key)
}

func (c *Cache[V]) get(key string) (V, bool) {
	el, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	e := el.Value.(*entry[V])
	if !c.now().Before(e.expires) {
		c.remove(el)
		var zero V
		return zero, false
	}
	c.lru.MoveToFront(el)
	return e.value, true
}

// Set stores v under key, dropping the least recently used entries to stay
// within the budget. A value larger than the whole budget is not kept.
func (c *Cache[V]) Set(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.set(key, v)
}

func (c *Cache[V]) set(key string, v V) {
	if el, ok := c.items[key]; ok {
		c.remove(el)
	}
	n := int64(len(key)+c.size(key, v)) + entryOverhead
	if n > c.maxBytes {
		return
	}
	for c.used+n > c.maxBytes {
		c.remove(c.lru.Back())
	}
	key = strings.Clone(key)
	c.items[key] = c.lru.PushFront(&entry[V]{key: key, value: v, bytes: n, expires: c.now().Add(c.ttl)})
	c.used += n
}

func (c *Cache[V]) remove(el *list.Element) {
	e := c.lru.Remove(el).(*entry[V])
	delete(c.items, e.key)
	c.used -= e.bytes
}

// Load returns the value of key, computing it with fn when missing or too
// old. Callers asking for a key being computed wait for that computation.
// Errors are returned to every waiter and not kept.
func (c *Cache[V]) Load(key string, fn func() (V, error)) (V, error) {
	c.mu.Lock()
	if v, ok := c.get(key); ok {
		c.mu.Unlock()
		return v, nil
	}
	if cl, ok := c.loading[key]; ok {
		c.mu.Unlock()
		<-cl.done
		return cl.value, cl.err
	}
	key = strings.Clone(key)
	cl := &call[V]{done: make(chan struct{})}
	c.loading[key] = cl
	c.mu.Unlock()

	defer func() {
		c.mu.Lock()
		delete(c.loading, key)
		if cl.err == nil {
			c.set(key, cl.value)
		}
		c.mu.Unlock()
		close(cl.done)
	}()
	cl.err = errPanicked // stays when fn panics, for the waiters
	cl.value, cl.err = fn()
	return cl.value, cl.err
}

// Len and Bytes report what the cache holds.
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// Bytes is the memory the cache accounts for.
func (c *Cache[V]) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

// Clear drops every entry.
func (c *Cache[V]) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.items)
	c.lru.Init()
	c.used = 0
}

type panicked struct{}

func (panicked) Error() string { return "cache: the computation panicked" }

var errPanicked error = panicked{}
