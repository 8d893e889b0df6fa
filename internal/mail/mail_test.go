package mail_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/repere-spie/repere/internal/mail"
	"github.com/repere-spie/repere/internal/mail/smtptest"
)

var frenchMessage = mail.Message{
	To:      "camille.martin@exemple.fr",
	Subject: "Confirmez votre adresse électronique",
	Text: "Bonjour Camille,\n\nPour confirmer votre adresse, ouvrez ce lien :\n" +
		"https://repere.exemple.fr/compte/confirmer?jeton=" + strings.Repeat("a", 90) + "\n\n" +
		".Une ligne qui commence par un point.\nL’équipe Repère\n",
}

// decode reads a received message back as a mail client would.
func decode(t *testing.T, data []byte) (from, to, subject, body string) {
	t.Helper()
	msg, err := netmail.ReadMessage(strings.NewReader(string(data)))
	if err != nil {
		t.Fatalf("unreadable message: %v\n%s", err, data)
	}
	subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Fatalf("transfer encoding %q", msg.Header.Get("Content-Transfer-Encoding"))
	}
	b, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	fromAddr, err := netmail.ParseAddress(msg.Header.Get("From"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\r\n") {
		if len(line) > 78 {
			t.Errorf("line longer than 78 characters: %q", line)
		}
	}
	return fromAddr.Name + " <" + fromAddr.Address + ">", msg.Header.Get("To"), subject, strings.ReplaceAll(string(b), "\r\n", "\n")
}

