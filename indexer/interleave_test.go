package indexer

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/repere-spie/repere/internal/directory"
)

// TestRemoteInterleave: around a place, in the order of relevance, with words
// or without, services listed for their remote reach take every third rank
// (two on site, then one at a distance) while both kinds remain, however
// relevant they are; pages, whole downloads (All) and every order agree, the
// results count the remote and nationwide ones, and hits carry their zone.
func TestRemoteInterleave(t *testing.T) {
	b := newBuilder(t)
	chat := centreOf(t, chatellerault)
	// On site: the nearer, the earlier; every name says "permis" once.
	for i, km := range []float64{1, 2, 4, 8, 12} {
		b.add("m", fmt.Sprintf("onsite-%d", i), name("Atelier permis "+string(rune('a'+i))),
			receivedAt(destination(chat, 90, km*1000)), zones(zone(directory.ZoneDepartement, "86")))
	}
	// At a distance, far more relevant to the words: each name repeats them,
	// the first the most.
	for i := range 6 {
		z := zones(directory.France)
		if i%2 == 1 {
			z = zones(zone(directory.ZoneRegion, "75")) // Nouvelle-Aquitaine
		}
		b.add("m", fmt.Sprintf("remote-%d", i), name("Permis "+strings.Repeat("permis de conduire ", 6-i)), remote, z)
	}
	// A hybrid service received in Marseille is listed around Châtellerault
	// for its remote reach only; a remote one serving Corsica is not listed.
	b.add("m", "hybrid-far", name("Permis à Marseille"), receivedAt(centreOf(t, marseille)), remote)
	b.add("m", "remote-corse", name("Permis permis permis"), remote, zones(zone(directory.ZoneRegion, "94")))
	ix := b.build()

	kind := func(got []string) string {
		var k []byte
		for _, id := range got {
			if strings.HasPrefix(id, "onsite") {
				k = append(k, 'O')
			} else {
				k = append(k, 'R')
			}
		}
		return string(k)
	}
	at := directory.SearchQuery{Commune: commune(chatellerault), RadiusKm: 20, StructureID: "m"}
	for _, text := range []string{"", "permis"} {
		q := at
		q.Text = text
		got := ids(t, ix, q)
		// 5 on site, 7 remote (6 + the hybrid from Marseille).
		if k := kind(got); k != "OOROORORRRRR" {
			t.Errorf("%q: ranks %s (%v), want OOROORORRRRR", text, k, got)
		}
		if slices.Contains(got, "remote-corse") {
			t.Errorf("%q: a service serving Corsica only is listed around Châtellerault: %v", text, got)
		}
		// Interleaving keeps each kind in its own order: the on-site ones
		// as when only they are asked for (the nearest first, since their
		// words are equal), the remote ones likewise.
		kinds := func(onSite bool) []string {
			var out []string
			for _, id := range got {
				if strings.HasPrefix(id, "onsite") == onSite {
					out = append(out, id)
				}
			}
			return out
		}
		only := func(mode string) []string {
			oq := q
			oq.ReceptionModes = []string{mode}
			return ids(t, ix, oq)
		}
		if want := []string{"onsite-0", "onsite-1", "onsite-2", "onsite-3", "onsite-4"}; !slices.Equal(kinds(true), want) || !slices.Equal(only("en-presentiel"), want) {
			t.Errorf("%q: on-site order %v, alone %v, want %v", text, kinds(true), only("en-presentiel"), want)
		}
		if rem := kinds(false); !slices.Equal(rem, only("a-distance")) {
			t.Errorf("%q: remote order %v, alone %v", text, rem, only("a-distance"))
		}

		// Pages of 4 give the same sequence as one page.
		var paged []string
		for page := 1; page <= 3; page++ {
			pq := q
			pq.Page, pq.Size, pq.Now = page, 4, testNow
			res, err := ix.Search(context.Background(), pq)
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != 12 || res.Remote != 7 || res.Nationwide != 4 {
				t.Errorf("%q page %d: total %d, remote %d, nationwide %d; want 12, 7, 4", text, page, res.Total, res.Remote, res.Nationwide)
			}
			for _, h := range res.Hits {
				paged = append(paged, h.ID)
				wantZone := map[bool]string{true: "france", false: "region:75"}[h.ID == "remote-0" || h.ID == "remote-2" || h.ID == "remote-4" || h.ID == "hybrid-far"]
				if strings.HasPrefix(h.ID, "onsite") {
					wantZone = "departement:86"
				}
				if len(h.Zones) != 1 || h.Zones[0].Key() != wantZone {
					t.Errorf("%s: zones %v, want %s", h.ID, h.Zones, wantZone)
				}
			}
		}
		if !slices.Equal(paged, got) {
			t.Errorf("%q: pages of 4 %v, one page %v", text, paged, got)
		}
		// A download lists them in the same order.
		all, err := ix.All(context.Background(), directory.SearchQuery{Commune: q.Commune, RadiusKm: q.RadiusKm, StructureID: "m", Text: text, Now: testNow})
		if err != nil {
			t.Fatal(err)
		}
		var allIDs []string
		for _, r := range all {
			allIDs = append(allIDs, r.ID)
		}
		if !slices.Equal(allIDs, got) {
			t.Errorf("%q: All %v, Search %v", text, allIDs, got)
		}
	}

	// Sorted by distance, the remote ones come after every on-site one.
	q := at
	q.Sort = directory.SortDistance
	if k := kind(ids(t, ix, q)); k != "OOOOORRRRRRR" {
		t.Errorf("by distance: %s", k)
	}

	// Only remote services around Tours (the on-site ones are 65 km away):
	// the results say all of them are, and how many serve all of France.
	res, err := ix.Search(context.Background(), directory.SearchQuery{Commune: commune(tours), RadiusKm: 20, StructureID: "m", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	// Tours is outside Nouvelle-Aquitaine: the nationwide ones only.
	if res.Total != 4 || res.Remote != 4 || res.Nationwide != 4 {
		t.Errorf("Tours: total %d, remote %d, nationwide %d; want 4, 4, 4", res.Total, res.Remote, res.Nationwide)
	}
	// Without a place nothing is counted as remote: there is no radius.
	res, err = ix.Search(context.Background(), directory.SearchQuery{StructureID: "m", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 13 || res.Remote != 0 || res.Nationwide != 0 {
		t.Errorf("all of France: total %d, remote %d, nationwide %d; want 13, 0, 0", res.Total, res.Remote, res.Nationwide)
	}
}
