package indexer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// Ranking constants.
const (
	// distanceScale is the distance at which relevance is halved when text
	// and place are both given.
	distanceScale = 10_000.0
	// tieBand is the width of the distance bands whose members count as
	// equally near when listing without text: services in the same 100 m band
	// (the same building, the same street) are shuffled daily, so that no
	// structure always comes first; any farther one comes after.
	tieBand = 100.0
	// RemoteEvery places a service listed for its remote reach at every
	// RemoteEvery-th rank of a search around a place in the order of
	// relevance (two on site, then one at a distance), while both kinds
	// remain: services from far away that work at a distance must not crowd
	// out those that receive people nearby, yet stay in sight. The ratio is
	// stated on the results page, in the README and in the API docs.
	RemoteEvery = 3
)

var (
	remoteCode = book.byTerm[keyTerm(keyMode, "a-distance")]
	onSiteCode = book.byTerm[keyTerm(keyMode, "en-presentiel")]
)

// match is what a search keeps of each selected document.
type match struct {
	doc     uint64 // bleve internal id
	score   float64
	dist    float64 // metres from the centre; NaN when not received on site
	updated int64
	shuffle uint64
	remote  bool
	// announced is read only by Latest (see scan.announcements).
	announced int64
}

// filters are the facet filters of a query, compiled to codebook codes.
type filters struct {
	want   []bool // by code: selected by its family's filter
	active [numFamilies]bool
}

// families returns the number of families filtered on.
func (f *filters) families() int {
	n := 0
	for _, on := range f.active {
		if on {
			n++
		}
	}
	return n
}

func compileFilters(q *directory.SearchQuery) *filters {
	f := &filters{want: make([]bool, len(book.codes))}
	sel := func(family int, prefix string, values []string) {
		for _, v := range values {
			if c, ok := book.byTerm[keyTerm(prefix, v)]; ok {
				f.want[c] = true
				f.active[family] = true
			}
		}
	}
	for _, t := range q.Thematiques {
		if directory.ThematiqueCategories.Has(t) {
			sel(famThematiques, keyCategory, []string{t})
		} else {
			sel(famThematiques, keyBesoin, []string{t})
		}
	}
	sel(famTypes, keyType, q.Types)
	sel(famFees, keyFee, q.Fees)
	sel(famPublics, keyPublic, q.Publics)
	sel(famModes, keyMode, q.ReceptionModes)
	return f
}

