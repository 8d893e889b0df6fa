package indexer

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/repere-spie/repere/internal/directory"
)

// Announcement is a service as feeds announce it: its result card, its first
// publication and its latest announcement (see directory.Announce).
type Announcement struct {
	directory.Hit
	PublishedAt time.Time
	AnnouncedAt time.Time
	// Version is the version announced, 0 when the store recorded no
	// announcement (see announcement).
	Version int64
}

// announcement returns when s was last announced and the version then. A
// service written before announcements were recorded (imports, demo data)
// counts as announced at its first publication, else at its last update,
// with version 0, so that its feed entry keeps its identity until its next
// announcement.
func announcement(s *directory.Service) (time.Time, int64) {
	switch {
	case s.AnnouncedAt != nil:
		return *s.AnnouncedAt, s.AnnouncedVersion
	case s.PublishedAt != nil:
		return *s.PublishedAt, 0
	}
	return s.UpdatedAt, 0
}

// MaxLatest bounds the announcements Latest returns.
const MaxLatest = 100

// Latest returns the n latest announcements among the services q finds (its
// place, text and filters; not its sort, page and size), newest first. It
// reads the index only. Like Search, it returns EINVALID for an invalid
// query, and for n outside 1..MaxLatest.
func (ix *Index) Latest(ctx context.Context, q directory.SearchQuery, n int) ([]Announcement, error) {
	return ix.latest(ctx, q, nil, n, time.Time{})
}

// LatestSince is Latest among the announcements made after since: it reads
// the months from since's on only (what mail alerts need, since their last
// mail), where Latest reads back as far as it takes to find n.
func (ix *Index) LatestSince(ctx context.Context, q directory.SearchQuery, since time.Time, n int) ([]Announcement, error) {
	return ix.latest(ctx, q, nil, n, since)
}

// LatestInDepartement returns the n latest announcements of the services of
// a département: those received or based there, and those whose zone is the
// whole département. (Services of its région or of all of France are left to
// their own feeds: they would fill every département's.) ENOTFOUND for an
// unknown département.
func (ix *Index) LatestInDepartement(ctx context.Context, code string, n int) ([]Announcement, error) {
	if _, ok := ix.gaz.Departement(code); !ok {
		return nil, directory.Errorf(directory.ENOTFOUND, "Aucun département ne porte le code « %s ».", code)
	}
	in := query.NewDisjunctionQuery([]query.Query{
		termQuery(fieldFilter, departementTerm(code)),
		termQuery(fieldFilter, zoneTerm(directory.Zone{Kind: directory.ZoneDepartement, Code: code}.Key())),
	})
	return ix.latest(ctx, directory.SearchQuery{}, in, n, time.Time{})
}

// latest is Latest with an extra condition on the documents, when not nil,
// and announcements after since, when not zero.
func (ix *Index) latest(ctx context.Context, q directory.SearchQuery, extra query.Query, n int, since time.Time) ([]Announcement, error) {
	if n < 1 || n > MaxLatest {
		return nil, directory.Errorf(directory.EINVALID, "Le nombre d’annonces doit être compris entre 1 et %d.", MaxLatest)
	}
	q.Sort, q.Page, q.Size = "", 0, 0
	q.Seed = 1 // ties in an order of the ids that does not change daily
	pl, err := ix.prepare(&q)
	if err != nil {
		return nil, err
	}
	sc := newScan(&q, pl)
	sc.announcements = true
	out := []Announcement{}
	err = ix.reading(func(r index.IndexReader, dv index.DocValueReader) error {
		text, _ := ix.textQuery(ctx, r, q.Text)
		sv := ix.sheets.view(r, dv)
		sel := []query.Query{ix.selection(&q, pl, text)}
		if extra != nil {
			sel = append(sel, extra)
		}
		sel = append(sel, facetSelection(&q)...)
		// Back in time a few months at a time: the n newest are in the
		// windows read until n matches are found, and most feeds find
		// them in the first. Then, if need be, everything at once (a range
		// of all the older months would cost more than it saves).
		windows := monthWindows(q.Now)
		if !since.IsZero() {
			windows = []query.Query{monthsFrom(since)}
		}
		for _, w := range windows {
			if err := sc.run(ctx, r, dv, sv, query.NewConjunctionQuery(append(slices.Clip(sel), w)), ix.mapping, false); err != nil {
				return err
			}
			if len(sc.matches) >= n {
				break
			}
		}
		if !since.IsZero() {
			after := since.Unix()
			sc.matches = slices.DeleteFunc(sc.matches, func(m match) bool { return m.announced <= after })
		} else if len(sc.matches) < n {
			sc.matches = sc.matches[:0]
			if err := sc.run(ctx, r, dv, sv, query.NewConjunctionQuery(sel), ix.mapping, false); err != nil {
				return err
			}
		}
		for _, m := range newest(sc.matches, n) {
			h, c, err := ix.hit(r, dv, m)
			if err != nil {
				return err
			}
			out = append(out, Announcement{
				Hit:         h,
				PublishedAt: time.Unix(c.Published, 0).In(directory.Paris),
				AnnouncedAt: time.Unix(m.announced, 0).In(directory.Paris),
				Version:     c.AnnouncedVersion,
			})
		}
		return nil
	})
	return out, err
}

