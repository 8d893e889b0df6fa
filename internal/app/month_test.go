package app

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/alert"
	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/mail"
	"github.com/repere-spie/repere/internal/store"
)

// The whole site runs on a clock moved hour by hour through four weeks,
// from Monday 4 January to Monday 1 February 2027, its scheduler ticking
// as the server's would; services are published and changed on the way.
// At the end, each person has received exactly the mails they should.
func TestAMonthOfMails(t *testing.T) {
	if testing.Short() {
		t.Skip("a month of scheduler ticks")
	}
	ctx := context.Background()
	clock := apptest.NewClock(apptest.Paris("2027-01-04 00:00"))
	start := clock.Now()
	cfg := apptest.Config(t, t.TempDir())
	cfg.BaseURL, cfg.DevMailbox, cfg.DevMailboxSize = "https://repere.exemple.fr", true, 1000
	m := &Main{Config: cfg, Logger: apptest.QuietLogger(), Now: clock.Now}
	m.Geography, m.Gazetteer = apptest.Geography(t)
	defer m.Close()
	if err := m.OpenStore(ctx); err != nil {
		t.Fatal(err)
	}

	// People.
	users := map[string]*directory.User{}
	for _, name := range []string{"ana", "bob", "zoe", "remi", "gil", "pia", "paul", "pat"} {
		u := &directory.User{Email: name + "@exemple.fr", Name: strings.ToUpper(name[:1]) + name[1:], EmailVerifiedAt: &start}
		if name == "zoe" {
			u.RemindersOff = directory.Reminders
		}
		if err := m.Store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		users[name] = u
	}
	// A structure of Poitiers with its members and a join request made on
	// Monday at 10:00; another waiting for verification.
	st := []*directory.Structure{
		{ID: "maison", Source: "repere", Name: "Maison de l’emploi", CodeInsee: "86194", CommuneName: "Poitiers"},
		{ID: "tremplin", Source: "repere", Name: "Association Tremplin", CodeInsee: "86194", CommuneName: "Poitiers"},
	}
	if err := m.Store.InsertStructures(ctx, st); err != nil {
		t.Fatal(err)
	}
	member := func(n string, r directory.Role) directory.Member {
		return directory.Member{UserID: users[n].ID, Email: users[n].Email, Name: users[n].Name, Role: r}
	}
	for _, sa := range []*directory.StructureAccount{
		{ID: "maison", Departement: "86", Moderation: directory.ModerationValidated,
			Members:      []directory.Member{member("ana", directory.RoleAdmin), member("bob", directory.RoleMember), member("zoe", directory.RoleMember)},
			JoinRequests: []directory.JoinRequest{{UserID: users["remi"].ID, Email: users["remi"].Email, Name: "Remi", At: apptest.Paris("2027-01-04 10:00")}},
			CreatedAt:    start.AddDate(0, -6, 0)},
		{ID: "tremplin", Departement: "86", Moderation: directory.ModerationPending, CreatedAt: apptest.Paris("2027-01-02 15:00")},
	} {
		if err := m.Store.CreateStructureAccount(ctx, sa); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Store.AddToList(ctx, "moderation:86", "tremplin"); err != nil { // as account does when creating it
		t.Fatal(err)
	}
	// The structure's services: long stale, stale from 10 January, a
	// draft left, and the news to come, not yet published.
	svc := func(id, name, thematique string, status directory.Status, updated time.Time) *directory.Service {
		lat, lon := 46.58, 0.34
		return &directory.Service{ID: id, StructureID: "maison", Source: "repere", Name: name, Description: "Un service.",
			Thematiques: []string{thematique}, ReceptionModes: []string{"en-presentiel"}, Address: "3 rue Carnot", CodeInsee: "86194",
			CommuneName: "Poitiers", PostalCode: "86000", Latitude: &lat, Longitude: &lon, UpdateFrequency: directory.FrequencyMonthly,
			EligibilityZone: []directory.Zone{{Kind: directory.ZoneDepartement, Code: "86"}}, Status: status,
			CreatedAt: updated, UpdatedAt: updated, PublishedAt: &updated, Provenance: directory.Provenance{Kind: "saisie"}}
	}
	mobilite := directory.Besoins("mobilite")[0]
	logement := directory.Besoins("logement-hebergement")[0]
	if err := m.Store.InsertServices(ctx, []*directory.Service{
		svc("perime", "Atelier code de la route", mobilite, directory.StatusPublished, start.AddDate(0, 0, -60)),
		svc("bientot-perime", "Permanence emploi", logement, directory.StatusPublished, start.AddDate(0, 0, -25)),
		svc("brouillon", "Garde d’enfants", logement, directory.StatusDraft, start.AddDate(0, 0, -10)),
	}); err != nil {
		t.Fatal(err)
	}
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	platform := &account.Actor{User: &directory.User{ID: "root", PlatformAdmin: true}}
	if _, err := m.Accounts.AppointModerator(ctx, platform, users["gil"].Email, []string{"86"}); err != nil {
		t.Fatal(err)
	}

	// Alerts on mobility in Poitiers: three accounts at three frequencies,
	// and two by e-mail only, one never confirmed.
	search := url.Values{"code_commune": {"86194"}, "thematiques": {"mobilite"}}
	for name, f := range map[string]directory.AlertFrequency{"pia": directory.AlertDaily, "paul": directory.AlertWeekly, "pat": directory.AlertMonthly} {
		al, err := m.Alerts.Create(ctx, &account.Actor{User: users[name]}, alert.Draft{Email: users[name].Email, Query: search, Title: "Mobilité à Poitiers", Frequency: f})
		if err != nil || !al.Confirmed() {
			t.Fatalf("alert of %s: %+v, %v", name, al, err)
		}
	}
	for _, email := range []string{"pen@exemple.fr", "pol@exemple.fr"} {
		if _, err := m.Alerts.Create(ctx, nil, alert.Draft{Email: email, Query: search, Title: "Mobilité à Poitiers", Frequency: directory.AlertDaily}); err != nil {
			t.Fatal(err)
		}
	}
	confirm, ok := m.Mailbox.Last("pol@exemple.fr")
	if !ok {
		t.Fatal("no confirmation mail to pol")
	}
	link, _ := url.Parse(lineWith(t, confirm.Text, alert.ConfirmPath))
	if _, err := m.Alerts.Confirm(ctx, link.Query().Get("alerte"), link.Query().Get("jeton")); err != nil {
		t.Fatal(err)
	}

	publish := func(s *directory.Service) {
		at := clock.Now().UTC()
		s.AnnouncedAt, s.PublishedAt, s.UpdatedAt, s.CreatedAt = &at, &at, at, at
		if err := m.Store.CreateService(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := m.Catalog.Reindex(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
	}
	change := func(id string) {
		s, err := m.Store.Service(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		at := clock.Now().UTC()
		s.Phone, s.AnnouncedAt, s.UpdatedAt = "+33549000099", &at, at
		if err := m.Store.UpdateService(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := m.Catalog.Reindex(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	events := map[time.Time]func(){
		apptest.Paris("2027-01-06 10:00"): func() {
			publish(svc("velo", "Vélo-école solidaire", mobilite, directory.StatusPublished, time.Time{}))
			publish(svc("toit", "Un toit d’abord", logement, directory.StatusPublished, time.Time{}))
		},
		apptest.Paris("2027-01-12 10:00"): func() { // pol unsubscribes in one click
			last, _ := m.Mailbox.Last("pol@exemple.fr")
			parts := strings.Split(strings.TrimPrefix(last.Unsubscribe, cfg.BaseURL+alert.UnsubscribePath+"/"), "/")
			if err := m.Alerts.Unsubscribe(ctx, parts[0], parts[1]); err != nil {
				t.Fatal(err)
			}
		},
		apptest.Paris("2027-01-13 10:00"): func() {
			publish(svc("covoit", "Covoiturage solidaire", mobilite, directory.StatusPublished, time.Time{}))
		},
		apptest.Paris("2027-01-15 10:00"): func() {
			gil, err := m.Store.User(ctx, users["gil"].ID) // a moderator now
			if err != nil {
				t.Fatal(err)
			}
			if err := m.Accounts.ReviewStructure(ctx, &account.Actor{User: gil}, "tremplin", account.ReviewForm{Decision: directory.ModerationValidated}); err != nil {
				t.Fatal(err)
			}
		},
		apptest.Paris("2027-01-24 10:00"): func() { change("velo") },
	}
	got := map[string][]string{}      // by recipient: "day subject", in the order received
	seen := len(m.Mailbox.Messages()) // the setup's mails are left out
	for now := start; !now.After(apptest.Paris("2027-02-01 12:00")); now = now.Add(time.Hour) {
		clock.Set(now)
		if ev := events[now]; ev != nil {
			ev()
		}
		m.Scheduler.Tick(ctx)
		all := m.Mailbox.Messages() // newest first
		for i := len(all) - seen - 1; i >= 0; i-- {
			s := all[i]
			got[s.To] = append(got[s.To], now.Format("01-02")+" "+s.Subject)
			checkMail(t, s, cfg.BaseURL)
		}
		seen = len(all)
	}
	all := m.Mailbox.Messages()
	want := map[string][]string{
		"pia@exemple.fr":  {"01-07 1 nouveauté pour votre alerte « Mobilité à Poitiers »", "01-14 1 nouveauté…", "01-25 1 nouveauté…"},
		"pol@exemple.fr":  {"01-07 1 nouveauté…"},
		"paul@exemple.fr": {"01-11 1 nouveauté…", "01-18 1 nouveauté…", "01-25 1 nouveauté…"},
		"pat@exemple.fr":  {"02-01 2 nouveautés…"},
		// The monthly reminder also runs on the first day, for the 1st of
		// January it has not seen.
		"ana@exemple.fr": {"01-04 1 service à confirmer sur Repère", "01-05 Rappel : Remi attend…", "01-07 Rappel : Remi attend…",
			"01-11 Rappel : Remi attend…", "02-01 2 services à confirmer sur Repère"},
		"bob@exemple.fr": {"01-04 1 service à confirmer sur Repère", "02-01 2 services à confirmer sur Repère"},
		"gil@exemple.fr": {"01-04 Votre territoire sur Repère…", "01-11 Votre territoire sur Repère…"},
	}
	for to, w := range want {
		if !sameMails(got[to], w) {
			t.Errorf("%s received:\n  %s\nwant:\n  %s", to, strings.Join(got[to], "\n  "), strings.Join(w, "\n  "))
		}
	}
	for to := range got {
		if want[to] == nil {
			t.Errorf("%s received %v, want nothing", to, got[to])
		}
	}
	// What the mails say.
	text := func(to, subject string) string {
		for _, s := range all {
			if s.To == to && strings.HasPrefix(s.Subject, subject) {
				return s.Text
			}
		}
		return ""
	}
	if tx := text("pat@exemple.fr", "2 nouveautés"); !strings.Contains(tx, "Vélo-école solidaire") || !strings.Contains(tx, "Covoiturage solidaire") || strings.Contains(tx, "Un toit d’abord") {
		t.Errorf("monthly alert:\n%s", tx)
	}
	if tx := text("gil@exemple.fr", "Votre territoire"); !strings.Contains(tx, "Association Tremplin") {
		t.Errorf("digest:\n%s", tx)
	}
	if tx := text("bob@exemple.fr", "2 services"); !strings.Contains(tx, "Atelier code de la route") || !strings.Contains(tx, "Permanence emploi") || !strings.Contains(tx, "Garde d’enfants (brouillon)") {
		t.Errorf("freshness reminder:\n%s", tx)
	}
	// The alert never confirmed is gone after 7 days; the outbox sent all.
	if list, _ := m.Alerts.ForEmail(ctx, "pen@exemple.fr"); len(list) != 0 {
		t.Errorf("unconfirmed alert kept: %+v", list)
	}
	for _, state := range []string{store.OutboxPending, store.OutboxSending, store.OutboxFailed} {
		if ids, _ := m.Store.OutboxIDs(ctx, state); len(ids) != 0 {
			t.Errorf("%d mails %s", len(ids), state)
		}
	}
}

// lineWith returns the first line of text that holds s.
func lineWith(t *testing.T, text, s string) string {
	t.Helper()
	for _, l := range strings.Split(text, "\n") {
		if i := strings.Index(l, "https://"); i >= 0 && strings.Contains(l, s) {
			return strings.TrimSpace(l[i:])
		}
	}
	t.Fatalf("no line with %q in:\n%s", s, text)
	return ""
}

// sameMails compares "day subject" lists, a want ending in "…" matching
// any subject with that start.
func sameMails(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		w, prefix := strings.CutSuffix(want[i], "…")
		if got[i] != w && !(prefix && strings.HasPrefix(got[i], w)) {
			return false
		}
	}
	return true
}

// checkMail checks what every periodic mail must have: both versions,
// absolute links to the site, a one-click unsubscribe.
func checkMail(t *testing.T, s mail.Sent, base string) {
	t.Helper()
	if s.HTML == "" || !strings.Contains(s.Text, base+"/") || !strings.Contains(s.HTML, `href="`+base+"/") {
		t.Errorf("mail %q to %s: text or HTML missing, or no absolute link", s.Subject, s.To)
	}
	if !strings.HasPrefix(s.Unsubscribe, base+"/") {
		t.Errorf("mail %q to %s: unsubscribe %q", s.Subject, s.To, s.Unsubscribe)
	}
}
