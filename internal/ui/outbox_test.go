package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/repere-spie/repere/internal/store"
)

// Platform administrators see the scheduled jobs and the mails in
// trouble, and can send a failed one again; nobody else sees the page.
func TestOutboxAdminPage(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	ctx := context.Background()
	key := "test-admin:" + uniq()
	m := &store.OutboxMessage{ID: key, Kind: "alerte", To: "adresse-morte@exemple.fr", Subject: "Nouveaux services près de chez vous", Text: "Bonjour"}
	if err := e.store.QueueMail(ctx, m, time.Now()); err != nil {
		t.Fatal(err)
	}
	m.State, m.Attempts, m.LastError = store.OutboxFailed, 3, "mail: RCPT TO: 550 5.1.1 No such user"
	if err := e.store.SaveOutboxMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	e.site.Scheduler.Tick(ctx) // every job runs once: the table shows when

	if p := c.roles[rModerator].get("/espace/administration/courriels"); p.status != http.StatusForbidden {
		t.Fatalf("a moderator gets %d, want 403", p.status)
	}
	admin := c.roles[rPlatform]
	p := admin.get("/espace/administration/courriels")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	jobs := p.doc.Find("table.jobs tbody tr")
	if !strings.Contains(jobs.Text(), "Envoi des courriels") || !strings.Contains(jobs.Text(), "toutes les 30 s") {
		t.Errorf("jobs table:\n%s", jobs.Text())
	}
	var row string
	p.doc.Find("table.outbox-troubles tbody tr").Each(func(_ int, r *goquery.Selection) {
		if strings.Contains(r.Text(), "adresse-morte@exemple.fr") {
			row = r.Text()
		}
	})
	if !strings.Contains(row, "550 5.1.1") || !strings.Contains(row, "Renvoyer") {
		t.Fatalf("failed mail row: %q", row)
	}
	if p := admin.post("/espace/administration/courriels/renvoyer", url.Values{"cle": {key}}); p.status != http.StatusSeeOther {
		t.Fatalf("retry: %d", p.status)
	}
	if m, _ := e.store.OutboxMessage(ctx, key); m.State != store.OutboxPending || m.Attempts != 0 {
		t.Fatalf("after retry: %+v", m)
	}
}
