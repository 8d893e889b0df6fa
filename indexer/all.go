package indexer

import (
	"context"
	"math"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/repere-spie/repere/internal/directory"
)

// Ranked is one service of a whole result set: its id, and its distance in
// metres when the search has a place and the service is received at one.
type Ranked struct {
	ID       string
	Distance *float64
}

// All returns the whole result set of q in the order of its pages, ids and
// distances only: a download then reads the records a chunk at a time, so
// that its memory is that of the ids, and the index is not held while a
// slow client reads. q.Page and q.Size are ignored.
func (ix *Index) All(ctx context.Context, q directory.SearchQuery) ([]Ranked, error) {
	q.Page, q.Size = 0, 0
	pl, err := ix.prepare(&q)
	if err != nil {
		return nil, err
	}
	sc := newScan(&q, pl)
	var out []Ranked
	err = ix.reading(func(r index.IndexReader, dv index.DocValueReader) error {
		text, _ := ix.textQuery(ctx, r, q.Text)
		scored := text != nil && q.Sort == directory.SortPertinence
		sctx := ctx
		if scored {
			sctx = ix.lengths.scoring(ctx, r)
		}
		if err := sc.run(sctx, r, dv, ix.sheets.view(r, dv), ix.selection(&q, pl, text), ix.mapping, scored); err != nil {
			return err
		}
		ranked := rank(sc.matches, q.Sort, text != nil, pl)
		out = make([]Ranked, len(ranked))
		for i, m := range ranked {
			if i%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			id, err := r.ExternalID(index.NewIndexInternalID(nil, m.doc))
			if err != nil {
				return err
			}
			out[i].ID = id
			if !math.IsNaN(m.dist) {
				d := math.Round(m.dist)
				out[i].Distance = &d
			}
		}
		return nil
	})
	return out, err
}
