package indexer

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
)

// The sheets must answer as the doc values they decode, on an index of
// several segments (a rebuild, then writes one by one and a delete), and
// drop the sheets of segments no longer in use.
func TestSheetsAnswerAsDocValues(t *testing.T) {
	b := randomCorpus(t, 600)
	ix := b.build()
	for i, s := range b.services[:40] {
		s := *s
		s.Version++
		s.Name = fmt.Sprintf("Atelier emploi %d", i)
		s.Thematiques = []string{"mobilite", "famille"}
		if i%3 == 0 {
			s.ReceptionModes = []string{"a-distance"}
		}
		if err := ix.Put(&s, b.structures[s.StructureID]); err != nil {
			t.Fatal(err)
		}
	}
	// Deleted: ten services found around Châtellerault.
	deleted := ids(t, ix, directory.SearchQuery{Commune: commune(chatellerault)})
	if len(deleted) < 20 {
		t.Fatalf("%d services around Châtellerault: a weak case", len(deleted))
	}
	deleted = deleted[len(deleted)-10:]
	for _, id := range deleted {
		if err := ix.Delete(id); err != nil {
			t.Fatal(err)
		}
	}
	queries := []directory.SearchQuery{
		{},
		{Text: "emploi"},
		{Commune: commune(chatellerault), Thematiques: []string{"famille"}},
		{Commune: commune(poitiers), RadiusKm: 20, Fees: []string{"gratuit"}, ReceptionModes: []string{"en-presentiel"}},
		{Commune: locate(47.39, 0.69), Position: &orb.Point{0.69, 47.39}, RadiusKm: 10, Text: "atelier emploi"},
		{UpdatedSince: ptr(testNow.Add(-100 * 24 * time.Hour)), Publics: []string{"jeunes"}, Sort: directory.SortDate},
		{StructureID: "st3"},
	}
	search := func(q directory.SearchQuery) *directory.SearchResults {
		q.Now, q.Size = testNow, directory.MaxSearchSize
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	var withSheets []*directory.SearchResults
	for _, q := range queries {
		res := search(q)
		for _, h := range res.Hits {
			if slices.Contains(deleted, h.ID) {
				t.Fatalf("%+v: %s found, deleted", q, h.ID)
			}
		}
		withSheets = append(withSheets, res)
	}
	segments := currentSegments(t, ix)
	if segments < 2 {
		t.Fatalf("%d segment: a weak case", segments)
	}
	// (A merge may have replaced segments since: its sheets go at the
	// next decoding.)
	if ix.sheets.bytes == 0 || len(ix.sheets.bySeg) < segments {
		t.Fatalf("%d bytes of sheets for %d segments, %d segments in the index", ix.sheets.bytes, len(ix.sheets.bySeg), segments)
	}
	// The same searches read from the doc values: no sheet fits a budget
	// of nothing.
	ix.sheets = sheets{}
	for i, q := range queries {
		if got := search(q); !reflect.DeepEqual(got, withSheets[i]) {
			t.Errorf("query %d: with sheets\n%+v\nfrom doc values\n%+v", i, withSheets[i], got)
		}
		if withSheets[i].Total == 0 {
			t.Errorf("query %d: no result, a weak case", i)
		}
	}
	if ix.sheets.bytes != 0 {
		t.Fatalf("%d bytes of sheets over a budget of 0", ix.sheets.bytes)
	}

	// A rebuild swaps in new segments: the next search drops the sheets
	// of the old ones.
	ix.sheets = sheets{budget: sheetBudget}
	search(directory.SearchQuery{})
	before := ix.sheets.bytes
	if err := ix.Rebuild(context.Background(), b.source(), nil); err != nil {
		t.Fatal(err)
	}
	search(directory.SearchQuery{})
	if n := currentSegments(t, ix); len(ix.sheets.bySeg) < n {
		t.Fatalf("%d sheets kept for %d segments", len(ix.sheets.bySeg), n)
	}
	if ix.sheets.bytes <= 0 || ix.sheets.bytes > before*3/2 {
		t.Fatalf("%d bytes of sheets after the rebuild, %d before", ix.sheets.bytes, before)
	}
}

// searchAsRead runs q, then q reading every service it selects, as no
// shortcut applies with a date bound (older than any service).
func searchAsRead(t *testing.T, ix *Index, q directory.SearchQuery) (got, read *directory.SearchResults) {
	t.Helper()
	got, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	q.UpdatedSince = ptr(time.Unix(0, 0))
	if read, err = ix.Search(context.Background(), q); err != nil {
		t.Fatal(err)
	}
	return got, read
}

func currentSegments(t *testing.T, ix *Index) int {
	n := 0
	err := ix.reading(func(r index.IndexReader, _ index.DocValueReader) error {
		n = len(r.(*scorch.IndexSnapshot).Segments())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Over all of France without text, the facets are counted from posting
// bitmaps (countWide): they must be what reading every service gives, which
// a date bound older than any service forces, on several segments with
// deletions and running and ended suspensions.
func TestCountedFacetsAsRead(t *testing.T) {
	ix := rewrittenCorpus(t, func(s *directory.Service) { s.Publics = nil }) // for everyone
	queries := []directory.SearchQuery{
		{},
		{Thematiques: []string{"famille"}},
		{Thematiques: []string{"mobilite", "sante--acces-aux-soins"}, Publics: []string{"jeunes"}},
		{Types: []string{"atelier", "formation"}, Fees: []string{"gratuit"}, ReceptionModes: []string{"a-distance"}},
		{Publics: []string{"tous-publics"}, Sort: directory.SortDate},
		{StructureID: "st3", Fees: []string{"payant"}},
	}
	for i, q := range queries {
		q.Now, q.Size = testNow, directory.MaxSearchSize
		counted, read := searchAsRead(t, ix, q)
		if counted.Total == 0 {
			t.Errorf("query %d: no result, a weak case", i)
		}
		if !reflect.DeepEqual(counted, read) {
			t.Errorf("query %d: counted\n%+v\nread\n%+v", i, counted, read)
		}
	}
}

// Around a place, the services offered at a distance from afar are counted
// from posting bitmaps (countPlace): the facets, totals and pages must be
// what reading every selected service gives, which a date bound older than
// any service forces.
func TestPlaceCountedAsRead(t *testing.T) {
	// Marseille, far from the others, gets many services received on site.
	b := randomCorpus(t, 600)
	for i := range 300 {
		b.add("st1", fmt.Sprintf("mrs%04d", i), b.at(marseille), themes(directory.Thematiques.Terms()[i%69].Value))
	}
	ix := rewritten(t, b, func(s *directory.Service) {
		s.Publics = nil                                            // for everyone
		s.ReceptionModes = []string{"en-presentiel", "a-distance"} // hybrid
	})
	// Deleted services offered to all of France stay in their segment's
	// sheet.
	deleted := 0
	for _, s := range b.services[40:300] {
		if s.Remote() && slices.Contains(s.EligibilityZone, directory.France) {
			if err := ix.Delete(s.ID); err != nil {
				t.Fatal(err)
			}
			deleted++
		}
	}
	if deleted < 5 {
		t.Fatalf("%d deleted: a weak case", deleted)
	}
	queries := []directory.SearchQuery{
		{},
		{Thematiques: []string{"famille"}},
		{Thematiques: []string{"mobilite", "sante--acces-aux-soins"}, Publics: []string{"jeunes"}},
		{ReceptionModes: []string{"en-presentiel"}},
		{ReceptionModes: []string{"a-distance"}, Fees: []string{"gratuit"}},
		{Types: []string{"atelier", "formation"}, Fees: []string{"gratuit"}, ReceptionModes: []string{"en-presentiel"}},
		{Publics: []string{"tous-publics"}, Sort: directory.SortDate},
		{Thematiques: []string{"famille"}, Sort: directory.SortDistance, Page: 2},
	}
	far := 0
	for _, code := range []string{"86194", "86066", "79191", "37261", marseille} {
		for _, radius := range directory.SearchRadii {
			for i, q := range queries {
				q.Commune, q.RadiusKm = commune(code), radius
				q.Now, q.Size = testNow, 10
				counted, read := searchAsRead(t, ix, q)
				if !reflect.DeepEqual(counted, read) {
					t.Fatalf("%s, %d km, query %d: counted\n%+v\nread\n%+v", code, radius, i, counted, read)
				}
				far += counted.Remote
			}
		}
	}
	if far < 100 {
		t.Fatalf("%d results offered at a distance: a weak case", far)
	}
}

// Text over all of France is counted from the bitmaps and scored only where
// it can rank (pruner): every page must be what scoring every match gives,
// which a date bound older than any service forces.
func TestPrunedTextAsScored(t *testing.T) {
	ix := rewrittenCorpus(t, func(s *directory.Service) { s.Name = "Atelier emploi " + s.Name })
	pruned := 0
	for _, text := range []string{"emploi", "logement", "atelier", "aide", "garde d'enfants", "mobilité", "santé", "numérique", "accompagnement", "permanence emploi"} {
		for _, q := range []directory.SearchQuery{
			{Text: text},
			{Text: text, Thematiques: []string{"famille"}},
			{Text: text, Publics: []string{"jeunes"}, Fees: []string{"gratuit"}},
			{Text: text, Sort: directory.SortDate},
		} {
			for page := 1; page <= 3; page++ {
				q.Now, q.Page, q.Size = testNow, page, 7
				got, want := searchAsRead(t, ix, q)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%q %+v page %d:\n got %+v\nwant %+v", text, q, page, got, want)
				}
				if want.Total > 3*q.Size {
					pruned++
				}
			}
		}
	}
	if pruned < 20 {
		t.Fatalf("%d searches with more results than three pages: a weak case", pruned)
	}
}

// Text over all of France ranks as it did under a conjunction with the live
// term, whose query norm gives each clause its weight (a word in the name
// counts more than in the description): without it, the top sum's clauses
// would all weigh alike.
func TestTextFranceWeighsClauses(t *testing.T) {
	b := randomCorpus(t, 600)
	ix := b.build()
	for _, text := range []string{"emploi", "logement", "atelier", "aide", "garde d'enfants", "mobilité", "santé", "numérique", "accompagnement"} {
		q := directory.SearchQuery{Text: text, Now: testNow, Size: 30}
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		// The same text under a conjunction with the live term, scored
		// and ranked as a search ranks.
		var want []string
		err = ix.reading(func(r index.IndexReader, dv index.DocValueReader) error {
			pq := q
			pl, err := ix.prepare(&pq)
			if err != nil {
				return err
			}
			tq, _ := ix.textQuery(context.Background(), r, text)
			sc := newScan(&pq, pl)
			ctx := ix.lengths.scoring(context.Background(), r)
			conj := query.NewConjunctionQuery([]query.Query{termQuery(fieldFilter, termLive), tq})
			if err := sc.run(ctx, r, dv, ix.sheets.view(r, dv), conj, ix.mapping, true); err != nil {
				return err
			}
			for _, m := range rank(sc.matches, "", true, nil)[:min(30, len(sc.matches))] {
				id, err := r.ExternalID(index.NewIndexInternalID(nil, m.doc))
				if err != nil {
					return err
				}
				want = append(want, id)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q:\n got %v\nwant %v", text, got, want)
		}
	}
}

// rewrittenCorpus indexes the random corpus, then rewrites 30 services one by
// one (change, and half of them suspended until tomorrow) and deletes 10:
// an index of several segments, with deletions and suspensions.
func rewrittenCorpus(t *testing.T, change func(*directory.Service)) *Index {
	return rewritten(t, randomCorpus(t, 600), change)
}

// rewritten builds b's index, then rewrites 30 of its services with change,
// half of them suspended, and deletes 10.
func rewritten(t *testing.T, b *builder, change func(*directory.Service)) *Index {
	ix := b.build()
	for i, s := range b.services[:30] {
		s := *s
		s.Version++
		change(&s)
		if i%2 == 0 {
			s.SuspendedUntil = ptr(testNow.Add(24 * time.Hour))
		}
		if err := ix.Put(&s, b.structures[s.StructureID]); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range b.services[30:40] {
		if err := ix.Delete(s.ID); err != nil {
			t.Fatal(err)
		}
	}
	if n := currentSegments(t, ix); n < 2 {
		t.Fatalf("%d segment: a weak case", n)
	}
	return ix
}