// Search runs q, whose place ParseSearch resolved. It returns EINVALID for
// an invalid query.
func (ix *Index) Search(ctx context.Context, q directory.SearchQuery) (*directory.SearchResults, error) {
	pl, err := ix.prepare(&q)
	if err != nil {
		return nil, err
	}
	sc := newScan(&q, pl)
	from := (q.Page - 1) * q.Size
	var res *directory.SearchResults
	err = ix.reading(func(r index.IndexReader, dv index.DocValueReader) error {
		text, _ := ix.textQuery(ctx, r, q.Text)
		scored := text != nil && q.Sort == directory.SortPertinence
		if scored {
			ctx = ix.lengths.scoring(ctx, r)
		}
		sc.ranker = newRanker(q.Sort, text != nil, pl, from+q.Size)
		sel := ix.selection(&q, pl, text)
		sv := ix.sheets.view(r, dv)
		wide := -1
		switch {
		case countable(&q, pl, text):
			base := termLive
			if q.StructureID != "" {
				base = structureTerm(q.StructureID)
			}
			var err error
			if sel, err = sc.countWide(r, sv, termSelector(base), base == termLive); err != nil {
				return err
			}
		case pl != nil && text == nil && q.StructureID == "" && q.UpdatedSince == nil && sc.f.families() == 1:
			// Around a place: those offered at a distance to all of
			// France are counted apart (countPlace), the others read.
			near, passed, err := sc.countPlace(r, sv, pl)
			if err != nil {
				return err
			}
			if err := sc.runBits(ctx, dv, sv, near); err != nil {
				return err
			}
			sc.counted, sel = true, passed
		case pl == nil && q.StructureID == "" && q.UpdatedSince == nil && hasBits(text) && (!scored || isSum(text)):
			// Text over all of France: facets and total from the
			// bitmaps; ranked by date, the matches are read from them,
			// by relevance, the text is scored where it can rank.
			passed, err := sc.countWide(r, sv, textSelector(text), false)
			if err != nil {
				return err
			}
			if !scored {
				sel = passed
				break
			}
			wide = passed.count()
			in := passed.cursor()
			sc.prune = &pruner{threshold: sc.ranker.first.threshold, admit: in.contains}
		}
		if err := sc.run(ctx, r, dv, sv, sel, ix.mapping, scored); err != nil {
			return err
		}
		total := sc.total
		if wide >= 0 { // pruned: not every match was read
			total = wide
		}
		res = &directory.SearchResults{
			Total:  total,
			Remote: sc.remote, Nationwide: sc.nationwide,
			Page:   q.Page,
			Size:   q.Size,
			Hits:   []directory.Hit{},
			Facets: facets(sc.counts, sc.f),
		}
		if pl != nil {
			res.Center = pl.center
		}
		ranked := sc.ranker.ranked()
		from := min(from, len(ranked))
		for _, m := range ranked[from:min(from+q.Size, len(ranked))] {
			h, _, err := ix.hit(r, dv, m)
			if err != nil {
				return err
			}
			res.Hits = append(res.Hits, h)
		}
		return nil
	})
	return res, err
}

// prepare validates q, applies its defaults and resolves its place.
func (ix *Index) prepare(q *directory.SearchQuery) (*place, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	q.Normalize()
	if q.Now.IsZero() {
		q.Now = ix.now()
	}
	if q.Seed == 0 {
		y, m, d := q.Now.In(directory.Paris).Date()
		q.Seed = time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
	}
	return ix.place(q)
}

// reading runs fn with a reader of the current index and of its keys; the
// index is not swapped meanwhile.
func (ix *Index) reading(fn func(index.IndexReader, index.DocValueReader) error) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.cur == nil {
		return errClosed
	}
	adv, err := ix.cur.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	dv, err := r.DocValueReader([]string{fieldKeys})
	if err != nil {
		return err
	}
	return fn(r, dv)
}

// scan is one pass over the selected documents: it reads the keys of each,
// applies the facet filters, counts the facets and keeps the matches.
type scan struct {
	f             *filters
	pl            *place
	disc          *geo.Disc // around pl's centre, when it has one
	filtered      bool      // with a filter: most documents read fail it, and are not measured (see add)
	now, since    int64
	seed          uint64
	counts        []int
	matches       []match // all of them, when there is no ranker
	ranker        *ranker // keeps the first matches only
	total         int
	prune         *pruner           // for the top sumSearcher
	wide          int               // with prune: the total, counted by countWide
	k             docKeys           // of the document being read
	announcements bool              // read the announcement date of each match
	counted       bool              // the facets are counted, and every document read passes the filters (countWide)
	asRead        [numFamilies]bool // with counted: families whose values are counted as documents are read
	// Around a place: the matches listed for their remote reach only, and
	// those of them serving all of France.
	remote, nationwide int
}

func newScan(q *directory.SearchQuery, pl *place) *scan {
	sc := &scan{
		f:      compileFilters(q),
		pl:     pl,
		now:    q.Now.Unix(),
		seed:   uint64(q.Seed),
		since:  math.MinInt64,
		counts: make([]int, len(book.codes)),
	}
	if q.UpdatedSince != nil {
		sc.since = q.UpdatedSince.Unix()
	}
	sc.filtered = sc.f.families() > 0
	if pl != nil && pl.center != nil {
		d := geo.NewDisc(*pl.center, pl.radius)
		sc.disc = &d
	}
	return sc
}

