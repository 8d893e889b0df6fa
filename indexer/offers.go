package indexer

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	index "github.com/blevesearch/bleve_index_api"
	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// Offer is a visible service as the observatory's coverage reads it: what a
// search of a commune decides on. A search finds it when one of its zones
// covers the commune and it is either offered at a distance or received
// within the radius of the commune's centre (Distance from Place).
type Offer struct {
	ID          string
	Zones       []directory.Zone
	Place       *orb.Point // where it receives people, to the metre searches measure; nil when not on site
	Remote      bool
	Thematiques []string // the categories and besoins a thématique filter selects it by
}

// Distance is the distance searches measure, in metres: an offer is on site
// for a commune when Distance(centre, place) ≤ the radius.
func Distance(a, b orb.Point) float64 { return geo.Distance(a, b) }

// EachOffer calls fn with every service visible at now (published, not
// suspended), in one pass over the index, until fn returns an error. The
// Offer and its slices are reused between calls: copy what you keep. It
// reads the index only; the index is not swapped while it runs.
func (ix *Index) EachOffer(ctx context.Context, now time.Time, fn func(*Offer) error) error {
	var q directory.SearchQuery
	q.Now = now
	sc := newScan(&q, nil)
	return ix.reading(func(r index.IndexReader, dv index.DocValueReader) error {
		zones, docZones, err := zonePostings(ctx, r)
		if err != nil {
			return err
		}
		live, err := r.TermFieldReader(ctx, []byte(termLive), fieldFilter, false, false, false)
		if err != nil {
			return err
		}
		defer live.Close()
		sv := ix.sheets.view(r, dv)
		k := &sc.k
		var o Offer
		var place orb.Point
		tfd := &index.TermFieldDoc{}
		for n := 0; ; n++ {
			if n%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			d, err := live.Next(tfd)
			if err != nil || d == nil {
				return err
			}
			if err := sv.read(dv, d.ID.Value(), k); err != nil {
				return err
			}
			if k.suspended != 0 && sc.now < k.suspended {
				continue
			}
			if o.ID, err = r.ExternalID(d.ID); err != nil {
				return err
			}
			o.Remote = slices.Contains(k.codes, int16(remoteCode))
			o.Place = nil
			if k.hasPoint {
				place = k.point
				o.Place = &place
			}
			o.Thematiques = o.Thematiques[:0]
			for _, c := range k.codes {
				if p := book.codes[c].prefix; p == keyBesoin || p == keyCategory {
					o.Thematiques = append(o.Thematiques, book.codes[c].value)
				}
			}
			o.Zones = o.Zones[:0]
			doc := d.ID.Value()
			i, _ := slices.BinarySearchFunc(docZones, doc, func(e docZone, doc uint64) int {
				return cmp.Compare(e.doc, doc)
			})
			for ; i < len(docZones) && docZones[i].doc == doc; i++ {
				o.Zones = append(o.Zones, zones[docZones[i].zone])
			}
			if err := fn(&o); err != nil {
				return err
			}
		}
	})
}

// docZone says that document doc has zone number zone.
type docZone struct {
	doc  uint64
	zone int32
}

// zonePostings reads the zone terms of the filter field and their postings:
// the zones, and every (document, zone) pair sorted by document. A zone term
// is one per territory, so this reads far fewer entries than the documents'
// stored fields would.
func zonePostings(ctx context.Context, r index.IndexReader) ([]directory.Zone, []docZone, error) {
	dict, err := r.FieldDictPrefix(fieldFilter, []byte(zoneTerm("")))
	if err != nil {
		return nil, nil, err
	}
	var terms []string
	for {
		e, err := dict.Next()
		if err != nil {
			dict.Close()
			return nil, nil, err
		}
		if e == nil {
			break
		}
		terms = append(terms, e.Term)
	}
	if err := dict.Close(); err != nil {
		return nil, nil, err
	}
	var zones []directory.Zone
	var pairs []docZone
	tfd := &index.TermFieldDoc{}
	for _, t := range terms {
		z, ok := directory.ParseZoneKey(strings.TrimPrefix(t, zoneTerm("")))
		if !ok {
			continue
		}
		tr, err := r.TermFieldReader(ctx, []byte(t), fieldFilter, false, false, false)
		if err != nil {
			return nil, nil, err
		}
		n := int32(len(zones))
		zones = append(zones, z)
		for {
			d, err := tr.Next(tfd)
			if err != nil {
				tr.Close()
				return nil, nil, err
			}
			if d == nil {
				break
			}
			pairs = append(pairs, docZone{d.ID.Value(), n})
		}
		if err := tr.Close(); err != nil {
			return nil, nil, err
		}
	}
	slices.SortFunc(pairs, func(a, b docZone) int {
		return cmp.Or(cmp.Compare(a.doc, b.doc), cmp.Compare(a.zone, b.zone))
	})
	return zones, pairs, nil
}

// Hits returns the result cards of the services ids names that the index
// holds live, in the order of ids; the others are left out.
func (ix *Index) Hits(ids []string) ([]directory.Hit, error) {
	var out []directory.Hit
	err := ix.reading(func(r index.IndexReader, dv index.DocValueReader) error {
		for _, id := range ids {
			iid, err := r.InternalID(id)
			if err != nil {
				return err
			}
			if iid == nil {
				continue
			}
			h, c, err := readHit(r, dv, iid.Value())
			if err != nil {
				return err
			}
			if c.Name != "" {
				out = append(out, h)
			}
		}
		return nil
	})
	return out, err
}
