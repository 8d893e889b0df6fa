package alert_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/alert"
	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/mail"
	"github.com/repere-spie/repere/internal/outbox"
	"github.com/repere-spie/repere/internal/store"
)

type env struct {
	t      *testing.T
	store  *store.Store
	index  *indexer.Index
	box    *mail.Mailbox
	outbox *outbox.Outbox
	alerts *alert.Alerts
	clock  *apptest.Clock
}

func newEnv(t *testing.T, now string) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: t.TempDir(), Logger: apptest.QuietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(context.Background()) })
	_, gaz := apptest.Geography(t)
	ix, err := indexer.Open(t.TempDir(), gaz)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	c := apptest.NewClock(apptest.Paris(now))
	box := mail.NewMailbox(1000, apptest.QuietLogger())
	ob := outbox.New(st, box, apptest.QuietLogger(), c.Now)
	secret := []byte("une clé de test de trente-deux octets au moins")
	acc, err := account.New(account.Config{Store: st, Mail: box, BaseURL: "https://repere.exemple.fr", Secret: secret, Log: apptest.QuietLogger(), Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	al := alert.New(alert.Config{Store: st, Outbox: ob, Mail: box, Index: ix, Places: gaz, BaseURL: "https://repere.exemple.fr",
		Secret: secret, Log: apptest.QuietLogger(), Now: c.Now, Allow: acc.AllowMail})
	return &env{t: t, store: st, index: ix, box: box, outbox: ob, alerts: al, clock: c}
}

// announce puts a service of Poitiers in the index, announced at at
// (first published at published).
func (e *env) announce(id, name, thematique string, published, at time.Time) {
	e.t.Helper()
	lat, lon := 46.58, 0.34
	svc := &directory.Service{ID: id, StructureID: "s", Source: "test", Name: name, Description: "Un service.", Thematiques: []string{thematique},
		ReceptionModes: []string{"en-presentiel"}, Address: "3 rue Carnot", CodeInsee: "86194", CommuneName: "Poitiers", PostalCode: "86000",
		Latitude: &lat, Longitude: &lon, EligibilityZone: []directory.Zone{{Kind: directory.ZoneDepartement, Code: "86"}},
		Status: directory.StatusPublished, CreatedAt: published, UpdatedAt: at, PublishedAt: &published, AnnouncedAt: &at, Version: 1}
	if err := e.index.Put(svc, &directory.Structure{ID: "s", Name: "Maison de l’emploi"}); err != nil {
		e.t.Fatal(err)
	}
}

// run runs the alerts job at slot, sends the outbox and returns what was
// delivered, by recipient.
func (e *env) run(slot time.Time) map[string][]mail.Sent {
	e.t.Helper()
	ctx := context.Background()
	before := len(e.box.Messages())
	e.clock.Set(slot)
	if err := e.alerts.Run(ctx, slot); err != nil {
		e.t.Fatal(err)
	}
	if err := e.outbox.Send(ctx, slot); err != nil {
		e.t.Fatal(err)
	}
	all := e.box.Messages()
	out := map[string][]mail.Sent{}
	for _, m := range all[:len(all)-before] {
		out[m.To] = append(out[m.To], m)
	}
	return out
}

var mobility = url.Values{"code_commune": {"86194"}, "thematiques": {"mobilite"}}

// Without an account, an alert waits for the confirmation of its address;
// the link of the mail confirms it, and only it.
func TestDoubleOptIn(t *testing.T) {
	e := newEnv(t, "2027-01-04 10:00")
	ctx := context.Background()
	al, err := e.alerts.Create(ctx, nil, alert.Draft{Email: " Camille@Exemple.FR ", Query: url.Values{"code_postal": {"86000"}, "thematiques": {"mobilite"}},
		Title: "Mobilité à Poitiers", Frequency: directory.AlertWeekly})
	if err != nil {
		t.Fatal(err)
	}
	if al.Confirmed() || al.Email != "camille@exemple.fr" || al.Query != "code_commune=86194&thematiques=mobilite" {
		t.Fatalf("alert %+v", al)
	}
	m, ok := e.box.Last("camille@exemple.fr")
	if !ok || !strings.Contains(m.Text, "Confirmer mon alerte : https://repere.exemple.fr"+alert.ConfirmPath+"?alerte="+al.ID) {
		t.Fatalf("confirmation mail: %+v", m)
	}
	link, _ := url.Parse(m.Text[strings.Index(m.Text, "https://repere.exemple.fr"+alert.ConfirmPath):][:strings.Index(m.Text[strings.Index(m.Text, "https://repere.exemple.fr"+alert.ConfirmPath):], "\n")])
	tok := link.Query().Get("jeton")

	// The same search again: no second alert, a new frequency.
	again, err := e.alerts.Create(ctx, nil, alert.Draft{Email: "camille@exemple.fr", Query: mobility, Title: "Mobilité à Poitiers", Frequency: directory.AlertDaily})
	if err != nil || again.ID != al.ID || again.Frequency != directory.AlertDaily {
		t.Fatalf("same search saved again: %+v, %v", again, err)
	}
	other, err := e.alerts.Create(ctx, nil, alert.Draft{Email: "camille@exemple.fr", Query: url.Values{"q": {"vélo"}}, Title: "Vélo", Frequency: directory.AlertDaily})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct{ id, tok string }{{al.ID, tok[:len(tok)-1]}, {other.ID, tok}, {al.ID, ""}} {
		if _, err := e.alerts.Confirm(ctx, bad.id, bad.tok); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("confirm %s with %q: %v", bad.id, bad.tok, err)
		}
	}
	confirmed, err := e.alerts.Confirm(ctx, al.ID, tok)
	if err != nil || !confirmed.Confirmed() || !confirmed.Since.Equal(e.clock.Now().Truncate(time.Millisecond)) {
		t.Fatalf("confirmed: %+v, %v", confirmed, err)
	}
	e.clock.Set(e.clock.Now().Add(alert.ConfirmTTL))
	if _, err := e.alerts.Confirm(ctx, other.ID, tok); err == nil {
		t.Error("expired or foreign link accepted")
	}
	if n, err := e.alerts.PruneUnconfirmed(ctx, e.clock.Now().Add(time.Minute)); err != nil || n != 1 {
		t.Errorf("pruned %d, %v; want the unconfirmed one", n, err)
	}

	// Signed in with the same verified address: confirmed at once.
	now := e.clock.Now()
	u := &directory.User{ID: "u1", Email: "dominique@exemple.fr", Name: "Dominique", EmailVerifiedAt: &now}
	mine, err := e.alerts.Create(ctx, &account.Actor{User: u}, alert.Draft{Email: u.Email, Query: mobility, Title: "Mobilité", Frequency: directory.AlertMonthly})
	if err != nil || !mine.Confirmed() || mine.UserID != "u1" {
		t.Fatalf("signed-in alert: %+v, %v", mine, err)
	}
	if _, ok := e.box.Last(u.Email); ok {
		t.Error("a confirmation mail to a signed-in user's own address")
	}
	for _, d := range []alert.Draft{
		{Email: "pas une adresse", Query: mobility, Title: "x", Frequency: directory.AlertDaily},
		{Email: "a@exemple.fr", Query: mobility, Title: "x", Frequency: "horaire"},
		{Email: "a@exemple.fr", Query: url.Values{"code_commune": {"99999"}}, Title: "x", Frequency: directory.AlertDaily},
	} {
		if _, err := e.alerts.Create(ctx, nil, d); directory.ErrorCode(err) != directory.EINVALID {
			t.Errorf("%+v: %v, want EINVALID", d, err)
		}
	}
}