// run reads every document bq selects, from the sheets of their segments
// where there are, else from their doc values.
func (sc *scan) run(ctx context.Context, r index.IndexReader, dv index.DocValueReader, sv *sheetView, bq query.Query, m mapping.IndexMapping, scored bool) error {
	opts := search.SearcherOptions{Score: "none"}
	if scored {
		opts.Score = "" // with the model and statistics in ctx (fieldLengths.scoring)
	}
	s, err := bq.Searcher(ctx, r, m, opts)
	if err != nil {
		return err
	}
	defer s.Close()
	if bs, ok := s.(*bitsSearcher); ok {
		return sc.runBits(ctx, dv, sv, bs.segs)
	}
	if sum, ok := s.(*sumSearcher); ok && scored {
		// On top, a sum gets the query norm bleve's compound searchers
		// give their children (as the conjunction with the place does),
		// through which each clause weighs its boost and idf.
		sum.SetQueryNorm(1 / math.Sqrt(sum.Weight()))
		sum.prune = sc.prune
	}
	sctx := &search.SearchContext{
		DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize()+1, 0),
		IndexReader:       r,
	}
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		d, err := s.Next(sctx)
		if err != nil || d == nil {
			return err
		}
		if err = sv.read(dv, d.IndexInternalID.Value(), &sc.k); err == nil {
			sc.add(d.IndexInternalID.Value(), d.Score)
		}
		sctx.DocumentMatchPool.Put(d)
		if err != nil {
			return err
		}
	}
}

// runBits reads the documents of a search without text straight from its
// bitmaps: through the Searcher interface, each one took a pooled
// DocumentMatch, reset and given back, a quarter of the time of a search
// around a commune at 1,000,000 services.
func (sc *scan) runBits(ctx context.Context, dv index.DocValueReader, sv *sheetView, segs []bitsSegment) error {
	var buf [256]uint32
	for _, sg := range segs {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		it := sg.bits.ManyIterator()
		for n := it.NextMany(buf[:]); n > 0; n = it.NextMany(buf[:]) {
			for _, x := range buf[:n] {
				doc := sg.offset + uint64(x)
				if err := sv.read(dv, doc, &sc.k); err != nil {
					return err
				}
				sc.add(doc, 0)
			}
		}
	}
	return nil
}

// add decides on the document just read.
func (sc *scan) add(doc uint64, score float64) {
	k := &sc.k
	if k.suspended != 0 && sc.now < k.suspended {
		return
	}
	m := match{doc: doc, score: score, dist: math.NaN(), updated: k.updated}
	if m.updated < sc.since {
		return
	}
	m.remote = k.remote
	drop := int16(-1) // a code the document is read without
	inside := false   // certainly within the radius, its distance not measured yet
	if sc.pl != nil {
		near := false // not received on site, or beyond the radius
		if k.hasPoint && sc.disc != nil {
			if inside = sc.filtered && sc.disc.Inside(k.point); inside {
				near = true
			} else {
				m.dist, near = sc.disc.Within(k.point)
			}
		}
		if !m.remote && !near {
			return // in a cell near the centre, beyond the radius
		}
		if !near {
			// Around a place, a service is "en présentiel" only where it
			// receives people within the radius: a hybrid service farther
			// away is listed as remote only, for the filter, the facet, the
			// ranking and its card (no distance).
			drop = int16(onSiteCode)
			m.dist = math.NaN()
		}
	}
	if sc.counted {
		for _, c := range k.codes {
			if sc.asRead[book.family[c]] && c != drop {
				sc.counts[c]++
			}
		}
	} else if !sc.count(drop) {
		return
	}
	if inside {
		// Measured only for those that pass the filters: most of those
		// a search reads do not.
		m.dist, _ = sc.disc.Within(k.point)
	}
	m.shuffle = mix(uint64(k.hash), sc.seed)
	if sc.announcements {
		m.announced = k.announced
	}
	if sc.pl != nil && math.IsNaN(m.dist) {
		sc.remote++
		if k.national {
			sc.nationwide++
		}
	}
	sc.total++
	if sc.ranker != nil {
		sc.ranker.add(m)
	} else {
		sc.matches = append(sc.matches, m)
	}
}

