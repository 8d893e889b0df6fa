package remind_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/mail"
	"github.com/repere-spie/repere/internal/outbox"
	"github.com/repere-spie/repere/internal/remind"
	"github.com/repere-spie/repere/internal/store"
)

// env is a store with accounts, an outbox that delivers to a mailbox, and
// the reminders, on a clock the test sets.
type env struct {
	t        *testing.T
	store    *store.Store
	accounts *account.Accounts
	box      *mail.Mailbox
	outbox   *outbox.Outbox
	rem      *remind.Reminders
	clock    *apptest.Clock
}

func newEnv(t *testing.T, now string) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: t.TempDir(), Logger: apptest.QuietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(context.Background()) })
	c := apptest.NewClock(apptest.Paris(now))
	box := mail.NewMailbox(1000, apptest.QuietLogger())
	secret := []byte("une clé de test de trente-deux octets au moins")
	acc, err := account.New(account.Config{Store: st, Mail: box, BaseURL: "https://repere.exemple.fr", Secret: secret, Log: apptest.QuietLogger(), Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	ob := outbox.New(st, box, apptest.QuietLogger(), c.Now)
	rem := remind.New(remind.Config{Store: st, Accounts: acc, Outbox: ob, BaseURL: "https://repere.exemple.fr", Secret: secret, Log: apptest.QuietLogger(), Now: c.Now})
	return &env{t: t, store: st, accounts: acc, box: box, outbox: ob, rem: rem, clock: c}
}

func (e *env) user(name string, off ...directory.Reminder) *directory.User {
	e.t.Helper()
	u := &directory.User{Email: strings.ToLower(name) + "@exemple.fr", Name: name, RemindersOff: off}
	if err := e.store.CreateUser(context.Background(), u); err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *env) structure(id, name, insee string, sa directory.StructureAccount) {
	e.t.Helper()
	ctx := context.Background()
	if err := e.store.InsertStructures(ctx, []*directory.Structure{{ID: id, Source: "test", Name: name, CodeInsee: insee}}); err != nil {
		e.t.Fatal(err)
	}
	sa.ID, sa.CreatedAt = id, e.clock.Now().AddDate(0, 0, -2)
	if sa.Moderation == "" {
		sa.Moderation = directory.ModerationValidated
	}
	if err := e.store.CreateStructureAccount(ctx, &sa); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) service(id, structure, name string, status directory.Status, updated time.Time, insee string) {
	e.t.Helper()
	svc := &directory.Service{ID: id, StructureID: structure, Source: "test", Name: name, Status: status, UpdatedAt: updated, CreatedAt: updated,
		UpdateFrequency: directory.FrequencyMonthly, CodeInsee: insee}
	if err := e.store.InsertServices(context.Background(), []*directory.Service{svc}); err != nil {
		e.t.Fatal(err)
	}
}

// deliver sends what the outbox holds and returns the mails delivered
// since the last call, by recipient.
func (e *env) deliver(seen *int) map[string][]mail.Sent {
	e.t.Helper()
	if err := e.outbox.Send(context.Background(), e.clock.Now()); err != nil {
		e.t.Fatal(err)
	}
	all := e.box.Messages() // newest first
	out := map[string][]mail.Sent{}
	for _, m := range all[:len(all)-*seen] {
		out[m.To] = append(out[m.To], m)
	}
	*seen = len(all)
	return out
}

var linkRe = regexp.MustCompile(`https://repere\.exemple\.fr/rappels/a-jour\?[^\s]+`)

// The monthly reminder goes once to each member who wants it, with the
// stale services (a signed "toujours à jour" link each) and the drafts left
// more than a week, the antennes' included for their parent's administrators.
func TestFreshness(t *testing.T) {
	e := newEnv(t, "2026-12-01 08:00")
	ctx := context.Background()
	ana, bea := e.user("Ana"), e.user("Bea", directory.ReminderFreshness)
	e.structure("s", "Maison de l’emploi", "86194", directory.StructureAccount{Departement: "86",
		Members: []directory.Member{{UserID: ana.ID, Role: directory.RoleAdmin}, {UserID: bea.ID, Role: directory.RoleMember}}})
	e.structure("antenne", "Antenne de Châtellerault", "86066", directory.StructureAccount{Departement: "86", ParentID: "s"})
	now := e.clock.Now()
	e.service("perime", "s", "Atelier CV", directory.StatusPublished, now.AddDate(0, 0, -40), "86194")
	e.service("frais", "s", "Permanence emploi", directory.StatusPublished, now.AddDate(0, 0, -2), "86194")
	e.service("vieux-brouillon", "s", "Garde d’enfants", directory.StatusDraft, now.AddDate(0, 0, -10), "86194")
	e.service("brouillon", "s", "Transport solidaire", directory.StatusDraft, now.AddDate(0, 0, -2), "86194")
	e.service("perime-antenne", "antenne", "Point numérique", directory.StatusPublished, now.AddDate(0, 0, -60), "86066")

	seen := 0
	for range 2 { // a second run queues nothing more
		if err := e.rem.Freshness(ctx, now); err != nil {
			t.Fatal(err)
		}
	}
	got := e.deliver(&seen)
	if len(got) != 1 || len(got[ana.Email]) != 1 {
		t.Fatalf("delivered %v, want one mail to Ana (Bea switched it off)", got)
	}
	m := got[ana.Email][0]
	if m.Subject != "2 services à confirmer sur Repère" {
		t.Errorf("subject %q", m.Subject)
	}
	for _, want := range []string{"Maison de l’emploi", "- Atelier CV (à actualiser)", "- Garde d’enfants (brouillon)", "Antenne de Châtellerault", "- Point numérique (à actualiser)"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("mail lacks %q:\n%s", want, m.Text)
		}
	}
	for _, not := range []string{"Permanence emploi", "Transport solidaire"} {
		if strings.Contains(m.Text, not) {
			t.Errorf("mail names %q", not)
		}
	}
	if m.Unsubscribe == "" || !strings.Contains(m.HTML, "Toujours à jour") {
		t.Errorf("no unsubscribe or no button: %q", m.Unsubscribe)
	}
	links := linkRe.FindAllString(m.Text, -1)
	if len(links) != 2 {
		t.Fatalf("%d « toujours à jour » links, want 2", len(links))
	}
	u, _ := url.Parse(links[0])
	q := u.Query()
	if err := e.rem.CheckFresh(q.Get("service"), q.Get("compte"), q.Get("jeton")); err != nil || q.Get("compte") != ana.ID {
		t.Errorf("link %s: %v", links[0], err)
	}
	if err := e.rem.CheckFresh(q.Get("service"), bea.ID, q.Get("jeton")); err == nil {
		t.Error("Ana's link works for Bea")
	}
	e.clock.Set(now.Add(remind.FreshTTL))
	if err := e.rem.CheckFresh(q.Get("service"), q.Get("compte"), q.Get("jeton")); err == nil {
		t.Error("expired link accepted")
	}

	// The one-click unsubscribe switches this kind off for Ana.
	parts := strings.Split(strings.TrimPrefix(m.Unsubscribe, "https://repere.exemple.fr"+remind.StopPath+"/"), "/")
	if err := e.rem.Stop(ctx, parts[0], directory.Reminder(parts[1]), parts[2]+"x"); err == nil {
		t.Error("forged unsubscribe accepted")
	}
	if err := e.rem.Stop(ctx, parts[0], directory.Reminder(parts[1]), parts[2]); err != nil {
		t.Fatal(err)
	}
	if u, _ := e.store.User(ctx, ana.ID); u.Wants(directory.ReminderFreshness) || !u.Wants(directory.ReminderRequests) {
		t.Errorf("after unsubscribing: %v", u.RemindersOff)
	}
	e.clock.Set(apptest.Paris("2027-01-01 08:00"))
	if err := e.rem.Freshness(ctx, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if got := e.deliver(&seen); len(got) != 0 {
		t.Errorf("after unsubscribing, delivered %v", got)
	}
}

// Administrators hear of a join request on days 1, 3 and 7, once each.
func TestJoinRequestReminders(t *testing.T) {
	e := newEnv(t, "2026-11-30 10:00")
	ctx := context.Background()
	ana, bea, cyd := e.user("Ana"), e.user("Bea", directory.ReminderRequests), e.user("Cyd")
	e.structure("s", "Maison de l’emploi", "86194", directory.StructureAccount{Departement: "86",
		Members:      []directory.Member{{UserID: ana.ID, Role: directory.RoleAdmin}, {UserID: bea.ID, Role: directory.RoleAdmin}},
		JoinRequests: []directory.JoinRequest{{UserID: cyd.ID, Email: cyd.Email, Name: "Cyd", Message: "Je suis conseillère ici.", At: e.clock.Now()}}})
	seen := 0
	days := map[string]bool{}
	for d := apptest.Paris("2026-11-30 09:00"); d.Before(apptest.Paris("2026-12-12 00:00")); d = d.AddDate(0, 0, 1) {
		e.clock.Set(d.Add(time.Minute))
		if err := e.rem.JoinRequests(ctx, d); err != nil {
			t.Fatal(err)
		}
		got := e.deliver(&seen)
		if len(got[bea.Email]) > 0 {
			t.Errorf("%s: Bea switched these off", d)
		}
		for _, m := range got[ana.Email] {
			days[d.Format("2006-01-02")] = true
			if !strings.Contains(m.Subject, "Cyd attend votre réponse pour rejoindre Maison de l’emploi") || !strings.Contains(m.Text, "Je suis conseillère ici.") ||
				!strings.Contains(m.Text, "https://repere.exemple.fr/espace/structures/s/membres") {
				t.Errorf("mail:\n%s\n%s", m.Subject, m.Text)
			}
		}
	}
	want := map[string]bool{"2026-12-01": true, "2026-12-03": true, "2026-12-07": true}
	if len(days) != len(want) || !days["2026-12-01"] || !days["2026-12-03"] || !days["2026-12-07"] {
		t.Errorf("reminded on %v, want %v", days, want)
	}
}

// Moderators get a weekly digest of their départements: structures to
// verify, services gone stale that week; nothing to tell, no mail.
func TestModerationDigest(t *testing.T) {
	e := newEnv(t, "2026-12-07 08:00")
	ctx := context.Background()
	platform := &account.Actor{User: &directory.User{ID: "root", PlatformAdmin: true}}
	vienne, deuxSevres := e.user("Vienne"), e.user("Deuxsevres")
	for u, dep := range map[*directory.User]string{vienne: "86", deuxSevres: "79"} {
		if _, err := e.accounts.AppointModerator(ctx, platform, u.Email, []string{dep}); err != nil {
			t.Fatal(err)
		}
	}
	e.structure("nouvelle", "Association Tremplin", "86194", directory.StructureAccount{Departement: "86", Moderation: directory.ModerationPending})
	if err := e.store.AddToList(ctx, "moderation:86", "nouvelle"); err != nil { // what account does when a structure is created
		t.Fatal(err)
	}
	e.structure("s", "Maison de l’emploi", "86194", directory.StructureAccount{Departement: "86"})
	now := e.clock.Now()
	e.service("devenu-perime", "s", "Atelier CV", directory.StatusPublished, now.AddDate(0, 0, -34), "86194")    // stale since 3 days
	e.service("perime-avant", "s", "Vieux service", directory.StatusPublished, now.AddDate(0, 0, -60), "86194")  // stale for weeks
	e.service("ailleurs", "s", "Service tourangeau", directory.StatusPublished, now.AddDate(0, 0, -34), "37261") // another département
	e.service("brouillon", "s", "Brouillon ancien", directory.StatusDraft, now.AddDate(0, 0, -34), "86194")      // not published
	seen := 0
	box := map[string][]mail.Sent{}
	for range 2 {
		if err := e.rem.ModerationDigest(ctx, now); err != nil {
			t.Fatal(err)
		}
		for k, v := range e.deliver(&seen) {
			box[k] = append(box[k], v...)
		}
	}
	for k := range box {
		for _, m := range box[k] {
			if k != vienne.Email && strings.HasPrefix(m.Subject, "Votre territoire sur Repère") {
				t.Errorf("%s got a digest with nothing to tell:\n%s", k, m.Text)
			}
		}
	}
	var digests []mail.Sent
	for _, m := range box[vienne.Email] {
		if strings.HasPrefix(m.Subject, "Votre territoire sur Repère") {
			digests = append(digests, m)
		}
	}
	if len(digests) != 1 {
		t.Fatalf("%d digests for the Vienne, want 1", len(digests))
	}
	text := digests[0].Text
	for _, want := range []string{"Structures à vérifier", "- Association Tremplin (nouvelle)", "Services devenus à actualiser cette semaine", "- Atelier CV"} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
	for _, not := range []string{"Vieux service", "Service tourangeau", "Brouillon ancien"} {
		if strings.Contains(text, not) {
			t.Errorf("digest names %q", not)
		}
	}
}