// facetSelection selects with the terms of the keys field what the facet
// filters of q keep. Search applies them while reading each document, as it
// counts the facets without them; Latest counts none, and reads fewer
// documents when the query selects them. (The scan still applies them.)
func facetSelection(q *directory.SearchQuery) []query.Query {
	var out []query.Query
	family := func(terms []string) {
		if len(terms) == 0 {
			return
		}
		either := make([]query.Query, len(terms))
		for i, t := range terms {
			either[i] = termQuery(fieldKeys, t)
		}
		out = append(out, query.NewDisjunctionQuery(either))
	}
	terms := func(prefix string, values []string) []string {
		out := make([]string, len(values))
		for i, v := range values {
			out[i] = keyTerm(prefix, v)
		}
		return out
	}
	var th []string
	for _, t := range q.Thematiques {
		if directory.ThematiqueCategories.Has(t) {
			th = append(th, keyTerm(keyCategory, t))
		} else {
			th = append(th, keyTerm(keyBesoin, t))
		}
	}
	family(th)
	family(terms(keyType, q.Types))
	family(terms(keyFee, q.Fees))
	if len(q.Publics) > 0 {
		family(append(terms(keyPublic, q.Publics), publicAll))
	}
	family(terms(keyMode, q.ReceptionModes))
	return out
}

// monthsFrom is the range of announcement months from t's on.
func monthsFrom(t time.Time) query.Query {
	from, included := monthTerm(t), true
	q := query.NewTermRangeInclusiveQuery(from, "a=999999", &included, &included)
	q.SetField(fieldFilter)
	return q
}

// monthWindows are ranges of announcement months, newest first: from this
// month on, the 3 months before, the 8 before those.
func monthWindows(now time.Time) []query.Query {
	y, m, _ := now.UTC().Date()
	month := func(back int) string { return monthTerm(time.Date(y, m-time.Month(back), 1, 0, 0, 0, 0, time.UTC)) }
	window := func(from, to string, toIncluded bool) query.Query {
		fromIncluded := true
		q := query.NewTermRangeInclusiveQuery(from, to, &fromIncluded, &toIncluded)
		q.SetField(fieldFilter)
		return q
	}
	return []query.Query{
		window(month(0), "a=999999", true),
		window(month(3), month(0), false),
		window(month(11), month(3), false),
	}
}

// newest returns the n matches announced last, newest first, without
// sorting them all.
func newest(ms []match, n int) []match {
	firstK(ms, n, func(a, b match) int {
		return cmp.Or(cmp.Compare(b.announced, a.announced), cmp.Compare(a.shuffle, b.shuffle), cmp.Compare(a.doc, b.doc))
	})
	return ms[:min(n, len(ms))]
}

// Each calls fn with every visible service (published, not suspended now),
// in one pass over the index and in no particular order, until fn returns
// an error. The index is not swapped while Each runs: fn should be quick.
func (ix *Index) Each(ctx context.Context, fn func(directory.Hit) error) error {
	var q directory.SearchQuery
	if _, err := ix.prepare(&q); err != nil {
		return err
	}
	sc := newScan(&q, nil)
	return ix.reading(func(r index.IndexReader, dv index.DocValueReader) error {
		if err := sc.run(ctx, r, dv, ix.sheets.view(r, dv), termQuery(fieldFilter, termLive), ix.mapping, false); err != nil {
			return err
		}
		for i, m := range sc.matches {
			if i%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			h, _, err := ix.hit(r, dv, m)
			if err != nil {
				return err
			}
			if err := fn(h); err != nil {
				return err
			}
		}
		return nil
	})
}

// Revision counts the changes searches have seen since Open: writes and
// swaps. While it stays the same, a search gives the same answer, but for
// suspensions that ended meanwhile, which take no write.
func (ix *Index) Revision() uint64 { return ix.rev.Load() }