// count counts the facets of the document just read, but for its code drop
// (-1: none), and reports whether it passes the filters.
func (sc *scan) count(drop int16) bool {
	k := &sc.k
	var hit [numFamilies]bool
	for _, c := range k.codes {
		if fam := int(book.family[c]); c != drop && (sc.f.want[c] || fam == famPublics && int32(c) == book.all) {
			hit[fam] = true
		}
	}
	failed, fails := -1, 0
	for fam, on := range sc.f.active {
		if on && !hit[fam] {
			failed, fails = fam, fails+1
		}
	}
	if fails > 1 {
		return false
	}
	for _, c := range k.codes {
		if c != drop && (fails == 0 || int(book.family[c]) == failed) {
			sc.counts[c]++
		}
	}
	return fails == 0
}

// place is the place of q, resolved by directory.ParseSearch; nil for all
// of France.
func (ix *Index) place(q *directory.SearchQuery) (*place, error) {
	if q.Commune == nil {
		return nil, nil
	}
	pl := &place{commune: q.Commune, radius: float64(q.RadiusKm) * 1000}
	switch {
	case q.Position != nil:
		pos := *q.Position
		pl.center = &pos
	case pl.commune.Center != nil:
		c := *pl.commune.Center
		pl.center = &c
	}
	return pl, nil
}

// interleave appends to out the on-site matches with a remote one at every
// RemoteEvery-th rank, while both remain, then what remains of either.
func interleave(out, onSite, remote []match) []match {
	for len(onSite) > 0 || len(remote) > 0 {
		if len(remote) > 0 && (len(onSite) == 0 || (len(out)+1)%RemoteEvery == 0) {
			out, remote = append(out, remote[0]), remote[1:]
		} else {
			out, onSite = append(out, onSite[0]), onSite[1:]
		}
	}
	return out
}

// firstK puts the k first of ms by cmp at its front, in order; the others
// follow in no order. A page needs only its first ranks: selecting them
// through a heap of k costs O(n log k) where sorting all costs O(n log n).
func firstK(ms []match, k int, cmp func(a, b match) int) {
	if k <= 0 || k >= len(ms)/4 {
		slices.SortFunc(ms, cmp)
		return
	}
	h := ms[:k] // a heap whose root is the last of the k first so far
	for i := k/2 - 1; i >= 0; i-- {
		siftDown(h, i, cmp)
	}
	for i := k; i < len(ms); i++ {
		if cmp(ms[i], h[0]) < 0 {
			h[0], ms[i] = ms[i], h[0]
			siftDown(h, 0, cmp)
		}
	}
	slices.SortFunc(h, cmp)
}

