package ui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/repere-spie/repere/internal/account"
)

// TestObservatoryPartners: freshness by partner is for moderators (their
// départements only) and platform administrators (all); the fixtures'
// Maison des familles (Vienne) has 30 services: one stale, one draft.
func TestObservatoryPartners(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	const path = "/espace/observatoire/partenaires"
	if p := c.roles[rAnon].get(path); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, account.LoginPath) {
		t.Errorf("anonymous: %d %s, want the login page", p.status, p.location)
	}
	for _, r := range []int{rLambda, rMember, rAdmin} {
		if p := c.roles[r].get(path); p.status != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", roleNames[r], p.status)
		}
	}
	row := func(d *goquery.Document, name string) []string {
		var cells []string
		d.Find("#partenaires-structures tbody tr").Each(func(_ int, tr *goquery.Selection) {
			if text(tr.Find("th")) == name {
				tr.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, text(td)) })
			}
		})
		return cells
	}
	familles, tours := e.fx.famillesSt.Name, e.fx.toursSt.Name
	for _, r := range []int{rModerator, rPlatform} {
		p := c.roles[r].get(path)
		if p.status != http.StatusOK {
			t.Fatalf("%s: status %d", roleNames[r], p.status)
		}
		// Services, up to date, share, stale, drafts, incomplete.
		got := row(p.doc, familles)
		if len(got) != 6 || got[0] != "30" || got[1] != "28" || got[3] != "1" || got[4] != "1" {
			t.Errorf("%s: %s row %v, want 30 services, 28 up to date, 1 stale, 1 draft", roleNames[r], familles, got)
		}
		if seen := len(row(p.doc, tours)) > 0; seen != (r == rPlatform) {
			t.Errorf("%s: the Indre-et-Loire structure shown: %v", roleNames[r], seen)
		}
		if p.doc.Find("#partenaires-reseaux tbody tr").Length() == 0 {
			t.Errorf("%s: no network row", roleNames[r])
		}
	}
	if p := c.roles[rModerator].get(account.ModerationPath); p.doc.Find(`a[href="`+path+`"]`).Length() != 1 {
		t.Error("the moderation page does not link to the freshness report")
	}
}