// Each frequency mails the news of its window, once: grouped by
// thématique, new or changed, the rest left to a link; nothing new, no
// mail; a day the job did not run is caught up by the next.
func TestWindows(t *testing.T) {
	e := newEnv(t, "2027-01-04 00:00") // a Monday
	ctx := context.Background()
	ids := map[directory.AlertFrequency]string{}
	for _, f := range directory.AlertFrequencies {
		now := e.clock.Now()
		u := &directory.User{ID: string(f), Email: string(f) + "@exemple.fr", EmailVerifiedAt: &now}
		al, err := e.alerts.Create(ctx, &account.Actor{User: u}, alert.Draft{Email: u.Email, Query: url.Values{"code_commune": {"86194"}},
			Title: "Poitiers", Frequency: f})
		if err != nil {
			t.Fatal(err)
		}
		ids[f] = al.ID
	}
	old := apptest.Paris("2026-06-01 10:00")
	e.announce("avant", "Service déjà connu", directory.Besoins("logement-hebergement")[0], old, apptest.Paris("2027-01-03 10:00")) // before the alerts
	if got := e.run(apptest.Paris("2027-01-04 07:00")); len(got) != 0 {
		t.Fatalf("first run delivered %v", got)
	}
	e.announce("velo", "Vélo-école", directory.Besoins("mobilite")[0], apptest.Paris("2027-01-05 10:00"), apptest.Paris("2027-01-05 10:00"))
	e.announce("toit", "Un toit", directory.Besoins("logement-hebergement")[0], old, apptest.Paris("2027-01-05 11:00")) // changed significantly
	got := e.run(apptest.Paris("2027-01-06 07:00"))                                                                     // the 5th's run did not happen
	daily := got["quotidienne@exemple.fr"]
	if len(got) != 1 || len(daily) != 1 {
		t.Fatalf("delivered %v, want the daily alert only", got)
	}
	text := daily[0].Text
	for _, want := range []string{"2 nouveautés pour votre alerte « Poitiers »", "Logement", "- Un toit (modifié)", "Mobilité", "- Vélo-école (nouveau)",
		"https://repere.exemple.fr/services/velo", "Se désabonner : https://repere.exemple.fr/alertes/desabonnement/" + ids[directory.AlertDaily] + "/"} {
		if !strings.Contains(daily[0].Subject+"\n"+text, want) {
			t.Errorf("daily mail lacks %q:\n%s", want, text)
		}
	}
	if strings.Index(text, "Logement") > strings.Index(text, "Mobilité") {
		t.Error("sections not in the order of the thématiques")
	}
	// Again the same day: nothing more.
	if err := e.alerts.Run(ctx, apptest.Paris("2027-01-06 07:00")); err != nil {
		t.Fatal(err)
	}
	if got := e.run(apptest.Paris("2027-01-07 07:00")); len(got) != 0 {
		t.Fatalf("a day without news delivered %v", got)
	}
	// Many news: the mail lists MaxListed, links to the rest.
	for i := range alert.MaxListed + 5 {
		e.announce(fmt.Sprintf("n%02d", i), fmt.Sprintf("Nouveauté %02d", i), directory.Besoins("mobilite")[0], apptest.Paris("2027-01-08 09:00"), apptest.Paris("2027-01-08 09:00"))
	}
	got = e.run(apptest.Paris("2027-01-11 07:00")) // Monday: the weekly one too
	if len(got["quotidienne@exemple.fr"]) != 1 || len(got["hebdomadaire@exemple.fr"]) != 1 || len(got["mensuelle@exemple.fr"]) != 0 {
		t.Fatalf("delivered %v", got)
	}
	weekly := got["hebdomadaire@exemple.fr"][0].Subject + "\n" + got["hebdomadaire@exemple.fr"][0].Text
	if !strings.HasPrefix(weekly, fmt.Sprintf("%d nouveautés", alert.MaxListed+7)) || !strings.Contains(weekly, "Et 7 autres : voir la recherche, triée par date : https://repere.exemple.fr/recherche?code_commune=86194&sort=date") ||
		strings.Count(weekly, "\n- ") != alert.MaxListed {
		t.Errorf("weekly mail:\n%s", weekly)
	}
	got = e.run(apptest.Paris("2027-02-01 07:00"))
	if monthly := got["mensuelle@exemple.fr"]; len(monthly) != 1 || !strings.HasPrefix(monthly[0].Subject, fmt.Sprintf("%d nouveautés", alert.MaxListed+7)) {
		t.Errorf("monthly: %v", got)
	}

	// The one-click unsubscribe deletes the alert; a forged one does not.
	unsub := strings.TrimPrefix(daily[0].Unsubscribe, "https://repere.exemple.fr"+alert.UnsubscribePath+"/")
	id, sig, _ := strings.Cut(unsub, "/")
	if err := e.alerts.Unsubscribe(ctx, ids[directory.AlertWeekly], sig); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Errorf("another alert's signature: %v", err)
	}
	if err := e.alerts.Unsubscribe(ctx, id, sig); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Alert(ctx, id); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Errorf("unsubscribed alert still there: %v", err)
	}
	if _, err := e.store.Alert(ctx, ids[directory.AlertWeekly]); err != nil {
		t.Errorf("the weekly alert went too: %v", err)
	}
}

