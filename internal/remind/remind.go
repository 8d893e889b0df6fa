// Package remind writes the reminders that keep the offer fresh: monthly to
// each structure's members (services to confirm, drafts left), to the
// administrators of a structure about join requests waiting (at days 1, 3
// and 7), weekly to territory moderators. Each is a scheduled job that
// queues its mails in the outbox under a key naming the recipient, the
// matter and the period: a job run twice queues nothing twice. Every user
// may switch each kind off (directory.User.RemindersOff), in their account
// or in one click from the mail.
package remind

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/catalog"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/mail"
	"github.com/repere-spie/repere/internal/outbox"
	"github.com/repere-spie/repere/internal/signed"
	"github.com/repere-spie/repere/internal/store"
)

// Import is an import of records that ended, as the moderators' digest
// tells it.
type Import struct {
	Source  string // "data·inclusion"
	At      time.Time
	Summary string // "12 services créés, 3 modifiés, 1 archivé"
}

// Config wires the reminders.
type Config struct {
	Store    *store.Store
	Accounts *account.Accounts
	Catalog  *catalog.Catalog // confirms services
	Outbox   *outbox.Outbox
	BaseURL  string
	Secret   []byte
	Log      *slog.Logger
	Now      func() time.Time
	// Imports lists the imports that ended in [since, until) and touched
	// the départements; nil leaves them out of the moderators' digest.
	Imports func(ctx context.Context, deps []string, since, until time.Time) ([]Import, error)
}

// Reminders writes the reminder mails.
type Reminders struct {
	cfg   Config
	fresh *signed.Signer // the "toujours à jour" links
	stop  *signed.Signer // the one-click unsubscribe links
}

// New returns the reminders.
func New(cfg Config) *Reminders {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return &Reminders{cfg: cfg, fresh: signed.New(cfg.Secret, "service-a-jour"), stop: signed.New(cfg.Secret, "rappel-desabonnement")}
}

// Paths of the pages the reminders link to.
const (
	FreshPath = "/rappels/a-jour"        // ?service=…&compte=…&jeton=…
	StopPath  = "/rappels/desabonnement" // /{user}/{kind}/{signature}
)

// FreshTTL is how long a "toujours à jour" link works.
const FreshTTL = 45 * 24 * time.Hour

// draftAge is when a draft left alone is worth a reminder.
const draftAge = 7 * 24 * time.Hour

func (r *Reminders) url(path string) string { return r.cfg.BaseURL + path }

// FreshURL is the link that confirms, without a password, that the user
// checked the service is up to date.
func (r *Reminders) FreshURL(serviceID, userID string, now time.Time) string {
	tok := r.fresh.SignUntil(now.Add(FreshTTL), serviceID, userID)
	return r.url(FreshPath + "?service=" + serviceID + "&compte=" + userID + "&jeton=" + tok)
}

// CheckFresh returns ENOTFOUND unless token is a live "toujours à jour"
// link for the service and the user.
func (r *Reminders) CheckFresh(serviceID, userID, token string) error {
	if !r.fresh.ValidUntil(token, r.cfg.Now(), serviceID, userID) {
		return directory.Errorf(directory.ENOTFOUND, "Ce lien n’est pas valide ou a expiré : connectez-vous à votre espace pour confirmer le service.")
	}
	return nil
}

// FreshService returns the service a "toujours à jour" link is about, if
// the link is good (see CheckFresh).
func (r *Reminders) FreshService(ctx context.Context, serviceID, userID, token string) (*directory.Service, error) {
	if err := r.CheckFresh(serviceID, userID, token); err != nil {
		return nil, err
	}
	return r.cfg.Catalog.Service(ctx, serviceID)
}

// ConfirmFresh confirms the service is up to date in the name of the user
// the link was made for, who must still be allowed to (EFORBIDDEN
// otherwise). It returns the service as written.
func (r *Reminders) ConfirmFresh(ctx context.Context, serviceID, userID, token string) (*directory.Service, error) {
	svc, err := r.FreshService(ctx, serviceID, userID, token)
	if err != nil {
		return nil, err
	}
	u, err := r.cfg.Store.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	t, err := r.cfg.Accounts.ServiceTarget(ctx, svc)
	if err != nil {
		return nil, err
	}
	if err := account.Can(&account.Actor{User: u}, account.ServiceMarkFresh, t); err != nil {
		return nil, err
	}
	return r.cfg.Catalog.Change(ctx, svc.ID, catalog.Edit{By: directory.Author{UserID: u.ID, Name: u.Name}, Action: account.ServiceMarkFresh.Label()},
		func(*directory.Service) error { return nil })
}