func TestSMTPConversations(t *testing.T) {
	tests := []struct {
		name     string
		opts     smtptest.Options
		user     string
		password string
		wantErr  bool
		wantTLS  bool
	}{
		{name: "plain", opts: smtptest.Options{}},
		{name: "starttls", opts: smtptest.Options{STARTTLS: true}, wantTLS: true},
		{name: "starttls and auth", opts: smtptest.Options{STARTTLS: true, Username: "repere", Password: "s3cret"},
			user: "repere", password: "s3cret", wantTLS: true},
		{name: "wrong password", opts: smtptest.Options{STARTTLS: true, Username: "repere", Password: "s3cret"},
			user: "repere", password: "nope", wantErr: true},
		{name: "server requires auth", opts: smtptest.Options{Username: "repere", Password: "s3cret"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.Start(t, tt.opts)
			s, err := mail.NewSMTP(mail.SMTPConfig{
				Host: srv.Host(), Port: srv.Port(), Username: tt.user, Password: tt.password,
				From: "Repère <ne-pas-repondre@repere.exemple.fr>", TLS: srv.ClientTLS(),
			})
			if err != nil {
				t.Fatal(err)
			}
			err = s.Send(context.Background(), frenchMessage)
			if tt.wantErr {
				if err == nil {
					t.Fatal("send succeeded, want an error")
				}
				if n := len(srv.Messages()); n != 0 {
					t.Fatalf("server kept %d messages after a failed conversation", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := srv.Messages()
			if len(got) != 1 {
				t.Fatalf("server received %d messages, want 1", len(got))
			}
			r := got[0]
			if r.From != "ne-pas-repondre@repere.exemple.fr" || len(r.To) != 1 || r.To[0] != frenchMessage.To {
				t.Errorf("envelope %q → %q", r.From, r.To)
			}
			if r.TLS != tt.wantTLS {
				t.Errorf("TLS = %v, want %v", r.TLS, tt.wantTLS)
			}
			if r.AuthUser != tt.user {
				t.Errorf("authenticated as %q, want %q", r.AuthUser, tt.user)
			}
			from, to, subject, body := decode(t, r.Data)
			if from != "Repère <ne-pas-repondre@repere.exemple.fr>" {
				t.Errorf("From = %q", from)
			}
			if to != frenchMessage.To || subject != frenchMessage.Subject {
				t.Errorf("To %q Subject %q", to, subject)
			}
			if body != frenchMessage.Text {
				t.Errorf("body:\n%q\nwant\n%q", body, frenchMessage.Text)
			}
		})
	}
}

func TestSMTPUntrustedCertificate(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{STARTTLS: true})
	s, err := mail.NewSMTP(mail.SMTPConfig{Host: srv.Host(), Port: srv.Port(), From: "ne-pas-repondre@repere.exemple.fr"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), frenchMessage); err == nil {
		t.Fatal("sent over TLS to a server whose certificate nobody trusts")
	}
	if len(srv.Messages()) != 0 {
		t.Fatal("message delivered despite the TLS failure")
	}
}

func TestRefusesHeaderInjection(t *testing.T) {
	box := mail.NewMailbox(10, nil)
	for _, m := range []mail.Message{
		{To: "a@exemple.fr\r\nBcc: victime@exemple.fr", Subject: "x", Text: "x"},
		{To: "a@exemple.fr", Subject: "x\r\nBcc: victime@exemple.fr", Text: "x"},
		{To: "Camille <a@exemple.fr>", Subject: "x", Text: "x"},
		{To: "pas une adresse", Subject: "x", Text: "x"},
	} {
		if err := box.Send(context.Background(), m); err == nil {
			t.Errorf("accepted %+v", m)
		}
	}
	if len(box.Messages()) != 0 {
		t.Fatal("the mailbox kept a refused message")
	}
}

func TestMailboxKeepsTheLastMessages(t *testing.T) {
	box := mail.NewMailbox(3, nil)
	for _, to := range []string{"a@exemple.fr", "b@exemple.fr", "c@exemple.fr", "d@exemple.fr", "b@exemple.fr"} {
		if err := box.Send(context.Background(), mail.Message{To: to, Subject: "Objet " + to, Text: "Texte"}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, m := range box.Messages() {
		got = append(got, m.To)
	}
	if strings.Join(got, " ") != "b@exemple.fr d@exemple.fr c@exemple.fr" {
		t.Fatalf("kept %v, want the last three, newest first", got)
	}
	if _, ok := box.Last("a@exemple.fr"); ok {
		t.Error("the oldest message should be gone")
	}
	if m, ok := box.Last("b@exemple.fr"); !ok || m.Subject != "Objet b@exemple.fr" {
		t.Errorf("Last(b) = %+v, %v", m, ok)
	}
}

// The mailbox's log names the mail, never its text: the text carries
// single-use links.
func TestMailboxLogsNoText(t *testing.T) {
	var logs bytes.Buffer
	box := mail.NewMailbox(3, slog.New(slog.NewTextHandler(&logs, nil)))
	link := "http://localhost:8080/compte/mot-de-passe/nouveau?jeton=SECRET-TOKEN-123"
	if err := box.Send(context.Background(), mail.Message{To: "a@example.org", Subject: "Réinitialisation", Text: "Ouvrez " + link}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "SECRET-TOKEN-123") || strings.Contains(logs.String(), "jeton") {
		t.Errorf("the log carries the link: %s", logs.String())
	}
	if !strings.Contains(logs.String(), "a@example.org") {
		t.Errorf("the log does not name the recipient: %s", logs.String())
	}
	if err := (mail.Unconfigured{}).Send(context.Background(), mail.Message{To: "a@example.org"}); err != mail.ErrNoServer {
		t.Errorf("Unconfigured.Send = %v", err)
	}
}

// A mail with HTML carries both versions as multipart/alternative, the
// Message-ID the outbox chose and the one-click unsubscribe headers.
func TestSMTPAlternativeAndListHeaders(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Options{})
	s, err := mail.NewSMTP(mail.SMTPConfig{Host: srv.Host(), Port: srv.Port(), From: "Repère <ne-pas-repondre@repere.exemple.fr>"})
	if err != nil {
		t.Fatal(err)
	}
	m := frenchMessage
	m.HTML = "<p>Bonjour Camille,</p><p><a href=\"https://repere.exemple.fr/\">Repère</a> – " + strings.Repeat("é", 80) + "</p>"
	m.ID = "alerte.a1b2.2026-W49"
	m.Unsubscribe = "https://repere.exemple.fr/alertes/desabonnement/a1b2/sig"
	for range 2 {
		if err := s.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	got := srv.Messages()
	if len(got) != 2 {
		t.Fatalf("%d messages", len(got))
	}
	var ids []string
	for _, r := range got {
		msg, err := netmail.ReadMessage(strings.NewReader(string(r.Data)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, msg.Header.Get("Message-ID"))
		if h := msg.Header.Get("List-Unsubscribe"); h != "<"+m.Unsubscribe+">" {
			t.Errorf("List-Unsubscribe %q", h)
		}
		if h := msg.Header.Get("List-Unsubscribe-Post"); h != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post %q", h)
		}
		typ, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		if err != nil || typ != "multipart/alternative" {
			t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
		}
		mr := multipart.NewReader(msg.Body, params["boundary"])
		var parts []string
		for {
			p, err := mr.NextPart() // decodes quoted-printable
			if err == io.EOF {
				break
			} else if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(p)
			parts = append(parts, p.Header.Get("Content-Type")+"\n"+strings.ReplaceAll(string(b), "\r\n", "\n"))
		}
		if len(parts) != 2 || parts[0] != "text/plain; charset=utf-8\n"+m.Text || parts[1] != "text/html; charset=utf-8\n"+m.HTML {
			t.Fatalf("parts:\n%q", parts)
		}
		for _, line := range strings.Split(string(r.Data), "\r\n") {
			if len(line) > 78 {
				t.Errorf("line longer than 78 characters: %q", line)
			}
		}
	}
	if ids[0] != "<alerte.a1b2.2026-W49@repere.exemple.fr>" || ids[1] != ids[0] {
		t.Errorf("Message-IDs %q, want the outbox's, twice", ids)
	}
}

func TestPermanentErrors(t *testing.T) {
	box := mail.NewMailbox(10, nil)
	err := box.Send(context.Background(), mail.Message{To: "pas une adresse", Subject: "x", Text: "x"})
	if !mail.Permanent(err) {
		t.Errorf("a bad address is not permanent: %v", err)
	}
	if err := box.Send(context.Background(), mail.Message{To: "a@exemple.fr", Subject: "x", Text: "x", Unsubscribe: "https://x/<y>"}); !mail.Permanent(err) {
		t.Errorf("a bad unsubscribe URL: %v", err)
	}
	s, _ := mail.NewSMTP(mail.SMTPConfig{Host: "127.0.0.1", Port: 1, From: "a@exemple.fr"})
	if err := s.Send(context.Background(), frenchMessage); err == nil || mail.Permanent(err) {
		t.Errorf("an unreachable server is not a permanent refusal: %v", err)
	}
}

// A letter reads the same in text and in HTML, escapes what partners typed,
// and needs no image.
func TestLetter(t *testing.T) {
	l := mail.Letter{
		To: "camille@exemple.fr", Subject: "2 nouveaux services", Greeting: "Bonjour,",
		Intro: []string{"Voici les nouveautés de votre recherche « Mobilité à Poitiers »."},
		Sections: []mail.Section{{Title: "Mobilité", Items: []mail.Item{{
			Title: "Vélo <script>alert(1)</script>", URL: "https://repere.exemple.fr/services/v1", Badge: "Nouveau",
			Lines: []string{"Association Roue libre · Poitiers"}, Action: &mail.Link{Label: "Toujours à jour", URL: "https://repere.exemple.fr/a-jour?jeton=x&y=1"},
		}}, More: &mail.Link{Label: "Voir les 3 autres", URL: "https://repere.exemple.fr/recherche?q=v"}}},
		Why:         "Vous recevez ce courriel car vous avez créé cette alerte.",
		Footer:      []mail.Link{{Label: "Gérer mes alertes", URL: "https://repere.exemple.fr/alertes"}},
		Unsubscribe: "https://repere.exemple.fr/alertes/desabonnement/a/b",
	}
	m := l.Message()
	for _, want := range []string{"Bonjour,", "Mobilité\n========", "- Vélo <script>alert(1)</script> (nouveau)", "  https://repere.exemple.fr/services/v1",
		"  Toujours à jour : https://repere.exemple.fr/a-jour?jeton=x&y=1", "Voir les 3 autres : https://repere.exemple.fr/recherche?q=v",
		"Gérer mes alertes : https://repere.exemple.fr/alertes", "L’équipe Repère"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, m.Text)
		}
	}
	for _, want := range []string{`<html lang="fr">`, "Vélo &lt;script&gt;", `href="https://repere.exemple.fr/a-jour?jeton=x&amp;y=1"`, ">Gérer mes alertes</a>", "Nouveau</span>"} {
		if !strings.Contains(m.HTML, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Contains(m.HTML, "<script>") || strings.Contains(m.HTML, "<img") {
		t.Error("HTML with a script or an image")
	}
	if m.Unsubscribe != l.Unsubscribe || m.To != l.To {
		t.Errorf("message %+v", m)
	}
}
