// Package keyedlock serialises work on one record at a time within this
// process: the read-modify-write cycles the embedded FerretDB does not make
// atomic.
package keyedlock

import "sync"

// Set is a set of mutexes by key, each dropped when nobody holds or waits
// for it. The zero value is ready to use.
type Set struct {
	mu sync.Mutex
	m  map[string]*entry
}

type entry struct {
	sync.Mutex
	refs int
}

// Lock locks key and returns the function that unlocks it.
func (s *Set) Lock(key string) (unlock func()) {
	s.mu.Lock()
	if s.m == nil {
		s.m = map[string]*entry{}
	}
	e := s.m[key]
	if e == nil {
		e = &entry{}
		s.m[key] = e
	}
	e.refs++
	s.mu.Unlock()
	e.Lock()
	return func() {
		e.Unlock()
		s.mu.Lock()
		if e.refs--; e.refs == 0 {
			delete(s.m, key)
		}
		s.mu.Unlock()
	}
}
