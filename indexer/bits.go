package indexer

import (
	"context"
	"fmt"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// bitsQuery selects, unscored, the documents that hold at least one term of
// each of its unions, all terms of fieldFilter. Where a search is (the zones
// of a commune, the cells near its centre, a structure) takes a few dozen
// terms; as bleve queries, their searchers would read and score every
// posting of each and merge them in heaps at every step of the search.
// Here the posting bitmaps of each segment are combined once, and the search
// walks the result.
type bitsQuery [][]string

func (q bitsQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts search.SearcherOptions) (search.Searcher, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, errNotScorch(r)
	}
	var segs []bitsSegment
	var offset uint64
	for _, ss := range snap.Segments() {
		bm, err := q.segmentBits(ss)
		if err != nil {
			return nil, err
		}
		if !bm.IsEmpty() {
			segs = append(segs, bitsSegment{offset: offset, bits: bm})
		}
		offset += ss.Segment().Count()
	}
	return newBitsSearcher(segs), nil
}

func errNotScorch(r index.IndexReader) error {
	return fmt.Errorf("indexer: %T is not a scorch snapshot", r)
}

// segmentBits returns the local numbers of the documents of one segment
// that q selects, deleted ones left out.
func (q bitsQuery) segmentBits(ss *scorch.SegmentSnapshot) (*roaring.Bitmap, error) {
	dict, err := ss.Segment().Dictionary(fieldFilter)
	if err != nil {
		return nil, err
	}
	var out *roaring.Bitmap
	for _, union := range q {
		u := roaring.New()
		for _, t := range union {
			it, err := termPostings(dict, []byte(t), ss.Deleted())
			if err != nil {
				return nil, err
			}
			orPostings(u, it)
		}
		if out == nil {
			out = u
		} else {
			out.And(u)
		}
		if out.IsEmpty() {
			break
		}
	}
	if out == nil {
		out = roaring.New()
	}
	return out, nil
}

// termPostings returns the documents of term in dict, less except (nil:
// none), without frequencies, norms or locations.
func termPostings(dict segment.TermDictionary, term []byte, except *roaring.Bitmap) (segment.PostingsIterator, error) {
	pl, err := dict.PostingsList(term, except, nil)
	if err != nil {
		return nil, err
	}
	return pl.Iterator(false, false, false, nil), nil
}

// orPostings adds the documents of a postings iterator to u, through its
// bitmap when it shows one (which u must not keep: it is the segment's).
func orPostings(u *roaring.Bitmap, it segment.PostingsIterator) {
	if o, ok := it.(segment.OptimizablePostingsIterator); ok {
		if bm := o.ActualBitmap(); bm != nil {
			u.Or(bm)
			return
		}
		if d, ok := o.DocNum1Hit(); ok {
			u.Add(uint32(d))
			return
		}
	}
	for {
		p, err := it.Next()
		if err != nil || p == nil {
			return
		}
		u.Add(uint32(p.Number()))
	}
}

type bitsSegment struct {
	offset uint64
	bits   *roaring.Bitmap
}

// bitsSearcher walks the selected documents, segment after segment, in the
// order of their global numbers. Its matches score 0: where a search is does
// not make a service more relevant (distance does, in rank).
type bitsSearcher struct {
	segs  []bitsSegment
	seg   int
	it    roaring.IntPeekable
	count uint64
}

func newBitsSearcher(segs []bitsSegment) *bitsSearcher {
	s := &bitsSearcher{segs: segs}
	for _, sg := range segs {
		s.count += sg.bits.GetCardinality()
	}
	if len(segs) > 0 {
		s.it = segs[0].bits.Iterator()
	}
	return s
}

func (s *bitsSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for s.seg < len(s.segs) {
		if s.it.HasNext() {
			dm := ctx.DocumentMatchPool.Get()
			dm.IndexInternalID = index.NewIndexInternalID(dm.IndexInternalID, s.segs[s.seg].offset+uint64(s.it.Next()))
			return dm, nil
		}
		s.nextSegment()
	}
	return nil, nil
}

func (s *bitsSearcher) nextSegment() {
	s.seg++
	if s.seg < len(s.segs) {
		s.it = s.segs[s.seg].bits.Iterator()
	}
}

func (s *bitsSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	target := id.Value()
	for s.seg+1 < len(s.segs) && target >= s.segs[s.seg+1].offset {
		s.nextSegment()
	}
	if s.seg < len(s.segs) && target > s.segs[s.seg].offset {
		s.it.AdvanceIfNeeded(uint32(target - s.segs[s.seg].offset))
	}
	return s.Next(ctx)
}

func (s *bitsSearcher) Close() error               { return nil }
func (s *bitsSearcher) Weight() float64            { return 0 }
func (s *bitsSearcher) SetQueryNorm(float64)       {}
func (s *bitsSearcher) Count() uint64              { return s.count }
func (s *bitsSearcher) Min() int                   { return 0 }
func (s *bitsSearcher) DocumentMatchPoolSize() int { return 1 }

func (s *bitsSearcher) Size() int {
	n := 64
	for _, sg := range s.segs {
		n += 16 + int(sg.bits.GetSizeInBytes())
	}
	return n
}