// Confirmation mails go to addresses nobody proved are theirs: a few per
// address and per connection each hour, then the form says to wait.
func TestConfirmationLimit(t *testing.T) {
	e := newEnv(t, "2027-01-04 10:00")
	ctx := context.Background()
	create := func(email, word, ip string) error {
		_, err := e.alerts.Create(ctx, nil, alert.Draft{Email: email, Query: url.Values{"q": {word}}, Title: word,
			Frequency: directory.AlertDaily, Client: account.Client{IP: ip}})
		return err
	}
	var refused int
	for i := range 8 { // the same address, from several connections
		if err := create("cible@exemple.fr", fmt.Sprintf("mot%d", i), fmt.Sprintf("192.0.2.%d", i)); directory.ErrorCode(err) == directory.EFORBIDDEN {
			refused++
		} else if err != nil {
			t.Fatal(err)
		}
	}
	mails := 0
	for _, m := range e.box.Messages() {
		if m.To == "cible@exemple.fr" {
			mails++
		}
	}
	if mails != 5 || refused != 3 {
		t.Errorf("%d confirmation mails to one address, %d refused; want 5 and 3", mails, refused)
	}
	refused = 0
	for i := range 25 { // many addresses, from one connection
		if err := create(fmt.Sprintf("a%d@exemple.fr", i), "vélo", "198.51.100.7"); directory.ErrorCode(err) == directory.EFORBIDDEN {
			refused++
		}
	}
	if refused != 5 {
		t.Errorf("%d refused from one connection, want 5", refused)
	}
	e.clock.Set(e.clock.Now().Add(time.Hour + time.Minute))
	if err := create("cible@exemple.fr", "encore", "192.0.2.1"); err != nil {
		t.Errorf("an hour later: %v", err)
	}
}

// TestSearchPath: a saved search without a place was of all of France, and
// its link says so; the results page would otherwise ask for a place.
func TestSearchPath(t *testing.T) {
	for query, want := range map[string]string{
		"q=v%C3%A9lo":                        "/recherche?q=v%C3%A9lo&partout=1",
		"":                                   "/recherche?partout=1",
		"code_commune=86194&q=v%C3%A9lo":     "/recherche?code_commune=86194&q=v%C3%A9lo",
		"lat=46.58&lon=0.34&thematiques=mob": "/recherche?lat=46.58&lon=0.34&thematiques=mob",
	} {
		if got := alert.SearchPath(query); got != want {
			t.Errorf("SearchPath(%q) = %q, want %q", query, got, want)
		}
	}
}
