package outbox_test

import (
	"context"
	netmail "net/mail"
	"strings"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/mail"
	"github.com/repere-spie/repere/internal/mail/smtptest"
	"github.com/repere-spie/repere/internal/outbox"
	"github.com/repere-spie/repere/internal/store"
)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), store.Config{DataDir: t.TempDir(), Logger: apptest.QuietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

func smtpSender(t *testing.T, host string, port int) mail.Sender {
	t.Helper()
	s, err := mail.NewSMTP(mail.SMTPConfig{Host: host, Port: port, From: "Repère <ne-pas-repondre@repere.exemple.fr>", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func msg(to string) mail.Message {
	return mail.Message{To: to, Subject: "Nouveaux services", Text: "Bonjour,\n", HTML: "<p>Bonjour,</p>",
		Unsubscribe: "https://repere.exemple.fr/alertes/desabonnement/x/y"}
}

// A mail queued twice under one key is sent once, with a Message-ID derived
// from the key; later runs send nothing more.
func TestQueueOnceSendOnce(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	srv := smtptest.Start(t, smtptest.Options{})
	c := apptest.NewClock(time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC))
	o := outbox.New(st, smtpSender(t, srv.Host(), srv.Port()), apptest.QuietLogger(), c.Now)
	for i, want := range []bool{true, false} {
		queued, err := o.Queue(ctx, "alerte:a1:2026-W50:camille@exemple.fr", "alerte", msg("camille@exemple.fr"))
		if err != nil || queued != want {
			t.Fatalf("queue #%d: %v, %v", i+1, queued, err)
		}
	}
	if _, err := o.Queue(ctx, "alerte:a2:2026-W50:dominique@exemple.fr", "alerte", msg("dominique@exemple.fr")); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := o.Send(ctx, c.Now()); err != nil {
			t.Fatal(err)
		}
	}
	got := srv.Messages()
	if len(got) != 2 {
		t.Fatalf("%d messages received, want 2", len(got))
	}
	m, err := netmail.ReadMessage(strings.NewReader(string(got[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	if id := m.Header.Get("Message-ID"); id != "<"+outbox.MessageID("alerte:a1:2026-W50:camille@exemple.fr")+"@repere.exemple.fr>" || strings.Contains(id, "camille") {
		t.Errorf("Message-ID %q", id)
	}
	sent, err := st.OutboxMessage(ctx, "alerte:a1:2026-W50:camille@exemple.fr")
	if err != nil || sent.State != store.OutboxSent || sent.Attempts != 1 || sent.SentAt == nil || sent.Text != "" {
		t.Fatalf("after sending: %+v, %v", sent, err)
	}
	if queued, _ := o.Queue(ctx, sent.ID, "alerte", msg("camille@exemple.fr")); queued {
		t.Fatal("a sent message was queued again")
	}
}

// A mail server that cannot be reached stops the batch; each message is
// retried after its delay, and one refused for good is left to an
// administrator, who can send it again.
func TestFailuresRetryAndShow(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	c := apptest.NewClock(time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC))
	down := outbox.New(st, smtpSender(t, "127.0.0.1", 1), apptest.QuietLogger(), c.Now)
	for _, to := range []string{"a@exemple.fr", "inconnu@exemple.fr", "b@exemple.fr"} {
		if _, err := down.Queue(ctx, "rappel:"+to, "rappel", msg(to)); err != nil {
			t.Fatal(err)
		}
	}
	if err := down.Send(ctx, c.Now()); err != nil {
		t.Fatal(err)
	}
	sum, err := down.Summary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Pending != 3 || len(sum.Troubles) != 1 || sum.Troubles[0].Attempts != 1 || sum.Troubles[0].LastError == "" {
		t.Fatalf("after an unreachable server: %+v", sum)
	}

	srv := smtptest.Start(t, smtptest.Options{Reject: func(to string) bool { return to == "inconnu@exemple.fr" }})
	up := outbox.New(st, smtpSender(t, srv.Host(), srv.Port()), apptest.QuietLogger(), c.Now)
	c.Add(30 * time.Second)
	if err := up.Send(ctx, c.Now()); err != nil {
		t.Fatal(err)
	}
	// The first waits for its delay; the two others went out, or were refused.
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d received before the retry delay, want 1", n)
	}
	c.Add(time.Minute)
	if err := up.Send(ctx, c.Now()); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 2 {
		t.Fatalf("%d received after the retry delay, want 2", n)
	}
	sum, err = up.Summary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Pending != 0 || sum.Failed != 1 || len(sum.Troubles) != 1 || sum.Troubles[0].To != "inconnu@exemple.fr" || !strings.Contains(sum.Troubles[0].LastError, "550") {
		t.Fatalf("after a refusal: %+v", sum)
	}
	if err := up.Retry(ctx, "rappel:a@exemple.fr"); err == nil {
		t.Fatal("retried a sent message")
	}
	if err := up.Retry(ctx, "rappel:inconnu@exemple.fr"); err != nil {
		t.Fatal(err)
	}
	if m, _ := st.OutboxMessage(ctx, "rappel:inconnu@exemple.fr"); m.State != store.OutboxPending || m.Attempts != 0 {
		t.Fatalf("after retry: %+v", m)
	}
}

// A message found "being sent" (the sender died during the attempt) is
// sent again, once.
func TestInterruptedAttemptIsSentAgainOnce(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	c := apptest.NewClock(time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC))
	srv := smtptest.Start(t, smtptest.Options{})
	o := outbox.New(st, smtpSender(t, srv.Host(), srv.Port()), apptest.QuietLogger(), c.Now)
	if _, err := o.Queue(ctx, "k", "alerte", msg("a@exemple.fr")); err != nil {
		t.Fatal(err)
	}
	// The crash: the attempt is recorded, the process dies during the
	// conversation.
	m, _ := st.OutboxMessage(ctx, "k")
	m.State, m.Attempts = store.OutboxSending, 1
	if err := st.SaveOutboxMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := o.Send(ctx, c.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("%d received, want the interrupted message once", n)
	}
	if m, _ := st.OutboxMessage(ctx, "k"); m.State != store.OutboxSent || m.Attempts != 2 {
		t.Fatalf("after the resend: %+v", m)
	}
}

// Many mails queued in one write: those whose key exists are left alone,
// the others inserted, and the count says how many.
func TestQueueMany(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	c := apptest.NewClock(time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC))
	o := outbox.New(st, mail.NewMailbox(10, apptest.QuietLogger()), apptest.QuietLogger(), c.Now)
	if _, err := o.Queue(ctx, "k2", "alerte", msg("b@exemple.fr")); err != nil {
		t.Fatal(err)
	}
	var qs []outbox.Queued
	for i, to := range []string{"a@exemple.fr", "b@exemple.fr", "c@exemple.fr"} {
		m := msg(to)
		m.Subject = "nouveau " + to
		qs = append(qs, outbox.Queued{Key: "k" + string(rune('1'+i)), Kind: "alerte", Mail: m})
	}
	for i, want := range []int{2, 0} {
		n, err := o.QueueMany(ctx, qs)
		if err != nil || n != want {
			t.Fatalf("round %d: %d queued, %v; want %d", i, n, err, want)
		}
	}
	if m, _ := st.OutboxMessage(ctx, "k2"); m.Subject != "Nouveaux services" {
		t.Errorf("an existing message was replaced: %q", m.Subject)
	}
	if ids, _ := st.OutboxIDs(ctx, store.OutboxPending); len(ids) != 3 {
		t.Errorf("%d pending, want 3", len(ids))
	}
}