func siftDown(h []match, i int, cmp func(a, b match) int) {
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if r := c + 1; r < len(h) && cmp(h[r], h[c]) > 0 {
			c = r
		}
		if cmp(h[c], h[i]) <= 0 {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

// compareDistance orders distances with NaN (no place) last.
func compareDistance(a, b float64) int {
	switch {
	case math.IsNaN(a) && math.IsNaN(b):
		return 0
	case math.IsNaN(a):
		return 1
	case math.IsNaN(b):
		return -1
	}
	return cmp.Compare(a, b)
}

// mix is a 64-bit finaliser (splitmix64): the daily shuffle of an id hash.
func mix(h, seed uint64) uint64 {
	x := h ^ (seed * 0x9e3779b97f4a7c15)
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// facets turns counts into facet values in vocabulary order. A value shows
// when it has results or is selected; "no publics" services count for every
// publics value.
func facets(counts []int, f *filters) map[string][]directory.FacetValue {
	out := map[string][]directory.FacetValue{
		directory.FacetCategories: {}, directory.FacetThematiques: {}, directory.FacetTypes: {},
		directory.FacetFees: {}, directory.FacetPublics: {}, directory.FacetReceptionModes: {},
	}
	for c, fc := range book.codes {
		n := counts[c]
		if fc.family == famPublics && int32(c) != book.all {
			n += counts[book.all]
		}
		if n > 0 || f.want[c] {
			out[fc.facet] = append(out[fc.facet], directory.FacetValue{Value: fc.value, Label: fc.label, Count: n})
		}
	}
	return out
}

// hit reads the card and keys of one result.
func (ix *Index) hit(r index.IndexReader, dv index.DocValueReader, m match) (directory.Hit, card, error) {
	h, c, err := readHit(r, dv, m.doc)
	if !math.IsNaN(m.dist) {
		d := math.Round(m.dist)
		h.DistanceMeters = &d
	}
	return h, c, err
}

// visitStored visits the stored fields of global document doc, its
// identifier (_id) included. It reads them from doc's segment: bleve's
// Document takes an identifier, which it looks up in every segment, a
// twentieth of a search around a commune.
func visitStored(r index.IndexReader, doc uint64, visit func(field string, value []byte)) error {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return errNotScorch(r)
	}
	for _, ss := range snap.Segments() {
		n := ss.Segment().Count()
		if doc < n {
			return ss.VisitDocument(doc, func(field string, _ byte, value []byte, _ []uint64) bool {
				visit(field, value)
				return true
			})
		}
		doc -= n
	}
	return errors.New("no such document")
}

// readHit reads the card and keys of a document, all but its distance.
func readHit(r index.IndexReader, dv index.DocValueReader, doc uint64) (directory.Hit, card, error) {
	iid := index.NewIndexInternalID(nil, doc)
	var id string
	var c card
	var cardErr error
	err := visitStored(r, doc, func(field string, value []byte) {
		switch field {
		case "_id":
			id = string(value)
		case fieldCard:
			c, cardErr = decodeCard(value)
		}
	})
	if err == nil && id == "" {
		err = errors.New("no such document")
	}
	if err = cmp.Or(err, cardErr); err != nil {
		return directory.Hit{}, c, fmt.Errorf("indexer: read document %d: %w", doc, err)
	}
	h := directory.Hit{
		ID: id, Name: c.Name,
		StructureID: c.StructureID, StructureName: c.StructureName,
		CommuneName: c.CommuneName, CommuneCode: c.CommuneCode,
		Excerpt: c.Excerpt, OpeningHours: c.OpeningHours,
	}
	for _, k := range strings.Fields(c.Zones) {
		if z, ok := directory.ParseZoneKey(k); ok {
			h.Zones = append(h.Zones, z)
		}
	}
	var codes []int32
	err = dv.VisitDocValues(iid, func(_ string, term []byte) {
		if len(term) > 0 && term[0] == keyPlace[0] {
			if p, ok := parsePlace(term[1:]); ok {
				h.Lon, h.Lat = &p[0], &p[1]
			}
			return
		}
		if c, ok := book.byTerm[string(term)]; ok {
			codes = append(codes, c)
		} else if term[0] == keyUpdated[0] {
			if n, ok := parse36(term[1:]); ok {
				h.UpdatedAt = time.Unix(n, 0).In(directory.Paris)
			}
		}
	})
	slices.Sort(codes) // vocabulary order
	for _, c := range codes {
		switch fc := book.codes[c]; fc.prefix {
		case keyBesoin:
			h.Thematiques = append(h.Thematiques, fc.value)
		case keyMode:
			h.ReceptionModes = append(h.ReceptionModes, fc.value)
			h.Remote = h.Remote || c == remoteCode
		case keyFee:
			h.Fees = fc.value
		}
	}
	return h, c, err
}
