package indexer

import (
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/paulmach/orb"
)

// A search reads the keys of every document it selects, to filter on the
// facets and count them. Read from the doc values, each costs a decoding,
// a split and a map lookup per term: most of a wide search. Segments never
// change once written, so the keys of each are decoded once into a sheet,
// an array by document number, which a search then reads at the cost of an
// index.

// docKeys are the decoded keys of one document.
type docKeys struct {
	codes                         []int16 // facet codes: own, or a sheet's (read only)
	own                           []int16
	updated, announced, suspended int64 // Unix seconds; suspended 0 when not suspended
	hash                          uint32
	point                         orb.Point
	hasPoint, national, remote    bool
}

// visit decodes one term of the keys field into k.
func (k *docKeys) visit(_ string, term []byte) {
	if len(term) < 2 {
		return
	}
	switch term[0] {
	case keyUpdated[0]:
		k.updated, _ = parse36(term[1:])
	case keyHash[0]:
		h, _ := parse36(term[1:])
		k.hash = uint32(h)
	case keySuspended[0]:
		k.suspended, _ = parse36(term[1:])
	case keyPlace[0]:
		k.point, k.hasPoint = parsePlace(term[1:])
	case keyAnnounced[0]:
		k.announced, _ = parse36(term[1:])
	case keyNational[0]:
		k.national = true
	case keyVersion[0]:
	default:
		if c, ok := book.byTerm[string(term)]; ok {
			k.own = append(k.own, int16(c))
			k.codes = k.own
			k.remote = k.remote || c == remoteCode
		}
	}
}

func (k *docKeys) reset() {
	own := k.own[:0]
	*k = docKeys{codes: own, own: own}
}

// record is docKeys in a sheet: its codes are a range of the sheet's.
type record struct {
	updated, announced, suspended int64
	point                         orb.Point
	hash                          uint32
	first                         uint32
	n                             uint8
	hasPoint, national, remote    bool
}

// sheet holds the decoded keys of every document of one segment, by local
// document number (deleted ones included: no search selects them).
type sheet struct {
	recs  []record
	codes []int16
	// The documents offered at a distance to all of France, and how many of
	// them hold each code, their on-site code left out: most of those a
	// search around any place selects (see scan.countPlace).
	remote       *roaring.Bitmap
	remoteCounts []int32
	remoteBreaks []suspension // those of them suspended for a time
}

// suspension is a document's record.suspended, kept apart to be scanned
// without reading its record.
type suspension struct {
	doc   uint32
	until int64
}

const recordBytes = 56

func (s *sheet) bytes() int64 {
	return int64(len(s.recs))*recordBytes + int64(len(s.codes))*2 + int64(s.remote.GetSizeInBytes()) + int64(len(s.remoteCounts))*4 + int64(len(s.remoteBreaks))*16
}

// load sets k to the keys of document i; k's codes are then the sheet's.
func (s *sheet) load(i uint64, k *docKeys) {
	r := &s.recs[i]
	end := r.first + uint32(r.n)
	k.codes = s.codes[r.first:end:end]
	k.updated, k.announced, k.suspended = r.updated, r.announced, r.suspended
	k.hash, k.point, k.hasPoint, k.national, k.remote = r.hash, r.point, r.hasPoint, r.national, r.remote
}

// sheetBudget bounds the bytes of all sheets of an index: about 80 bytes a
// service, so 256 MiB holds 3 million. Beyond it, segments without a sheet
// are read from their doc values, as before sheets.
const sheetBudget = 256 << 20

// sheets is an index's cache of segment sheets.
type sheets struct {
	mu     sync.Mutex
	bySeg  map[segment.Segment]*sheetSlot
	bytes  int64
	budget int64
}

type sheetSlot struct {
	once  sync.Once
	sheet *sheet // nil when over budget or unreadable
}

// sheetView maps the global document numbers of one index snapshot to the
// sheets of its segments.
type sheetView struct {
	offsets []uint64 // of each segment, as scorch numbers documents
	sheets  []*sheet // nil where a segment has none
	seg     int      // the segment of the last lookup: documents come in order
}

// view returns the sheets of the segments r reads, decoding those not yet
// decoded; nil when r is not a scorch snapshot.
func (c *sheets) view(r index.IndexReader, dv index.DocValueReader) *sheetView {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	segs := snap.Segments()
	v := &sheetView{offsets: make([]uint64, len(segs)), sheets: make([]*sheet, len(segs))}
	var running uint64
	for i, ss := range segs {
		v.offsets[i] = running
		v.sheets[i] = c.sheetOf(ss.Segment(), running, dv, segs)
		running += ss.Segment().Count()
	}
	return v
}

