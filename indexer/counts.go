package indexer

import (
	"context"
	"errors"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// A search over all of France without text (a besoin, a category, a
// structure's services) selects most of the index: reading the keys of
// every live service to count the facets costs ~60 ns each, 60 ms at a
// million. Its facets are instead counted from the posting bitmaps of the
// facet values, as cardinalities of intersections, and only the services
// that pass every filter are read, to be ranked.

// codeTerms are the keys terms of the codes.
var codeTerms = func() []string {
	out := make([]string, len(book.codes))
	for c, fc := range book.codes {
		out[c] = keyTerm(fc.prefix, fc.value)
	}
	out[book.all] = publicAll // the term "tous-publics" stands for
	return out
}()

// countable reports whether a search's facets can be counted from the
// posting bitmaps: no place (whose radius is a distance), no text, no date
// bound.
func countable(q *directory.SearchQuery, pl *place, text query.Query) bool {
	return pl == nil && text == nil && q.UpdatedSince == nil
}

// selector returns the documents of a segment a search selects, a bitmap the
// caller may change; nil for every live one.
type selector func(ss *scorch.SegmentSnapshot) (*roaring.Bitmap, error)

// termSelector selects the documents of a filter term; termLive is every
// live one.
func termSelector(term string) selector {
	return func(ss *scorch.SegmentSnapshot) (*roaring.Bitmap, error) {
		if term == termLive {
			return nil, nil
		}
		return queryBits(termQuery(fieldFilter, term), ss)
	}
}

// textSelector selects the documents a text query matches.
func textSelector(q query.Query) selector {
	return func(ss *scorch.SegmentSnapshot) (*roaring.Bitmap, error) { return queryBits(q, ss) }
}

// errNoBits says a query holds a kind queryBits does not evaluate.
var errNoBits = errors.New("indexer: no bitmap for this query")

// queryBits returns the documents of one segment q matches, deleted ones
// included, as a new bitmap.
func queryBits(q query.Query, ss *scorch.SegmentSnapshot) (*roaring.Bitmap, error) {
	var any []query.Query
	switch q := q.(type) {
	case *query.TermQuery:
		dict, err := ss.Segment().Dictionary(q.FieldVal)
		if err != nil {
			return nil, err
		}
		it, err := termPostings(dict, []byte(q.Term), nil)
		if err != nil {
			return nil, err
		}
		out := roaring.New()
		orPostings(out, it)
		return out, nil
	case *query.ConjunctionQuery:
		var out *roaring.Bitmap
		for _, c := range q.Conjuncts {
			b, err := queryBits(c, ss)
			if err != nil {
				return nil, err
			}
			if out == nil {
				out = b
			} else {
				out.And(b)
			}
		}
		if out == nil {
			out = roaring.New()
		}
		return out, nil
	case *query.DisjunctionQuery:
		if q.Min > 1 {
			return nil, errNoBits
		}
		any = q.Disjuncts
	case sumQuery:
		any = q
	default:
		return nil, errNoBits
	}
	out := roaring.New()
	for _, c := range any {
		b, err := queryBits(c, ss)
		if err != nil {
			return nil, err
		}
		out.Or(b)
	}
	return out, nil
}

// countWide counts the facets of the documents sel selects into sc.counts,
// and returns those that pass every filter, which sc.run then reads with
// sc.counted set; readAll says that sel selects every live document and
// that sc.run reads all that pass.
func (sc *scan) countWide(r index.IndexReader, sv *sheetView, sel selector, readAll bool) (bitmapQuery, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, errNotScorch(r)
	}
	suspended, err := sc.suspendedTerms(r)
	if err != nil {
		return nil, err
	}
	if readAll {
		sc.countAsRead()
	}
	var out bitmapQuery
	var offset uint64
	for i, ss := range snap.Segments() {
		var sh *sheet
		if sv != nil && i < len(sv.sheets) {
			sh = sv.sheets[i]
		}
		passed, err := sc.countSegment(ss, sh, sel, suspended)
		if err != nil {
			return nil, err
		}
		if !passed.IsEmpty() {
			out = append(out, bitsSegment{offset: offset, bits: passed})
		}
		offset += ss.Segment().Count()
	}
	sc.counted = true
	return out, nil
}

