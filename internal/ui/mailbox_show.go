package ui

import (
	"regexp"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

type mailboxPage struct {
	Layout
	Mails []mailView
}

type mailView struct {
	To, Subject string
	At, AtISO   string
	Parts       []mailPart // the text, with its links
}

// mailPart is a piece of a mail's text, or a link.
type mailPart struct{ Text, URL string }

var mailLink = regexp.MustCompile(`https?://[^\s<>"]+`)

// mailboxShow lists the mails the site would have sent, newest first. It
// exists only in development, when no SMTP server is set up.
func (s *Server) mailboxShow(c *fiber.Ctx) error {
	if s.Mailbox == nil {
		return fiber.ErrNotFound
	}
	p := mailboxPage{Layout: s.espaceLayout(c, "Courriels de développement")}
	for _, m := range s.Mailbox.Messages() {
		v := mailView{To: m.To, Subject: m.Subject, At: m.At.In(directory.Paris).Format("02/01/2006 15:04:05"), AtISO: m.At.Format(time.RFC3339)}
		last := 0
		for _, loc := range mailLink.FindAllStringIndex(m.Text, -1) {
			v.Parts = append(v.Parts, mailPart{Text: m.Text[last:loc[0]]}, mailPart{Text: m.Text[loc[0]:loc[1]], URL: m.Text[loc[0]:loc[1]]})
			last = loc[1]
		}
		v.Parts = append(v.Parts, mailPart{Text: m.Text[last:]})
		p.Mails = append(p.Mails, v)
	}
	return c.Render("compte/courriels", p)
}
