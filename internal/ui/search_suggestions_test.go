package ui_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/repere-spie/repere/internal/demand"
)

// TestResultsSpelling: a misspelt word is read as the closest words of the
// index, and the page offers the correction as a search of its own.
func TestResultsSpelling(t *testing.T) {
	e := testEnv(t)
	r := e.get(t, "/recherche?q=logemnt&partout=1")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	if got := cards(r.doc); len(got) != 1 || !strings.Contains(got[0], "logement") {
		t.Errorf("results %v", got)
	}
	a := r.doc.Find("#orthographe a")
	if text(a) != "logement" || text(r.doc.Find("#orthographe")) != "Vouliez-vous dire « logement » ? (1 service)" {
		t.Fatalf("correction %q", text(r.doc.Find("#orthographe")))
	}
	u, _ := url.Parse(a.AttrOr("href", ""))
	if u.Path != "/recherche" || u.Query().Get("q") != "logement" {
		t.Errorf("correction link %q", a.AttrOr("href", ""))
	}
	if r := e.get(t, "/recherche?q=logement&partout=1"); r.doc.Find("#orthographe").Length() != 0 {
		t.Error("a word the index knows is offered a correction")
	}
}

// TestResultsRefine: the thématiques the words point to are offered as
// filters, with what each keeps; none is applied unasked.
func TestResultsRefine(t *testing.T) {
	e := testEnv(t)
	r := e.get(t, "/recherche?q=num%C3%A9rique+permis&partout=1")
	all := len(cards(r.doc))
	var link *goquery.Selection
	r.doc.Find("#affiner a").Each(func(_ int, a *goquery.Selection) {
		if text(a) == "la thématique « Préparer un permis »" {
			link = a
		}
	})
	if all == 0 || link == nil {
		t.Fatalf("%d results, offers %q", all, text(r.doc.Find("#affiner")))
	}
	narrow := e.get(t, link.AttrOr("href", ""))
	if got := cards(narrow.doc); len(got) != 1 || got[0] != "Auto-école sociale" {
		t.Errorf("refined: %v", got)
	}
	if !strings.Contains(text(link.Parent()), "(1 service)") {
		t.Errorf("offer %q", text(link.Parent()))
	}
}

// TestUnmetDemandCounted: a search without results, on the page or the API,
// is counted by commune, thématique and words; nothing else is kept. Every
// search is counted by commune and thématique.
func TestUnmetDemandCounted(t *testing.T) {
	e := testEnv(t)
	for range demand.MinCount {
		e.get(t, "/recherche?code_commune="+poitiers+"&q=zkwyxq+0612345678")
		e.get(t, "/api/v1/search/services?code_commune="+poitiers+"&q=zkwyxq&thematiques=sante--sante-mentale")
	}
	e.get(t, "/recherche?code_commune="+poitiers+"&q=zkwyxq&page=2") // a second page counts nothing
	ctx := context.Background()
	if err := e.demand.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := demand.Report(ctx, e.store, time.Now(), time.Now(), demand.Dimensions{Commune: true, Thematique: true, Words: true}, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range rows {
		if strings.Contains(r.Words, "zkwyxq") {
			got[r.Commune+"|"+r.Thematique+"|"+r.Words] = r.Count
		}
	}
	want := map[string]int{poitiers + "||zkwyxq": demand.MinCount, poitiers + "|sante--sante-mentale|zkwyxq": demand.MinCount}
	if len(got) != len(want) || got[poitiers+"||zkwyxq"] != demand.MinCount || got[poitiers+"|sante--sante-mentale|zkwyxq"] != demand.MinCount {
		t.Errorf("counted %v, want %v", got, want)
	}
	// Searches that found something count too, by commune and thématique,
	// their words not kept.
	const permis = "mobilite--preparer-un-permis"
	if err := e.demand.Flush(ctx); err != nil { // what earlier tests searched
		t.Fatal(err)
	}
	before := searchesOf(t, e, chatellerault, permis)
	for range demand.MinCount {
		e.get(t, "/recherche?code_commune="+chatellerault+"&thematiques="+permis+"&q=sociale")
		e.get(t, "/api/v1/search/services?code_commune="+chatellerault+"&thematiques="+permis)
	}
	if err := e.demand.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	// A count under MinCount left by earlier tests reads as nothing.
	after := searchesOf(t, e, chatellerault, permis)
	if before > 0 && after != before+2*demand.MinCount || before == 0 && (after < 2*demand.MinCount || after >= 3*demand.MinCount) {
		t.Errorf("searches for a driving licence at Châtellerault: %d, then %d, want %d more", before, after, 2*demand.MinCount)
	}
	rows, _ = demand.Report(ctx, e.store, time.Now(), time.Now(), demand.Dimensions{Words: true}, 0)
	for _, r := range rows {
		if strings.Contains(r.Words, "sociale") {
			t.Errorf("the words of a search with results kept: %+v", r)
		}
	}
}

// searchesOf is the number of searches counted for a commune and a
// thématique today.
func searchesOf(t *testing.T, e *env, commune, th string) int {
	t.Helper()
	rows, err := demand.Report(context.Background(), e.store, time.Now(), time.Now(), demand.Dimensions{Commune: true, Thematique: true}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Commune == commune && r.Thematique == th {
			if r.Searches == demand.Few {
				t.Fatalf("%s × %s: a few searches already, too few to read", commune, th)
			}
			return r.Searches
		}
	}
	return 0
}