// countAsRead is for a search that reads every document that passes the
// filters: with one filter, the other families count the documents that
// pass it, which are read anyway. They are counted as read (see scan.add), a
// few thousand increments where intersecting their postings would cost a
// merge of each value's postings.
func (sc *scan) countAsRead() {
	if sc.f.families() == 1 {
		for fam, on := range sc.f.active {
			sc.asRead[fam] = !on
		}
	}
}

// Around a place, most of the services a search selects are offered at a
// distance to all of France, and received nowhere near: at 1,000,000 demo
// services, 27,000 of the 42,000 a commune selects on average. Read one by
// one, they took half of a search. With one filter, the values of its family
// count them from the totals their segment's sheet keeps (sheet.remote), less
// those near the centre or left out; only those that pass the filter are
// read, to be ranked, and the other families count them as they are read
// (countAsRead). The others the place selects are read one by one.

// countPlace returns the documents around pl that sc.run must read one by
// one, then those offered to all of France that pass the filter, which it
// must read with sc.counted set. The search has one filter.
func (sc *scan) countPlace(r index.IndexReader, sv *sheetView, pl *place) (near, passed bitmapQuery, err error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, nil, errNotScorch(r)
	}
	sc.countAsRead()
	fam := slices.Index(sc.f.active[:], true)
	zones, cells := pl.terms()
	var offset uint64
	for i, ss := range snap.Segments() {
		var sh *sheet
		if sv != nil && i < len(sv.sheets) {
			sh = sv.sheets[i]
		}
		n, p, err := sc.countPlaceSegment(ss, sh, fam, zones, cells)
		if err != nil {
			return nil, nil, err
		}
		if !n.IsEmpty() {
			near = append(near, bitsSegment{offset: offset, bits: n})
		}
		if !p.IsEmpty() {
			passed = append(passed, bitsSegment{offset: offset, bits: p})
		}
		offset += ss.Segment().Count()
	}
	return near, passed, nil
}

// countPlaceSegment does countPlace in one segment, whose sheet sh may be
// nil; fam is the family of the filter.
func (sc *scan) countPlaceSegment(ss *scorch.SegmentSnapshot, sh *sheet, fam int, zones, cells []string) (near, passed *roaring.Bitmap, err error) {
	filter, err := ss.Segment().Dictionary(fieldFilter)
	if err != nil {
		return nil, nil, err
	}
	keys, err := ss.Segment().Dictionary(fieldKeys)
	if err != nil {
		return nil, nil, err
	}
	// The postings of the zones of all of France and of the services
	// offered at a distance hold a large part of the index: they are
	// intersected, never copied.
	deleted := ss.Deleted()
	around, err := bitsQuery{cells}.segmentBits(ss)
	if err != nil {
		return nil, nil, err
	}
	remote, err := postingsOf(filter, termRemote)
	if err != nil {
		return nil, nil, err
	}
	near = roaring.New()
	for _, z := range zones {
		in, err := postingsOf(filter, z)
		if err != nil {
			return nil, nil, err
		}
		near.Or(roaring.And(around, in))
		// Those offered to all of France at a distance are in the sheet.
		if z != franceTerm || sh == nil {
			near.Or(roaring.And(remote, in))
		}
	}
	if deleted != nil {
		near.AndNot(deleted)
	}
	if sh == nil {
		return near, roaring.New(), nil
	}
	// Those of them suspended now, or deleted.
	out := roaring.New()
	for _, b := range sh.remoteBreaks {
		if sc.now < b.until {
			out.Add(b.doc)
		}
	}
	if deleted != nil {
		out.Or(deleted)
	}
	// Those offered to all of France away from the centre: every place's
	// zones hold them.
	far := roaring.AndNot(sh.remote, around)
	far.AndNot(out)
	near.AndNot(far)
	for c, n := range sh.remoteCounts {
		if int(book.family[c]) == fam {
			sc.counts[c] += int(n)
		}
	}
	var k docKeys
	less := roaring.And(sh.remote, roaring.Or(around, out))
	for it := less.Iterator(); it.HasNext(); {
		sh.load(uint64(it.Next()), &k)
		for _, c := range k.codes {
			if int(book.family[c]) == fam && c != int16(onSiteCode) {
				sc.counts[c]--
			}
		}
	}
	// Those of them that pass the filter.
	passed = roaring.New()
	for c, want := range sc.f.want {
		if int(book.family[c]) == fam && c != int(onSiteCode) && (want || fam == famPublics && int32(c) == book.all) {
			docs, err := postingsOf(keys, codeTerms[c])
			if err != nil {
				return nil, nil, err
			}
			passed.Or(roaring.And(far, docs))
		}
	}
	return near, passed, nil
}

