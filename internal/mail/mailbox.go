package mail

import (
	"context"
	"log/slog"
	"net/mail"
	"sync"
	"time"
)

// Sent is a message kept by the development mailbox.
type Sent struct {
	Message
	At time.Time
}

// Mailbox is the development sender: it keeps the last messages in memory
// for the "/dev/courriels" page, and logs their recipient and subject, never
// their text (it carries single-use links). Nothing leaves the machine.
type Mailbox struct {
	log  *slog.Logger
	keep int
	mu   sync.Mutex
	msgs []Sent // oldest first
}

var _ Sender = (*Mailbox)(nil)

// NewMailbox keeps the last keep messages.
func NewMailbox(keep int, log *slog.Logger) *Mailbox {
	if log == nil {
		log = slog.Default()
	}
	return &Mailbox{log: log, keep: max(keep, 1)}
}

// Send keeps m.
func (b *Mailbox) Send(ctx context.Context, m Message) error {
	if err := m.check(); err != nil {
		return err
	}
	b.log.InfoContext(ctx, "mail not sent (development mailbox)", "to", m.To, "subject", m.Subject)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.msgs = append(b.msgs, Sent{Message: m, At: time.Now()})
	if n := len(b.msgs) - b.keep; n > 0 {
		b.msgs = append(b.msgs[:0:0], b.msgs[n:]...)
	}
	return nil
}

// Messages returns the kept messages, newest first.
func (b *Mailbox) Messages() []Sent {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]Sent, len(b.msgs))
	for i, m := range b.msgs {
		out[len(out)-1-i] = m
	}
	return out
}

// Last returns the newest message to the address, if any.
func (b *Mailbox) Last(to string) (Sent, bool) {
	for _, m := range b.Messages() {
		if a, err := mail.ParseAddress(m.To); err == nil && a.Address == to {
			return m, true
		}
	}
	return Sent{}, false
}