// sheetOf returns the sheet of seg, whose first document is global number
// offset in dv, decoding it on first use; current lists the segments in
// use, whose sheets a new one may not evict.
func (c *sheets) sheetOf(seg segment.Segment, offset uint64, dv index.DocValueReader, current []*scorch.SegmentSnapshot) *sheet {
	c.mu.Lock()
	if c.bySeg == nil {
		c.bySeg = map[segment.Segment]*sheetSlot{}
	}
	slot, ok := c.bySeg[seg]
	if !ok {
		slot = &sheetSlot{}
		c.bySeg[seg] = slot
	}
	c.mu.Unlock()
	slot.once.Do(func() {
		s := decodeSheet(seg.Count(), offset, dv)
		if s == nil {
			return
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		c.evict(current)
		if c.bytes+s.bytes() <= c.budget {
			slot.sheet = s
			c.bytes += s.bytes()
		}
	})
	return slot.sheet
}

// evict drops the sheets of segments merged away or of a replaced index.
// The caller holds mu.
func (c *sheets) evict(current []*scorch.SegmentSnapshot) {
	live := make(map[segment.Segment]bool, len(current))
	for _, ss := range current {
		live[ss.Segment()] = true
	}
	for seg, slot := range c.bySeg {
		if !live[seg] {
			delete(c.bySeg, seg)
			if slot.sheet != nil {
				c.bytes -= slot.sheet.bytes()
			}
		}
	}
}

// decodeSheet reads the keys of n documents from global number offset.
func decodeSheet(n, offset uint64, dv index.DocValueReader) *sheet {
	s := &sheet{recs: make([]record, n)}
	var k docKeys
	visit := k.visit
	var id index.IndexInternalID
	for i := range n {
		k.reset()
		id = index.NewIndexInternalID(id, offset+i)
		if err := dv.VisitDocValues(id, visit); err != nil {
			return nil
		}
		s.recs[i] = record{
			updated: k.updated, announced: k.announced, suspended: k.suspended,
			point: k.point, hash: k.hash, first: uint32(len(s.codes)), n: uint8(len(k.codes)),
			hasPoint: k.hasPoint, national: k.national, remote: k.remote,
		}
		s.codes = append(s.codes, k.codes...)
	}
	s.remote, s.remoteCounts = roaring.New(), make([]int32, len(book.codes))
	for i, r := range s.recs {
		if !r.national || !r.remote {
			continue
		}
		s.remote.Add(uint32(i))
		if r.suspended != 0 {
			s.remoteBreaks = append(s.remoteBreaks, suspension{uint32(i), r.suspended})
		}
		for _, c := range s.codes[r.first : r.first+uint32(r.n)] {
			if c != int16(onSiteCode) {
				s.remoteCounts[c]++
			}
		}
	}
	return s
}

// read sets k to the keys of global document doc: from its segment's sheet
// where there is one, else from the doc values.
func (v *sheetView) read(dv index.DocValueReader, doc uint64, k *docKeys) error {
	if sh, i := v.find(doc); sh != nil {
		sh.load(i, k)
		return nil
	}
	k.reset()
	return dv.VisitDocValues(index.NewIndexInternalID(nil, doc), k.visit)
}

// find returns the sheet holding global document doc, and its number there.
func (v *sheetView) find(doc uint64) (*sheet, uint64) {
	if v == nil || len(v.offsets) == 0 {
		return nil, 0
	}
	if v.seg >= len(v.offsets) || doc < v.offsets[v.seg] {
		v.seg = 0
	}
	for v.seg+1 < len(v.offsets) && doc >= v.offsets[v.seg+1] {
		v.seg++
	}
	return v.sheets[v.seg], doc - v.offsets[v.seg]
}

// SegmentBytes returns the bytes on disk of the segments in use: the size of
// the index without the files of merged-away segments that scorch removes
// a little later.
func (ix *Index) SegmentBytes() (int64, error) {
	var n int64
	err := ix.reading(func(r index.IndexReader, _ index.DocValueReader) error {
		snap, ok := r.(*scorch.IndexSnapshot)
		if !ok {
			return errNotScorch(r)
		}
		for _, ss := range snap.Segments() {
			n += ss.FileSize()
		}
		return nil
	})
	return n, err
}