// franceTerm is the filter term of the zone of all of France.
var franceTerm = zoneTerm(directory.France.Key())

// postingsOf returns the documents of term in dict, deleted ones included:
// the segment's own bitmap, not to be changed, where it has one.
func postingsOf(dict segment.TermDictionary, term string) (*roaring.Bitmap, error) {
	it, err := termPostings(dict, []byte(term), nil)
	if err != nil {
		return nil, err
	}
	return docsOf(it), nil
}

// suspendedTerms returns the keys terms of the suspensions running at sc.now.
func (sc *scan) suspendedTerms(r index.IndexReader) ([][]byte, error) {
	dict, err := r.FieldDictPrefix(fieldKeys, []byte(keySuspended))
	if err != nil {
		return nil, err
	}
	defer dict.Close()
	var out [][]byte
	for {
		e, err := dict.Next()
		if err != nil || e == nil {
			return out, err
		}
		if until, ok := parse36([]byte(e.Term[1:])); ok && sc.now < until {
			out = append(out, []byte(e.Term))
		}
	}
}

// countSegment counts the facets of one segment, whose sheet sh may be nil,
// and returns the local numbers of its documents that pass every filter.
func (sc *scan) countSegment(ss *scorch.SegmentSnapshot, sh *sheet, selected selector, suspended [][]byte) (*roaring.Bitmap, error) {
	filter, err := ss.Segment().Dictionary(fieldFilter)
	if err != nil {
		return nil, err
	}
	keys, err := ss.Segment().Dictionary(fieldKeys)
	if err != nil {
		return nil, err
	}
	// Left out: the deleted documents and the suspended ones. They are few:
	// subtracting them from a whole segment's bitmap would cost more than
	// counting them apart.
	out := roaring.New()
	if d := ss.Deleted(); d != nil {
		out.Or(d)
	}
	for _, t := range suspended {
		it, err := termPostings(keys, t, nil)
		if err != nil {
			return nil, err
		}
		orPostings(out, it)
	}
	// The selected documents; nil for every live one, which every value's
	// postings are within.
	sel, err := selected(ss)
	if err != nil {
		return nil, err
	}
	if sel != nil && sh != nil && sel.GetCardinality()*16 < ss.Segment().Count() {
		// A few selected documents (a text, a structure) are counted as
		// read from the sheet: their keys cost less than intersecting
		// them with the postings of every value, which pays where they
		// are dense (a bitset per 65,536 documents, as roaring holds a
		// set of more than 4,096 of them).
		sel.AndNot(out)
		passed := roaring.New()
		for it := sel.Iterator(); it.HasNext(); {
			d := it.Next()
			sh.load(uint64(d), &sc.k)
			if sc.count(-1) {
				passed.Add(d)
			}
		}
		return passed, nil
	}
	// The documents each active filter lets through.
	var through [numFamilies]*roaring.Bitmap
	for c, want := range sc.f.want {
		fam := book.codes[c].family
		if !sc.f.active[fam] || !want && (fam != famPublics || int32(c) != book.all) {
			continue
		}
		if through[fam] == nil {
			through[fam] = roaring.New()
		}
		it, err := termPostings(keys, []byte(codeTerms[c]), nil)
		if err != nil {
			return nil, err
		}
		orPostings(through[fam], it)
	}
	and := func(a, b *roaring.Bitmap) *roaring.Bitmap {
		if a == nil {
			return b.Clone()
		}
		a.And(b)
		return a
	}
	// A value counts the selected documents that pass the filters of the
	// other families, less those left out.
	for fam := range numFamilies {
		if sc.asRead[fam] {
			continue
		}
		var in *roaring.Bitmap
		if sel != nil {
			in = sel.Clone()
		}
		for other, t := range through {
			if other != fam && t != nil {
				in = and(in, t)
			}
		}
		if in != nil && in.IsEmpty() {
			continue
		}
		outIn := out
		if in != nil {
			outIn = roaring.And(in, out)
		} else if sh != nil {
			// Every value counts its postings, less those left out, read
			// from the sheet: fewer than the postings of the values.
			var k docKeys
			for it := out.Iterator(); it.HasNext(); {
				sh.load(uint64(it.Next()), &k)
				for _, c := range k.codes {
					if book.codes[c].family == fam {
						sc.counts[c]--
					}
				}
			}
			outIn = roaring.New()
		}
		for c := range book.codes {
			if book.codes[c].family != fam {
				continue
			}
			it, err := termPostings(keys, []byte(codeTerms[c]), nil)
			if err != nil {
				return nil, err
			}
			docs := docsOf(it)
			n := cardIn(in, docs)
			if n > 0 && !outIn.IsEmpty() {
				n -= cardIn(outIn, docs)
			}
			sc.counts[c] += n
		}
	}
	passed := sel
	for _, t := range through {
		if t != nil {
			passed = and(passed, t)
		}
	}
	if passed == nil {
		it, err := termPostings(filter, []byte(termLive), nil)
		if err != nil {
			return nil, err
		}
		passed = roaring.New()
		orPostings(passed, it)
	}
	passed.AndNot(out)
	return passed, nil
}