// StopURL is the one-click unsubscribe link of a kind of reminder.
func (r *Reminders) StopURL(userID string, kind directory.Reminder) string {
	return r.url(StopPath + "/" + userID + "/" + string(kind) + "/" + r.stop.Sign(userID, string(kind)))
}

// Stop switches the kind off for the user if sig signs them: ENOTFOUND
// otherwise.
func (r *Reminders) Stop(ctx context.Context, userID string, kind directory.Reminder, sig string) error {
	if !r.stop.Valid(sig, userID, string(kind)) {
		return directory.Errorf(directory.ENOTFOUND, "Ce lien n’est pas valide.")
	}
	return r.cfg.Accounts.StopReminder(ctx, userID, kind)
}

// queue writes a reminder to the user, unless they switched the kind off.
func (r *Reminders) queue(ctx context.Context, key string, u *directory.User, kind directory.Reminder, l mail.Letter) error {
	if !u.Wants(kind) {
		return nil
	}
	l.To, l.Greeting = u.Email, hello(u.Name)
	l.Unsubscribe = r.StopURL(u.ID, kind)
	l.Why = "Vous recevez ce rappel car vous avez un compte sur Repère. Vous pouvez choisir vos rappels dans votre compte."
	l.Footer = append(l.Footer, mail.Link{Label: "Mes rappels", URL: r.url("/compte#rappels")}, mail.Link{Label: "Ne plus recevoir ce rappel", URL: l.Unsubscribe})
	_, err := r.cfg.Outbox.Queue(ctx, key, "rappel-"+string(kind), l.Message())
	return err
}

func hello(name string) string {
	if name = strings.TrimSpace(name); name == "" {
		return "Bonjour,"
	}
	return "Bonjour " + name + ","
}

// users reads users by id, once each; unknown ones are left out.
type users struct {
	s    *store.Store
	seen map[string]*directory.User
}

func (us *users) get(ctx context.Context, id string) (*directory.User, error) {
	if u, ok := us.seen[id]; ok {
		return u, nil
	}
	u, err := us.s.User(ctx, id)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		err = nil
	}
	if us.seen == nil {
		us.seen = map[string]*directory.User{}
	}
	us.seen[id] = u
	return u, err
}

// Freshness is the monthly job: to each member of a structure (and the
// administrators of its parent, for an antenne), the published services
// past their update frequency and the drafts left more than a week, all
// their structures in one mail.
func (r *Reminders) Freshness(ctx context.Context, slot time.Time) error {
	now := r.cfg.Now()
	accounts := map[string]*directory.StructureAccount{}
	err := r.cfg.Store.EachStructureAccount(ctx, func(sa *directory.StructureAccount) error {
		accounts[sa.ID] = sa
		return nil
	})
	if err != nil {
		return err
	}
	perUser := map[string][]mail.Section{}
	stale := map[string]int{}
	var ids []string
	for id := range accounts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		sa := accounts[id]
		recipients := memberIDs(sa.Members)
		if p := accounts[sa.ParentID]; p != nil {
			recipients = appendNew(recipients, memberIDs(p.Admins())...)
		}
		if len(recipients) == 0 {
			continue
		}
		st, svcs, err := r.structureServices(ctx, id)
		if err != nil || st == nil {
			return err
		}
		for _, u := range recipients {
			sec := mail.Section{Title: st.Name}
			for _, svc := range svcs {
				switch {
				case svc.Status == directory.StatusPublished && svc.Stale(now):
					sec.Items = append(sec.Items, mail.Item{Title: svc.Name, URL: r.url("/espace/services/" + svc.ID), Badge: "À actualiser",
						Lines:  []string{"Dernière mise à jour le " + directory.FrenchDate(svc.UpdatedAt) + " (à confirmer " + strings.ToLower(svc.UpdateFrequency.Label()) + ")"},
						Action: &mail.Link{Label: "Toujours à jour", URL: r.FreshURL(svc.ID, u, now)}})
					stale[u]++
				case svc.Status == directory.StatusDraft && now.Sub(svc.UpdatedAt) > draftAge:
					sec.Items = append(sec.Items, mail.Item{Title: svc.Name, URL: r.url("/espace/services/" + svc.ID), Badge: "Brouillon",
						Lines: []string{"Brouillon laissé depuis le " + directory.FrenchDate(svc.UpdatedAt)}})
				}
			}
			if len(sec.Items) > 0 {
				perUser[u] = append(perUser[u], sec)
			}
		}
	}
	us := users{s: r.cfg.Store}
	month := slot.In(directory.Paris).Format("2006-01")
	for uid, sections := range perUser {
		u, err := us.get(ctx, uid)
		if err != nil {
			return err
		}
		if u == nil {
			continue
		}
		subject := "Vos services à vérifier sur Repère"
		if n := stale[uid]; n > 0 {
			subject = plural(n, "service à confirmer", "services à confirmer") + " sur Repère"
		}
		l := mail.Letter{Subject: subject, Sections: sections,
			Intro:  []string{"Les professionnels comptent sur des fiches exactes. Voici ce qui attend votre attention dans vos structures."},
			Outro:  []string{"Un service « à actualiser » n’a pas été confirmé depuis sa fréquence de mise à jour : s’il est toujours exact, le bouton « Toujours à jour » suffit, sans mot de passe ; sinon, modifiez-le depuis votre espace. Un brouillon n’est visible de personne tant qu’il n’est pas publié."},
			Footer: []mail.Link{{Label: "Mon espace", URL: r.url(account.DashboardPath)}}}
		if err := r.queue(ctx, "rappel-fraicheur:"+month+":"+uid, u, directory.ReminderFreshness, l); err != nil {
			return err
		}
	}
	return nil
}

