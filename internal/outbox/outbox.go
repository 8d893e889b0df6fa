// Package outbox sends the periodic mails (alerts, reminders) exactly once
// as far as SMTP allows. A mail is first written to the store under a
// deterministic key (recipient, subject matter, period): computing it again
// inserts nothing. The sender, a scheduled job that one instance runs at a
// time, marks each message as being sent before the SMTP conversation and
// as sent after it. A crash between the two leaves it marked "being sent":
// the next run sends it again, once, with the same Message-ID so that
// receivers may recognise the repeat; nothing is ever skipped. SMTP
// failures are retried with growing delays, then left for an administrator.
package outbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/mail"
	"github.com/repere-spie/repere/internal/store"
)

// Outbox queues and sends mails.
type Outbox struct {
	store  *store.Store
	sender mail.Sender
	log    *slog.Logger
	now    func() time.Time
}

// New returns an outbox sending through sender; now nil means time.Now.
func New(s *store.Store, sender mail.Sender, log *slog.Logger, now func() time.Time) *Outbox {
	if log == nil {
		log = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	return &Outbox{store: s, sender: sender, log: log, now: now}
}

// Queue writes m under key unless a message with that key was queued
// before, whatever became of it; it reports whether it wrote it.
func (o *Outbox) Queue(ctx context.Context, key, kind string, m mail.Message) (bool, error) {
	err := o.store.QueueMail(ctx, &store.OutboxMessage{ID: key, Kind: kind, To: m.To, Subject: m.Subject,
		Text: m.Text, HTML: m.HTML, Unsubscribe: m.Unsubscribe}, o.now())
	if directory.ErrorCode(err) == directory.ECONFLICT {
		return false, nil
	}
	return err == nil, err
}

// Queued is a mail to queue under its key.
type Queued struct {
	Key, Kind string
	Mail      mail.Message
}

// QueueMany is Queue for many mails in one write; it returns how many it
// wrote, the others having been queued before.
func (o *Outbox) QueueMany(ctx context.Context, qs []Queued) (int, error) {
	ms := make([]*store.OutboxMessage, len(qs))
	for i, q := range qs {
		ms[i] = &store.OutboxMessage{ID: q.Key, Kind: q.Kind, To: q.Mail.To, Subject: q.Mail.Subject, Text: q.Mail.Text, HTML: q.Mail.HTML, Unsubscribe: q.Mail.Unsubscribe}
	}
	return o.store.QueueMails(ctx, ms, o.now())
}

// Delays between the attempts at a message; after the last, it fails.
var retryDelays = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour}

// MaxAttempts is how many times a message is tried before it is left to an
// administrator (about a day and a half).
var MaxAttempts = len(retryDelays) + 1

// Send sends every message due, one at a time, until ctx ends: the
// scheduler's job, which one instance runs at a time. A server that cannot
// be reached stops the batch; the messages wait for their next attempt.
func (o *Outbox) Send(ctx context.Context, _ time.Time) error {
	var ids []string
	for _, state := range []string{store.OutboxSending, store.OutboxPending} {
		got, err := o.store.OutboxIDs(ctx, state)
		if err != nil {
			return err
		}
		ids = append(ids, got...)
	}
	sent := 0
	for _, id := range ids {
		if ctx.Err() != nil {
			return nil // the rest waits for the next run
		}
		ok, err := o.sendOne(ctx, id)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		sent++
	}
	if sent > 0 {
		o.log.Info("courriels envoyés", "nombre", sent)
	}
	return nil
}

