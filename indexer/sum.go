package indexer

import (
	"bytes"
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// sumQuery matches the documents any of its queries matches, scored by the
// sum of their scores. bleve's disjunction multiplies that sum by the share
// of its queries that match (coordination), which suits the words of a
// query (the more of them a service holds, the better) but not the ways of
// finding one word: a word found only through its thématique would count a
// seventeenth of its weight because the word has sixteen other ways to be
// found. Unscored, it is bleve's disjunction.
type sumQuery []query.Query

func (q sumQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	if opts.Score == "none" || len(q) == 1 {
		return disjunction(q).Searcher(ctx, r, m, opts)
	}
	s := &sumSearcher{opts: opts, queries: q}
	for _, sub := range q {
		c, err := sub.Searcher(ctx, r, m, opts)
		if err != nil {
			_ = s.Close()
			return nil, err
		}
		s.children = append(s.children, c)
	}
	s.curr = make([]*search.DocumentMatch, len(s.children))
	return s, nil
}

type sumSearcher struct {
	opts     search.SearcherOptions
	queries  sumQuery
	children []search.Searcher
	curr     []*search.DocumentMatch // the current match of each child; nil when done
	started  bool
	next     []byte // scratch: the smallest current document id
	// Under a pruner (top of a search only): the children by bound, their
	// bounds and the scores of the document being scored.
	prune          *pruner
	queryNorm      float64 // set by SetQueryNorm; 0 when never set
	order          []int
	bounds, scores []float64
}

func (s *sumSearcher) start(ctx *search.SearchContext) error {
	s.started = true
	for i, c := range s.children {
		var err error
		if s.curr[i], err = c.Next(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (s *sumSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(ctx); err != nil {
			return nil, err
		}
	}
	if s.prune != nil {
		return s.nextPruned(ctx)
	}
	s.next = s.next[:0]
	found := false
	for _, m := range s.curr {
		if m != nil && (!found || bytes.Compare(m.IndexInternalID, s.next) < 0) {
			s.next, found = append(s.next[:0], m.IndexInternalID...), true
		}
	}
	if !found {
		return nil, nil
	}
	var rv *search.DocumentMatch
	var expl []*search.Explanation
	for i, m := range s.curr {
		if m == nil || !bytes.Equal(m.IndexInternalID, s.next) {
			continue
		}
		if s.opts.Explain {
			expl = append(expl, m.Expl)
		}
		if rv == nil {
			rv = m
		} else {
			rv.Score += m.Score
			ctx.DocumentMatchPool.Put(m)
		}
		var err error
		if s.curr[i], err = s.children[i].Next(ctx); err != nil {
			return nil, err
		}
	}
	if s.opts.Explain {
		rv.Expl = &search.Explanation{Value: rv.Score, Message: "sum of:", Children: expl}
	}
	return rv, nil
}

func (s *sumSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if !s.started {
		if err := s.start(ctx); err != nil {
			return nil, err
		}
	}
	for i, m := range s.curr {
		if m == nil || bytes.Compare(m.IndexInternalID, id) >= 0 {
			continue
		}
		ctx.DocumentMatchPool.Put(m)
		var err error
		if s.curr[i], err = s.children[i].Advance(ctx, id); err != nil {
			return nil, err
		}
	}
	return s.Next(ctx)
}

func (s *sumSearcher) Close() error {
	var err error
	for _, c := range s.children {
		if cerr := c.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func (s *sumSearcher) Weight() float64 {
	var w float64
	for _, c := range s.children {
		w += c.Weight()
	}
	return w
}

func (s *sumSearcher) SetQueryNorm(n float64) {
	s.queryNorm = n
	for _, c := range s.children {
		c.SetQueryNorm(n)
	}
}

func (s *sumSearcher) Count() uint64 {
	var n uint64
	for _, c := range s.children {
		n += c.Count()
	}
	return n
}

func (s *sumSearcher) Min() int { return 0 }

func (s *sumSearcher) Size() int {
	n := 64 + 8*len(s.curr) + len(s.next)
	for _, c := range s.children {
		n += c.Size()
	}
	return n
}

func (s *sumSearcher) DocumentMatchPoolSize() int {
	n := len(s.children)
	for _, c := range s.children {
		n += c.DocumentMatchPoolSize()
	}
	return n
}

// pruner lets the top sumSearcher of a search skip the documents that
// cannot enter its first results (MaxScore): a document matching only
// clauses whose bounds add up to less than the score of the last kept
// result is not scored. The facets and the total are counted beforehand,
// from the posting bitmaps (countWide), so they do not need every match.
type pruner struct {
	threshold func() float64        // the score a match must reach; -Inf until enough are kept
	admit     func(doc uint64) bool // whether a document passes the filters; called in order
}

// bound returns the highest score child i can give, +Inf when unknown. A
// term's BM25 score is idf × tf·k1 / (tf + k1·(1 − b + b·length/average)),
// under idf × k1, times its query weight: boost × idf × the query norm once
// set (see scan.run), else 1. bleve tells (boost × idf)² as the term
// searcher's Weight.
func (s *sumSearcher) bound(i int) float64 {
	tq, ok := s.queries[i].(*query.TermQuery)
	if _, leaf := s.children[i].(*searcher.TermSearcher); !ok || !leaf || tq.Boost() <= 0 {
		return math.Inf(1)
	}
	w := math.Sqrt(s.children[i].Weight()) // boost × idf
	weight := 1.0
	if s.queryNorm > 0 {
		weight = w * s.queryNorm
	}
	return w / tq.Boost() * search.BM25_k1 * weight
}

// nextPruned is Next under a pruner. Children are ordered by bound; those
// whose bounds together stay under the threshold only complete the score of
// a document another child found.
func (s *sumSearcher) nextPruned(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if s.order == nil {
		s.order = make([]int, len(s.children))
		s.bounds = make([]float64, len(s.children))
		s.scores = make([]float64, len(s.children))
		for i := range s.children {
			s.order[i], s.bounds[i] = i, s.bound(i)
		}
		slices.SortStableFunc(s.order, func(a, b int) int { return cmp.Compare(s.bounds[a], s.bounds[b]) })
	}
	for {
		theta := s.prune.threshold()
		// The children before e can only complete a score.
		e, sum := 0, 0.0
		for e < len(s.order) && sum+s.bounds[s.order[e]] < theta {
			sum += s.bounds[s.order[e]]
			e++
		}
		var doc uint64
		found := false
		for _, i := range s.order[e:] {
			if m := s.curr[i]; m != nil && (!found || m.IndexInternalID.Value() < doc) {
				doc, found = m.IndexInternalID.Value(), true
			}
		}
		if !found {
			return nil, nil
		}
		var rv *search.DocumentMatch
		clear(s.scores)
		// The essential children at doc give their score and move on.
		for _, i := range s.order[e:] {
			m := s.curr[i]
			if m == nil || m.IndexInternalID.Value() != doc {
				continue
			}
			s.scores[i] = m.Score
			if rv == nil {
				rv = m
			} else {
				ctx.DocumentMatchPool.Put(m)
			}
			var err error
			if s.curr[i], err = s.children[i].Next(ctx); err != nil {
				return nil, err
			}
		}
		if !s.prune.admit(doc) {
			ctx.DocumentMatchPool.Put(rv)
			continue
		}
		// The others, the highest bound first, while the document can
		// still reach the threshold.
		score := 0.0
		for _, v := range s.scores {
			score += v
		}
		rest := sum
		for j := e - 1; j >= 0 && score+rest >= theta; j-- {
			i := s.order[j]
			rest -= s.bounds[i]
			m := s.curr[i]
			if m != nil && m.IndexInternalID.Value() < doc {
				ctx.DocumentMatchPool.Put(m)
				var err error
				if m, err = s.children[i].Advance(ctx, rv.IndexInternalID); err != nil {
					return nil, err
				}
				s.curr[i] = m
			}
			if m != nil && m.IndexInternalID.Value() == doc {
				s.scores[i] = m.Score
				score += m.Score
			}
		}
		if score+rest < theta {
			ctx.DocumentMatchPool.Put(rv)
			continue
		}
		// The score as Next sums it, in the order of the children, so that
		// equal documents score equal to the last bit.
		rv.Score = 0
		for _, v := range s.scores {
			rv.Score += v
		}
		return rv, nil
	}
}
