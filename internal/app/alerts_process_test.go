package app

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/mail/smtptest"
	"github.com/repere-spie/repere/internal/schedule"
	"github.com/repere-spie/repere/internal/store"
)

// dueAlerts prepares n confirmed daily alerts of addresses prefix00@… that
// have news today: services announced before the window of the job's slot
// closes, written before the processes build their index. The alerts job
// is made due again, as if it never ran.
func dueAlerts(t *testing.T, p *processes, prefix, word string, n int) []string {
	t.Helper()
	ctx := context.Background()
	st := p.owner.Store
	if err := st.ResetAlertRuns(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveJobState(ctx, &store.JobState{ID: "alerts"}); err != nil {
		t.Fatal(err)
	}
	slot := schedule.Daily(7, 0).Slot(time.Now())
	at := slot.Add(-12 * time.Hour).UTC()
	lat, lon := 46.58, 0.34
	for i := range 3 {
		svc := &directory.Service{ID: fmt.Sprintf("%s-%d", prefix, i), StructureID: "inconnue", Source: "test", Name: fmt.Sprintf("Auto-école sociale %s %d", word, i),
			Description: "Apprendre à conduire.", Thematiques: []string{directory.Besoins("mobilite")[0]}, ReceptionModes: []string{"en-presentiel"},
			Address: "3 rue Carnot", CodeInsee: "86194", CommuneName: "Poitiers", PostalCode: "86000", Latitude: &lat, Longitude: &lon,
			EligibilityZone: []directory.Zone{directory.France}, Status: directory.StatusPublished, CreatedAt: at, UpdatedAt: at, PublishedAt: &at, AnnouncedAt: &at}
		if err := st.CreateService(ctx, svc); err != nil {
			t.Fatal(err)
		}
	}
	since := slot.AddDate(0, 0, -2).UTC()
	var emails []string
	for i := range n {
		v := url.Values{"q": {word}}
		if i%2 == 1 {
			v.Set("code_commune", "86194")
		}
		email := fmt.Sprintf("%s%02d@exemple.fr", prefix, i)
		emails = append(emails, email)
		if err := st.CreateAlert(ctx, &directory.Alert{Email: email, Query: v.Encode(), Title: word, Frequency: directory.AlertDaily,
			ConfirmedAt: &since, Since: since, CreatedAt: since, UpdatedAt: since}); err != nil {
			t.Fatal(err)
		}
	}
	return emails
}

// received counts the mails srv accepted, by recipient, for those that
// start with prefix.
func received(srv *smtptest.Server, prefix string) map[string]int {
	c := map[string]int{}
	for _, r := range srv.Messages() {
		if strings.HasPrefix(r.To[0], prefix) {
			c[r.To[0]]++
		}
	}
	return c
}

// Two server processes start together on one store and both run the
// scheduler: each alert's mail arrives once.
func TestTwoProcessesSendEachAlertOnce(t *testing.T) {
	p := sharedProcesses(t)
	const n = 30
	want := dueAlerts(t, p, "abonne", "Zorglub", n)
	srv := smtptest.Start(t, smtptest.Options{})
	_, a := p.start(t, srv)
	_, b := p.start(t, srv)
	ready(t, a)
	ready(t, b)
	waitUntil(t, 3*time.Minute, "every alert", func() bool { return len(received(srv, "abonne")) == n })
	time.Sleep(3 * time.Second) // a second sender would show now
	got := received(srv, "abonne")
	for _, email := range want {
		if got[email] != 1 {
			t.Errorf("%s received %d mails", email, got[email])
		}
	}
	for _, r := range srv.Messages() {
		if strings.HasPrefix(r.To[0], "abonne") && !strings.Contains(strings.ReplaceAll(string(r.Data), "=\r\n", ""), "Auto-=C3=A9cole sociale Zorglub") {
			t.Errorf("mail to %s without the news:\n%s", r.To[0], r.Data)
			break
		}
	}
}
