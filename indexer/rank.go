package indexer

import (
	"cmp"
	"math"
	"slices"

	"github.com/repere-spie/repere/internal/directory"
)

// ranker keeps the k first matches of a search in its order as they come,
// so that a search holds k matches, not all of them: a wide search matches
// hundreds of thousands of services and shows twenty.
type ranker struct {
	first *topK
	// Pertinence around a place: those received on site within the radius
	// (matches listed for their remote reach have no distance) and those at
	// a distance are ranked apart, then interleaved.
	remote *topK
	blend  bool // text around a place: relevance blended with distance
}

func newRanker(sort string, text bool, pl *place, k int) *ranker {
	byShuffle := func(a, b match) int {
		return cmp.Or(cmp.Compare(a.shuffle, b.shuffle), cmp.Compare(a.doc, b.doc))
	}
	byScore := func(a, b match) int {
		return cmp.Or(cmp.Compare(b.score, a.score), byShuffle(a, b))
	}
	switch {
	case sort == directory.SortDate:
		return &ranker{first: newTopK(k, func(a, b match) int {
			return cmp.Or(cmp.Compare(b.updated, a.updated), byShuffle(a, b))
		})}
	case pl == nil && text:
		return &ranker{first: newTopK(k, byScore)}
	case pl == nil:
		return &ranker{first: newTopK(k, byShuffle)}
	case sort == directory.SortDistance:
		return &ranker{first: newTopK(k, func(a, b match) int {
			return cmp.Or(compareDistance(a.dist, b.dist), byShuffle(a, b))
		})}
	case text:
		// Relevance blended with distance: halved at distanceScale.
		return &ranker{first: newTopK(k, byScore), remote: newTopK(k, byScore), blend: true}
	default:
		// The nearest first, services in the same tieBand shuffled daily.
		return &ranker{first: newTopK(k, func(a, b match) int {
			return cmp.Or(cmp.Compare(math.Floor(a.dist/tieBand), math.Floor(b.dist/tieBand)), byShuffle(a, b))
		}), remote: newTopK(k, byShuffle)}
	}
}

func (r *ranker) add(m match) {
	switch {
	case r.remote == nil:
		r.first.add(m)
	case math.IsNaN(m.dist):
		r.remote.add(m)
	default:
		if r.blend {
			m.score /= 1 + m.dist/distanceScale
		}
		r.first.add(m)
	}
}

// ranked returns the matches kept, in order.
func (r *ranker) ranked() []match {
	if r.remote == nil {
		return r.first.sorted()
	}
	return interleave(nil, r.first.sorted(), r.remote.sorted())
}

// rank orders all of ms.
func rank(ms []match, sort string, text bool, pl *place) []match {
	r := newRanker(sort, text, pl, len(ms))
	for _, m := range ms {
		r.add(m)
	}
	return r.ranked()
}

// topK keeps the k first matches by cmp of those it is given.
type topK struct {
	k   int
	cmp func(a, b match) int
	h   []match // a heap whose root is the last of the k first so far
}

func newTopK(k int, cmp func(a, b match) int) *topK {
	return &topK{k: k, cmp: cmp, h: make([]match, 0, min(k, 1024))}
}

func (t *topK) add(m match) {
	switch {
	case len(t.h) < t.k:
		t.h = append(t.h, m)
		for i := len(t.h) - 1; i > 0; {
			p := (i - 1) / 2
			if t.cmp(t.h[i], t.h[p]) <= 0 {
				break
			}
			t.h[i], t.h[p] = t.h[p], t.h[i]
			i = p
		}
	case t.k > 0 && t.cmp(m, t.h[0]) < 0:
		t.h[0] = m
		siftDown(t.h, 0, t.cmp)
	}
}

// sorted returns the matches kept, in order.
func (t *topK) sorted() []match {
	slices.SortFunc(t.h, t.cmp)
	return t.h
}

// threshold is the score a match must reach to be kept: that of the last
// kept, once k are; -Inf before.
func (t *topK) threshold() float64 {
	if len(t.h) < t.k || t.k == 0 {
		return math.Inf(-1)
	}
	return t.h[0].score
}
