package app

import (
	"context"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/mail/smtptest"
	"github.com/repere-spie/repere/internal/store"
)

// A server process killed (SIGKILL) in the middle of a batch of alert
// mails, then started again: every alert arrives, none twice. The kill
// falls during an SMTP conversation, before the server answered: the mail
// was marked as being sent, and the restarted process sends it again.
func TestKilledDuringBatchLosesNothing(t *testing.T) {
	p := sharedProcesses(t)
	ctx := context.Background()
	const n, killAt = 60, 25
	emails := dueAlerts(t, p, "destinataire", "Bidulon", n)
	var (
		mu     sync.Mutex
		seen   int
		victim string
		first  *exec.Cmd
	)
	started := make(chan struct{})
	srv := smtptest.Start(t, smtptest.Options{Intercept: func(r smtptest.Received) bool {
		mu.Lock()
		seen++
		kill := seen == killAt
		mu.Unlock()
		if !kill {
			return true
		}
		<-started
		_ = first.Process.Kill() // the sender dies before it hears the server's answer
		_ = first.Wait()
		mu.Lock()
		victim = r.To[0]
		mu.Unlock()
		return false
	}})
	first = p.serve(t, srv)
	close(started)
	waitUntil(t, 2*time.Minute, "the kill", func() bool { mu.Lock(); defer mu.Unlock(); return victim != "" })

	sending, err := p.owner.Store.OutboxIDs(ctx, store.OutboxSending)
	if err != nil {
		t.Fatal(err)
	}
	if len(sending) != 1 || !strings.HasSuffix(sending[0], ":"+victim) {
		t.Fatalf("after the kill, being sent: %v, want the victim %s", sending, victim)
	}
	if got := len(srv.Messages()); got != killAt-1 {
		t.Fatalf("%d received before the kill, want %d", got, killAt-1)
	}

	p.serve(t, srv) // takes the outbox over once the dead process's lease expires
	waitUntil(t, 3*time.Minute, "every mail", func() bool { return len(srv.Messages()) >= n })
	time.Sleep(time.Second) // a repeat would come now
	count := received(srv, "destinataire")
	for _, to := range emails {
		if count[to] != 1 {
			t.Errorf("%s received %d times", to, count[to])
		}
	}
	if len(srv.Messages()) != n {
		t.Errorf("%d mails received, want %d", len(srv.Messages()), n)
	}
	m, err := p.owner.Store.OutboxMessage(ctx, sending[0])
	if err != nil || m.State != store.OutboxSent || m.Attempts != 2 {
		t.Errorf("the victim's mail: %+v, %v; want sent at the second attempt", m, err)
	}
}
