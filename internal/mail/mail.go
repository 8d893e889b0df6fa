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
	"net/textproto"
	"strings"
	"time"
)

// Message is an e-mail to one recipient: plain text, and optionally the
// same in HTML.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string // an alternative to Text, when set
	// ID, when set, makes the Message-ID: the outbox gives every attempt at
	// one message the same, so that a receiver can drop a repeat.
	ID string
	// Unsubscribe, when set, is the https URL that unsubscribes in one click
	// (List-Unsubscribe and List-Unsubscribe-Post, RFC 8058).
	Unsubscribe string
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

var errRefused = errors.New("mail: message refused")

// check refuses what would let a value escape its header.
func (m Message) check() error {
	if strings.ContainsAny(m.To+m.Subject+m.ID+m.Unsubscribe, "\r\n") {
		return fmt.Errorf("%w: line break in a header", errRefused)
	}
	if strings.ContainsAny(m.ID, "<>@ \t") || strings.ContainsAny(m.Unsubscribe, "<> \t,") {
		return fmt.Errorf("%w: bad Message-ID or unsubscribe URL", errRefused)
	}
	a, err := mail.ParseAddress(m.To)
	if err != nil || a.Name != "" {
		return fmt.Errorf("%w: bad recipient %q", errRefused, m.To)
	}
	return nil
}

// compose writes the RFC 5322 message: UTF-8 text, quoted-printable, so any
// SMTP server accepts it as 7-bit; with HTML, both as multipart/alternative.
func compose(from *mail.Address, m Message, date time.Time) []byte {
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", from.String())
	header("To", m.To)
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", messageID(m.ID, from.Address))
	header("MIME-Version", "1.0")
	header("Auto-Submitted", "auto-generated")
	if m.Unsubscribe != "" {
		header("List-Unsubscribe", "<"+m.Unsubscribe+">")
		header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	if m.HTML == "" {
		part(&b, "text/plain", m.Text)
		return b.Bytes()
	}
	boundary := randomHex(12)
	header("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	for _, p := range []struct{ typ, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		b.WriteString("--" + boundary + "\r\n")
		part(&b, p.typ, p.body)
		b.WriteString("\r\n")
	}
	b.WriteString("--" + boundary + "--\r\n")
	return b.Bytes()
}

// part writes the content headers, a blank line and the quoted-printable body.
func part(b *bytes.Buffer, typ, body string) {
	fmt.Fprintf(b, "Content-Type: %s; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", typ)
	w := quotedprintable.NewWriter(b)
	_, _ = w.Write([]byte(strings.ReplaceAll(body, "\r\n", "\n")))
	_ = w.Close()
}

func messageID(id, from string) string {
	if id == "" {
		id = randomHex(12)
	}
	domain := "repere.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 {
		domain = from[i+1:]
	}
	return "<" + id + "@" + domain + ">"
}

func randomHex(n int) string {
	r := make([]byte, n)
	_, _ = rand.Read(r)
	return hex.EncodeToString(r)
}

// Answered reports whether err is an answer, from the SMTP server or this
// package, about the message; otherwise the server could not be reached.
func Answered(err error) bool {
	var te *textproto.Error
	return errors.As(err, &te) || errors.Is(err, errRefused)
}

// Permanent reports whether err is a refusal that retrying will not change:
// the SMTP server's 5xx answers, or a message this package refuses.
func Permanent(err error) bool {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code >= 500
	}
	return errors.Is(err, errRefused)
}
