package ui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/demand"
)

// TestObservatoryDemand: the searches of Châtellerault for a driving
// licence, with and without results, reach the demand page of the Vienne
// for moderators and administrators only; the words of the searches
// without results are listed, counts under demand.MinCount are not.
func TestObservatoryDemand(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	const th = "mobilite--preparer-un-permis"
	v := e.visitor(t)
	for range 6 {
		v.get("/recherche?code_commune=" + chatellerault + "&thematiques=" + th) // the driving school
	}
	for range demand.MinCount {
		v.get("/recherche?code_commune=" + chatellerault + "&thematiques=" + th + "&q=zkwyxq")
	}
	v.get("/recherche?code_commune=" + chatellerault + "&thematiques=" + th + "&q=qwvzk") // once: never shown
	if err := e.demand.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	const path = "/espace/observatoire/demande?territoire=departement%3A86&thematique=" + th + "&rayon=10&jours=7"
	if p := c.roles[rAnon].get(path); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, account.LoginPath) {
		t.Errorf("anonymous: %d %s", p.status, p.location)
	}
	if p := c.roles[rAdmin].get(path); p.status != http.StatusForbidden {
		t.Errorf("structure administrator: %d, want 403", p.status)
	}
	for _, r := range []int{rModerator, rPlatform} {
		p := c.roles[r].get(path)
		if p.status != http.StatusOK {
			t.Fatalf("%s: %d", roleNames[r], p.status)
		}
		var row []string
		p.doc.Find("#demande-communes tbody tr").Each(func(_ int, tr *goquery.Selection) {
			if strings.HasPrefix(tr.Find("th a").AttrOr("href", ""), "/communes/"+chatellerault+"-") {
				tr.Find("td").Each(func(_ int, td *goquery.Selection) { row = append(row, text(td)) })
			}
		})
		// Searches, without result, share, services on site (the school).
		if len(row) != 4 || row[0] != "12" || row[1] != "6" || row[2] != "50,0 %" || row[3] != "1" {
			t.Errorf("%s: Châtellerault %v, want 12 searches, 6 without result, 1 service on site", roleNames[r], row)
		}
		words := text(p.doc.Find("#demande-mots"))
		if !strings.Contains(words, "zkwyxq") || strings.Contains(words, "qwvzk") {
			t.Errorf("%s: words %q", roleNames[r], words)
		}
	}
	if p := c.roles[rPlatform].get("/espace/observatoire/demande?jours=8"); p.status != http.StatusBadRequest {
		t.Errorf("8 days: %d, want 400", p.status)
	}
}