// docsOf returns the documents of a postings iterator: the segment's own
// bitmap, not to be changed, when the iterator shows it.
func docsOf(it segment.PostingsIterator) *roaring.Bitmap {
	if o, ok := it.(segment.OptimizablePostingsIterator); ok {
		if bm := o.ActualBitmap(); bm != nil {
			return bm
		}
	}
	out := roaring.New()
	orPostings(out, it)
	return out
}

// cardIn counts the documents of docs that b holds, all of them when b is
// nil.
func cardIn(b, docs *roaring.Bitmap) int {
	if b == nil {
		return int(docs.GetCardinality())
	}
	return int(b.AndCardinality(docs))
}

// bitmapQuery selects, unscored, the documents of precomputed segment
// bitmaps.
type bitmapQuery []bitsSegment

func (q bitmapQuery) Searcher(context.Context, index.IndexReader, mapping.IndexMapping, search.SearcherOptions) (search.Searcher, error) {
	return newBitsSearcher(q), nil
}

// hasBits reports whether queryBits evaluates q.
func hasBits(q query.Query) bool {
	switch q := q.(type) {
	case *query.TermQuery:
		return true
	case *query.ConjunctionQuery:
		return !slices.ContainsFunc(q.Conjuncts, func(c query.Query) bool { return !hasBits(c) })
	case *query.DisjunctionQuery:
		return q.Min <= 1 && !slices.ContainsFunc(q.Disjuncts, func(c query.Query) bool { return !hasBits(c) })
	case sumQuery:
		return !slices.ContainsFunc(q, func(c query.Query) bool { return !hasBits(c) })
	}
	return false
}

// isSum reports whether q is scored by a sumSearcher, which can prune.
func isSum(q query.Query) bool {
	s, ok := q.(sumQuery)
	return ok && len(s) > 1
}

func (q bitmapQuery) count() int {
	n := 0
	for _, sg := range q {
		n += int(sg.bits.GetCardinality())
	}
	return n
}

// bitsCursor tells whether documents, asked in increasing order, are in
// a bitmapQuery.
type bitsCursor struct {
	segs bitmapQuery
	i    int
}

func (q bitmapQuery) cursor() *bitsCursor { return &bitsCursor{segs: q} }

func (c *bitsCursor) contains(doc uint64) bool {
	for c.i+1 < len(c.segs) && doc >= c.segs[c.i+1].offset {
		c.i++
	}
	if c.i >= len(c.segs) || doc < c.segs[c.i].offset {
		return false
	}
	return c.segs[c.i].bits.Contains(uint32(doc - c.segs[c.i].offset))
}