// sendOne makes one attempt at a due message. It returns false when the
// mail server could not be reached, and an error only when the store fails.
func (o *Outbox) sendOne(ctx context.Context, id string) (bool, error) {
	m, err := o.store.OutboxMessage(ctx, id)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return true, nil
	} else if err != nil {
		return false, err
	}
	now := o.now().UTC()
	switch {
	case m.State == store.OutboxSending:
		o.log.Warn("courriel repris après une interruption : il peut arriver deux fois", "clé", m.ID, "tentatives", m.Attempts)
	case m.State != store.OutboxPending || now.Before(m.NextAt):
		return true, nil
	}
	m.State = store.OutboxSending
	m.Attempts++
	if err := o.store.SaveOutboxMessage(ctx, m); err != nil {
		return false, err
	}
	sendErr := o.sender.Send(ctx, mail.Message{To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML,
		Unsubscribe: m.Unsubscribe, ID: MessageID(m.ID)})
	// Whatever ctx says now, what happened must be written down.
	ctx = context.WithoutCancel(ctx)
	now = o.now().UTC()
	reachable := true
	switch {
	case sendErr == nil:
		m.State, m.SentAt, m.LastError = store.OutboxSent, &now, ""
		m.Text, m.HTML = "", "" // the key and the subject are all that is still needed
	case mail.Permanent(sendErr) || m.Attempts >= MaxAttempts:
		m.State, m.LastError = store.OutboxFailed, sendErr.Error()
		o.log.Error("courriel abandonné", "clé", m.ID, "tentatives", m.Attempts, "err", sendErr)
	default:
		m.State, m.LastError = store.OutboxPending, sendErr.Error()
		m.NextAt = now.Add(retryDelays[min(m.Attempts, len(retryDelays))-1])
		reachable = mail.Answered(sendErr) // else the next ones would fail alike
		o.log.Warn("courriel non envoyé, nouvel essai prévu", "clé", m.ID, "tentatives", m.Attempts, "à", m.NextAt, "err", sendErr)
	}
	return reachable, o.store.SaveOutboxMessage(ctx, m)
}

// MessageID is the Message-ID (left part) of every attempt at a message:
// derived from its key, which holds the recipient's address and must not
// show in headers.
func MessageID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}

// Summary is what administrators see of the outbox.
type Summary struct {
	Pending, Sending, Failed int
	// Troubles are the failed messages and those waiting for another
	// attempt, with their last error.
	Troubles []Trouble
}

// Trouble is a message not sent yet after an attempt, or given up.
type Trouble struct {
	Key, Kind, To, Subject string
	Attempts               int
	LastError              string
	NextAt                 time.Time
	Failed                 bool // given up: an administrator may Retry it
}

// Summary counts the messages not sent and lists those in trouble.
func (o *Outbox) Summary(ctx context.Context) (Summary, error) {
	var s Summary
	for _, st := range []struct {
		state string
		n     *int
	}{{store.OutboxPending, &s.Pending}, {store.OutboxSending, &s.Sending}, {store.OutboxFailed, &s.Failed}} {
		ids, err := o.store.OutboxIDs(ctx, st.state)
		if err != nil {
			return s, err
		}
		*st.n = len(ids)
		for _, id := range ids {
			m, err := o.store.OutboxMessage(ctx, id)
			if directory.ErrorCode(err) == directory.ENOTFOUND {
				continue
			} else if err != nil {
				return s, err
			}
			if m.LastError != "" || m.State != store.OutboxPending {
				s.Troubles = append(s.Troubles, Trouble{Key: m.ID, Kind: m.Kind, To: m.To, Subject: m.Subject, Attempts: m.Attempts,
					LastError: m.LastError, NextAt: m.NextAt, Failed: m.State == store.OutboxFailed})
			}
		}
	}
	return s, nil
}

// Retry queues a failed message again, for an administrator who fixed its
// cause. ENOTFOUND when there is no failed message with that key.
func (o *Outbox) Retry(ctx context.Context, key string) error {
	m, err := o.store.OutboxMessage(ctx, key)
	if err != nil {
		return err
	}
	if m.State != store.OutboxFailed {
		return directory.Errorf(directory.ENOTFOUND, "Ce courriel n’est pas en échec.")
	}
	m.State, m.Attempts, m.NextAt = store.OutboxPending, 0, o.now().UTC()
	return o.store.SaveOutboxMessage(ctx, m)
}

// Prune deletes the messages past their expiry: a daily job.
func (o *Outbox) Prune(ctx context.Context, _ time.Time) error {
	n, err := o.store.PruneOutbox(ctx, o.now())
	if n > 0 {
		o.log.Info("anciens courriels supprimés", "nombre", n)
	}
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}