// structureServices reads a structure and its services; a structure gone
// is nil.
func (r *Reminders) structureServices(ctx context.Context, id string) (*directory.Structure, []*directory.Service, error) {
	st, err := r.cfg.Store.Structure(ctx, id)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, err
	}
	ids, err := r.cfg.Store.ServiceIDsOfStructure(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	var out []*directory.Service
	for _, sid := range ids {
		svc, err := r.cfg.Store.Service(ctx, sid)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, nil, err
		}
		out = append(out, svc)
	}
	slices.SortFunc(out, func(a, b *directory.Service) int { return strings.Compare(a.Name, b.Name) })
	return st, out, nil
}

// requestDays are the days after a join request when its structure's
// administrators are reminded of it.
var requestDays = []int{7, 3, 1}

// JoinRequests is the daily job: the administrators of a structure hear of
// each join request still waiting 1, 3 and 7 days (calendar days, in Paris)
// after it was made. A day missed (the site was down) is made up by the
// next, once.
func (r *Reminders) JoinRequests(ctx context.Context, slot time.Time) error {
	today := day(slot)
	us := users{s: r.cfg.Store}
	return r.cfg.Store.EachStructureAccount(ctx, func(sa *directory.StructureAccount) error {
		admins := sa.Admins()
		if len(sa.JoinRequests) == 0 || len(admins) == 0 {
			return nil
		}
		st, err := r.cfg.Store.Structure(ctx, sa.ID)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		for _, jr := range sa.JoinRequests {
			age := int(today.Sub(day(jr.At)).Hours()+12) / 24 // whole days, summer time or not
			n := 0
			for _, d := range requestDays {
				if age >= d {
					n = d
					break
				}
			}
			if n == 0 {
				continue
			}
			for _, m := range admins {
				u, err := us.get(ctx, m.UserID)
				if err != nil {
					return err
				}
				if u == nil {
					continue
				}
				who := jr.Name + " (" + jr.Email + ")"
				l := mail.Letter{Subject: fmt.Sprintf("Rappel : %s attend votre réponse pour rejoindre %s", jr.Name, st.Name),
					Intro: []string{fmt.Sprintf("%s a demandé à rejoindre la structure « %s » sur Repère le %s. Sa demande attend toujours une réponse.", who, st.Name, directory.FrenchDate(jr.At))},
					Sections: []mail.Section{{Title: "Demande en attente", Items: []mail.Item{{Title: who, URL: r.url(account.MembersPath(sa.ID)),
						Lines: requestLines(jr), Action: &mail.Link{Label: "Répondre à la demande", URL: r.url(account.MembersPath(sa.ID))}}}}},
					Outro:  []string{"Sans réponse, la personne ne peut pas mettre à jour les services de la structure."},
					Footer: []mail.Link{{Label: "Mon espace", URL: r.url(account.DashboardPath)}}}
				key := fmt.Sprintf("rappel-demande:%s:%s:j%d:%s", sa.ID, jr.UserID, n, u.ID)
				if err := r.queue(ctx, key, u, directory.ReminderRequests, l); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

func requestLines(jr directory.JoinRequest) []string {
	lines := []string{"Demande du " + directory.FrenchDate(jr.At)}
	if jr.Message != "" {
		lines = append(lines, "Son message : « "+jr.Message+" »")
	}
	return lines
}

// day is the midnight, in Paris, that starts t's day.
func day(t time.Time) time.Time {
	y, m, d := t.In(directory.Paris).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, directory.Paris)
}

func memberIDs(ms []directory.Member) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.UserID
	}
	return out
}

func appendNew(list []string, more ...string) []string {
	for _, x := range more {
		if !slices.Contains(list, x) {
			list = append(list, x)
		}
	}
	return list
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
