package ui

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// outboxPage shows platform administrators what the scheduled jobs and the
// mail outbox are doing, and the mails that could not be sent.
type outboxPage struct {
	Layout
	Jobs                     []jobRow
	Pending, Sending, Failed int
	Troubles                 []mailTroubleRow
	Locks                    []lockRow // login locks in force
}

// lockRow is an account or an address shut out of the login: a password
// reset lifts an account's lock, an address's ends by itself.
type lockRow struct {
	Email, IP, Until string
	Failures         int
}

type jobRow struct {
	Label, When, Last, By, Error, Retry string
	Running                             bool
}

type mailTroubleRow struct {
	Key, To, Subject, Kind, Error, Next string
	Attempts                            int
	Failed                              bool
}

// dateTime is t in Paris as "03/12/2026 07:00".
func dateTime(t time.Time) string { return t.In(directory.Paris).Format("02/01/2006 15:04") }

func (s *Server) outboxShow(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p := outboxPage{Layout: s.espaceLayout(c, "Courriels et tâches planifiées")}
	statuses, err := s.Scheduler.Statuses(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	for _, st := range statuses {
		r := jobRow{Label: st.Label, When: st.When, Running: st.Running(now), Error: st.State.LastError}
		if r.Label == "" {
			r.Label = st.Name
		}
		if !st.State.LastEnd.IsZero() {
			r.Last, r.By = dateTime(st.State.LastEnd), st.State.LastBy
		}
		if r.Error != "" {
			r.Retry = dateTime(st.State.RetryAt)
		}
		p.Jobs = append(p.Jobs, r)
	}
	sum, err := s.Outbox.Summary(ctx)
	if err != nil {
		return err
	}
	p.Pending, p.Sending, p.Failed = sum.Pending, sum.Sending, sum.Failed
	for _, m := range sum.Troubles {
		r := mailTroubleRow{Key: m.Key, To: m.To, Subject: m.Subject, Kind: m.Kind, Error: m.LastError, Attempts: m.Attempts, Failed: m.Failed}
		if !r.Failed {
			r.Next = dateTime(m.NextAt)
		}
		p.Troubles = append(p.Troubles, r)
	}
	locks, err := s.Accounts.Locks(ctx)
	if err != nil {
		return err
	}
	for _, l := range locks {
		p.Locks = append(p.Locks, lockRow{Email: l.Email, IP: l.IP, Failures: l.Failures, Until: dateTime(l.Until)})
	}
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: "/espace"}, Link{Label: "Courriels et tâches planifiées"})
	return c.Render("espace/courriels", p)
}
