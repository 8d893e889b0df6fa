package indexer

import (
	"bytes"
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
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
	s := &sumSearcher{opts: opts}
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
	children []search.Searcher
	curr     []*search.DocumentMatch // the current match of each child; nil when done
	started  bool
	next     []byte // scratch: the smallest current document id
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
