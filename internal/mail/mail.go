// Package mail sends Repère's e-mails: by SMTP in production, and in
// development to an in-memory mailbox that a page lists.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// Message is a plain-text e-mail to one recipient.
type Message struct {
	To      string
	Subject string
	Text    string
}

// Sender delivers messages. Send returns once the message is accepted for
// delivery (by the SMTP server, or the development mailbox).
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// ErrNoServer is what Unconfigured answers.
var ErrNoServer = errors.New("mail: no SMTP server configured (REPERE_SMTP_HOST)")

// Unconfigured is the sender of a site without SMTP server or development
// mailbox: every message is refused with ErrNoServer, and its sender logs
// that it was not sent.
type Unconfigured struct{}

// Send refuses m.
func (Unconfigured) Send(context.Context, Message) error { return ErrNoServer }

// check refuses what would let a value escape its header.
func (m Message) check() error {
	if strings.ContainsAny(m.To+m.Subject, "\r\n") {
		return errors.New("mail: line break in a header")
	}
	a, err := mail.ParseAddress(m.To)
	if err != nil || a.Name != "" {
		return fmt.Errorf("mail: bad recipient %q", m.To)
	}
	return nil
}

// compose writes the RFC 5322 message: UTF-8 text, quoted-printable, so any
// SMTP server accepts it as 7-bit.
func compose(from *mail.Address, m Message, date time.Time) []byte {
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", from.String())
	header("To", m.To)
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", messageID(from.Address))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(strings.ReplaceAll(m.Text, "\r\n", "\n")))
	_ = w.Close()
	return b.Bytes()
}

func messageID(from string) string {
	var r [12]byte
	_, _ = rand.Read(r[:])
	domain := "repere.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 {
		domain = from[i+1:]
	}
	return "<" + hex.EncodeToString(r[:]) + "@" + domain + ">"
}
