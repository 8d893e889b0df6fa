package demand

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), store.Config{DataDir: t.TempDir(), Database: "test", Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(context.Background()) })
	return st
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

var day = time.Date(2026, 3, 10, 23, 30, 0, 0, time.UTC) // 11 March in Paris

// TestCountsAcrossInstances: two instances count concurrently on one store,
// each writing its own documents; a report sums them by the dimensions
// asked for and hides the small counts.
func TestCountsAcrossInstances(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	a, b := New(st, quiet()), New(st, quiet())
	for _, c := range []*Counter{a, b} {
		c.now = func() time.Time { return day }
	}
	if a.instance == b.instance {
		t.Fatal("two counters share an instance")
	}
	psy := Search{Commune: "86066", Thematiques: []string{"sante--sante-mentale"}, Words: []string{"psychologue"}}
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := []*Counter{a, b}[i%2]
			c.Record(psy)
			if i%4 == 0 {
				c.Record(Search{Commune: "86066", Words: []string{"Équitation"}})
			}
			if i%5 == 0 {
				// Flushing while others record loses nothing.
				if err := c.Flush(ctx); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for _, c := range []*Counter{a, b, a} { // a second flush of a adds nothing
		if err := c.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := Report(ctx, st, day, day, Dimensions{Day: true, Commune: true, Thematique: true, Words: true}, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The searches in the cells without words, those without results in
	// the cells of their words.
	want := []store.DemandCount{
		{DemandCell: store.DemandCell{Day: "2026-03-11", Commune: "86066", Thematique: "sante--sante-mentale", Words: "psychologue"}, Count: 40},
		{DemandCell: store.DemandCell{Day: "2026-03-11", Commune: "86066", Words: "equitation"}, Count: 10},
		{DemandCell: store.DemandCell{Day: "2026-03-11", Commune: "86066", Thematique: "sante--sante-mentale"}, Searches: 40},
		{DemandCell: store.DemandCell{Day: "2026-03-11", Commune: "86066"}, Searches: 10},
	}
	if !slices.Equal(rows, want) {
		t.Errorf("report %+v, want %+v", rows, want)
	}
	// By commune only: the cells summed.
	rows, _ = Report(ctx, st, day, day, Dimensions{Commune: true}, 0)
	if len(rows) != 1 || rows[0].Count != 50 || rows[0].Searches != 50 || rows[0].Commune != "86066" || rows[0].Words != "" {
		t.Errorf("by commune %+v", rows)
	}
	// A count under the threshold is not shown; the threshold is never
	// under MinCount.
	a.Record(Search{Commune: "37261", Words: []string{"dupont"}})
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	rows, _ = Report(ctx, st, day, day, Dimensions{Commune: true, Words: true}, 1)
	for _, r := range rows {
		if r.Commune == "37261" {
			t.Errorf("a single search shown: %+v", r)
		}
	}
	// Another day is another cell, outside the range.
	a.now = func() time.Time { return day.Add(48 * time.Hour) }
	for range MinCount {
		a.Record(psy)
	}
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if rows, _ := Report(ctx, st, day, day, Dimensions{}, 0); len(rows) != 1 || rows[0].Count != 51 {
		t.Errorf("one day %+v", rows)
	}
	if rows, _ := Report(ctx, st, day, day.Add(72*time.Hour), Dimensions{Day: true}, 0); len(rows) != 2 {
		t.Errorf("two days %+v", rows)
	}
}

func TestNormalize(t *testing.T) {
	cases := map[string][]string{
		"":                                   nil,
		"psychologue":                        {"Psychologue"},
		"garde nuit":                         {"nuit", "garde", "Garde"},
		"dupont le ne":                       {"M.", "Dupont", "06 12 34 56 78", "né le 12/03/1990"},
		"aa bb cc dd ee":                     {"ee", "dd", "cc", "bb", "aa", "ff", "gg"},
		"equitation therapeutique":           {"Équitation thérapeutique"},
		"hebergement":                        {"hébergement", "x", fmt.Sprint(make([]rune, 40))},
		"logement":                           {"logement", "75001"},
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa dit": {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "dit"},
	}
	for want, words := range cases {
		if got := Normalize(words); got != want {
			t.Errorf("%q: %q, want %q", words, got, want)
		}
	}
}

// flaky fails its first write after n counts.
type flaky struct {
	*store.Store
	fail bool
	n    int
}

func (f *flaky) AddDemand(ctx context.Context, instance string, counts []store.DemandCount) (int, error) {
	if f.fail {
		f.fail = false
		n := min(f.n, len(counts))
		done, err := f.Store.AddDemand(ctx, instance, counts[:n])
		if err != nil {
			return done, err
		}
		return n, errors.New("store unreachable")
	}
	return f.Store.AddDemand(ctx, instance, counts)
}

// TestFlushFailure: counts the store did not take are kept for the next
// flush, and the ones it took are not added twice.
func TestFlushFailure(t *testing.T) {
	st := &flaky{Store: openStore(t), fail: true, n: 1}
	c := New(st, quiet())
	c.now = func() time.Time { return day }
	for i := range 3 {
		for range MinCount {
			c.Record(Search{Commune: fmt.Sprintf("8606%d", i)})
		}
	}
	if err := c.Flush(context.Background()); err == nil {
		t.Fatal("no error")
	}
	if err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	rows, err := Report(context.Background(), st, day, day, Dimensions{Commune: true}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("rows %+v", rows)
	}
	for _, r := range rows {
		if r.Count != MinCount {
			t.Errorf("%s: %d, want %d", r.Commune, r.Count, MinCount)
		}
	}
}

// TestBounded: the cells kept between two flushes are bounded; the others
// are dropped, not kept.
func TestBounded(t *testing.T) {
	c := New(nil, quiet())
	for i := range maxPending + 10 {
		c.Record(Search{Commune: fmt.Sprintf("%05d", i)})
	}
	c.Record(Search{Commune: "00000"}) // an existing cell still counts
	if len(c.pending) != maxPending || c.dropped != 10 || c.pending[store.DemandCell{Day: time.Now().In(directory.Paris).Format(time.DateOnly), Commune: "00000"}] != (tally{unmet: 2, searches: 2}) {
		t.Errorf("%d cells, %d dropped", len(c.pending), c.dropped)
	}
}

// TestEverySearchCounted: the searches that found something are counted by
// commune and thématique, their words not kept; the report hides counts
// under MinCount as Few, and leaves out the cells with no count to show.
func TestEverySearchCounted(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	c := New(st, quiet())
	c.now = func() time.Time { return day }
	for i := range 12 {
		c.Record(Search{Commune: "86194", Thematiques: []string{"mobilite", "mobilite--preparer-un-permis"}, Words: []string{"permis", "Dupont"}, Found: i >= 3})
	}
	for range 2 { // too few to show, in any way
		c.Record(Search{Commune: "37261", Thematiques: []string{"famille"}, Found: true})
	}
	if err := c.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := Report(ctx, st, day, day, Dimensions{Commune: true, Thematique: true}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.DemandCount{
		{DemandCell: store.DemandCell{Commune: "86194", Thematique: "mobilite--preparer-un-permis"}, Count: Few, Searches: 12},
		{DemandCell: store.DemandCell{Commune: "86194", Thematique: "mobilite"}, Count: Few, Searches: 12},
	}
	if !slices.Equal(rows, want) {
		t.Errorf("report %+v, want %+v", rows, want)
	}
	// The found searches' words are nowhere; the unmet ones' are normalised.
	rows, _ = Report(ctx, st, day, day, Dimensions{Words: true}, 0)
	for _, r := range rows {
		if r.Words != "" && r.Words != "dupont permis" {
			t.Errorf("words kept: %+v", r)
		}
	}
}

// TestStoredDocumentsHoldNoPersonalData reads the documents the counters
// wrote: only the day, the commune, the thématique, normalised words, the
// instance and the counts; no time, no address, no raw text.
func TestStoredDocumentsHoldNoPersonalData(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	c := New(st, quiet())
	c.now = func() time.Time { return day }
	c.Record(Search{Commune: "86194", Thematiques: []string{"sante"}, Words: []string{"Mme", "Dupont", "06 12 34 56 78", "née", "le", "12/03/1990", "dupont@example.org", "12 rue des Lilas"}})
	c.Record(Search{Commune: "86194", Words: []string{"psychologue"}, Found: true})
	if err := c.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	docs, err := st.DemandDocuments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 3 {
		t.Fatalf("%d documents: %v", len(docs), docs)
	}
	allowed := []string{"_id", "day", "commune", "thematique", "words", "instance", "count", "searches"}
	for _, d := range docs {
		for k, v := range d {
			if !slices.Contains(allowed, k) {
				t.Errorf("field %s kept: %v", k, v)
			}
			s := fmt.Sprint(v)
			for _, bad := range []string{"06", "1990", "@", "example", "org", "psychologue", "Mme"} {
				if strings.Contains(s, bad) && k != "instance" && k != "day" && k != "_id" {
					t.Errorf("%s = %q holds %q", k, s, bad)
				}
			}
		}
		if day := fmt.Sprint(d["day"]); day != "2026-03-11" {
			t.Errorf("day %q: finer than the day?", day)
		}
		if w := fmt.Sprint(d["words"]); w != "" && w != "des dupont le lilas mme" {
			t.Errorf("words %q", w)
		}
	}
}
