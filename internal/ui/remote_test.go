package ui_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestRemoteInterleavePages: on the synthetic directory of the Vienne,
// around Poitiers, the results page and the API list the same services in
// the same order, pages after pages, with or without words: two received on
// site, then one listed for its remote reach, while both kinds remain; by
// distance the remote ones come last. Every remote card names its zone with
// the gazetteer's names, and the page states the split the facets give.
func TestRemoteInterleavePages(t *testing.T) {
	e := &env{app: richApp(t)}
	c, _ := testEnv(t).gaz.Commune(poitiers)
	epci, _ := testEnv(t).gaz.EPCI(c.EPCI)
	zoneNames := map[string]bool{"Toute la France": true, "Région Nouvelle-Aquitaine": true,
		"Département : Vienne (86)": true, "Poitiers (86)": true, epci.Name: true}
	seen := map[string]bool{}

	for _, q := range []string{"code_commune=" + poitiers, "code_commune=" + poitiers + "&q=accompagnement", "code_commune=" + poitiers + "&sort=distance"} {
		var kinds []bool // remote, rank by rank
		var onSite, total int
		for page := 1; page <= 3; page++ {
			api := e.get(t, fmt.Sprintf("/api/v1/search/services?%s&page=%d&size=20", q, page))
			var res apiResult
			if err := json.Unmarshal([]byte(api.body), &res); err != nil || api.status != 200 {
				t.Fatalf("%s: %d %v", q, api.status, err)
			}
			total = res.Total
			for _, v := range res.Facets["modes_accueil"] {
				if v.Value == "en-presentiel" {
					onSite = v.Count
				}
			}
			r := e.get(t, fmt.Sprintf("/recherche?%s&page=%d", q, page))
			if r.status != 200 {
				t.Fatalf("%s page %d: status %d", q, page, r.status)
			}
			var pageIDs []string
			r.doc.Find("#resultats-liste > li").Each(func(i int, li *goquery.Selection) {
				pageIDs = append(pageIDs, strings.TrimPrefix(li.AttrOr("id", ""), "s-"))
				place := text(li.Find("[data-place]"))
				remote := strings.HasPrefix(place, "À distance")
				if i < len(res.Results) && remote != (res.Results[i].DistanceM == nil) {
					t.Errorf("%s page %d rank %d: card %q, API distance %v", q, page, i+1, place, res.Results[i].DistanceM)
				}
				if remote {
					zone, ok := strings.CutPrefix(place, "À distance · ")
					if !ok || !zoneNames[zone] {
						t.Errorf("%s: remote card place %q: want « À distance · » and a zone covering Poitiers", q, place)
					}
					seen[zone] = true
				}
				kinds = append(kinds, remote)
			})
			var apiIDs []string
			for _, h := range res.Results {
				apiIDs = append(apiIDs, h.ID)
			}
			if strings.Join(pageIDs, " ") != strings.Join(apiIDs, " ") {
				t.Errorf("%s page %d: the page lists\n%v\nthe API\n%v", q, page, pageIDs, apiIDs)
			}
			if page == 1 && !strings.Contains(q, "sort") {
				want := fmt.Sprintf("%d services reçoivent le public à moins de 50 km, %d travaillent à distance", onSite, total-onSite)
				if note := text(r.doc.Find("#a-distance")); !strings.HasPrefix(note, want) || !strings.HasSuffix(note, "Par pertinence, ils alternent : deux sur place, puis un à distance.") {
					t.Errorf("%s: note %q, want it to start with %q", q, note, want)
				}
			}
		}
		if onSite < 10 || total-onSite < 10 {
			t.Fatalf("%s: fixtures give %d on site and %d remote: too few to see the order", q, onSite, total-onSite)
		}
		// The order the index promises, rank by rank, over three pages.
		leftOnSite, leftRemote := onSite, total-onSite
		for i, remote := range kinds {
			var want bool
			switch {
			case strings.Contains(q, "sort=distance"):
				want = leftOnSite == 0
			case leftOnSite == 0:
				want = true
			case leftRemote == 0:
				want = false
			default:
				want = (i+1)%3 == 0
			}
			if remote != want {
				t.Fatalf("%s: rank %d is remote=%v, want %v (order %v)", q, i+1, remote, want, kinds[:i+1])
			}
			if remote {
				leftRemote--
			} else {
				leftOnSite--
			}
		}
	}
	if len(seen) < 3 {
		t.Errorf("remote cards name only %v: the fixtures should give several kinds of zones", seen)
	}
}
