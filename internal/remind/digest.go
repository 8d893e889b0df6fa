package remind

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/mail"
)

// digestListed bounds the services gone stale that a digest names.
const digestListed = 20

// staleService is a published service whose update frequency ran out
// during the week of a digest.
type staleService struct {
	id, name string
	since    time.Time
}

// ModerationDigest is the weekly job: to each territory moderator, the
// structures of their départements waiting for verification (the new ones
// first), the services there gone stale during the week, and the imports
// done. Nothing to tell, no mail. A week's digest is news for a day: one
// the site missed (down that Monday, or started for the first time later
// in the week) waits for the next week's.
func (r *Reminders) ModerationDigest(ctx context.Context, slot time.Time) error {
	if r.cfg.Now().Sub(slot) > 24*time.Hour {
		r.cfg.Log.Info("récapitulatif des gestionnaires manqué, attendu la semaine prochaine", "créneau", slot)
		return nil
	}
	mods, err := r.cfg.Accounts.TerritoryModerators(ctx)
	if err != nil || len(mods) == 0 {
		return err
	}
	since := slot.AddDate(0, 0, -7)
	stale, err := r.goneStale(ctx, since, slot)
	if err != nil {
		return err
	}
	year, week := slot.In(directory.Paris).ISOWeek()
	for _, u := range mods {
		l, ok, err := r.digest(ctx, u, stale, since, slot)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := r.queue(ctx, fmt.Sprintf("rappel-moderation:%d-W%02d:%s", year, week, u.ID), u, directory.ReminderModeration, l); err != nil {
			return err
		}
	}
	return nil
}

// digest writes one moderator's letter; ok is false when there is nothing
// to tell.
func (r *Reminders) digest(ctx context.Context, u *directory.User, stale map[string][]staleService, since, until time.Time) (mail.Letter, bool, error) {
	var l mail.Letter
	queue, err := r.cfg.Accounts.ModerationQueue(ctx, &account.Actor{User: u})
	if err != nil {
		return l, false, err
	}
	deps := strings.Join(u.ModeratorOf, ", ")
	if len(queue) > 0 {
		sec := mail.Section{Title: "Structures à vérifier"}
		for _, q := range queue {
			it := mail.Item{Title: q.Structure.Name, URL: r.url("/espace/moderation/" + q.Structure.ID),
				Lines: []string{"Inscrite le " + directory.FrenchDate(q.Account.CreatedAt)}}
			if !q.Account.CreatedAt.Before(since) {
				it.Badge = "Nouvelle"
			}
			if q.Account.Moderation != directory.ModerationPending {
				it.Lines = append(it.Lines, "Sans administrateur : des demandes d’adhésion attendent votre réponse")
			}
			sec.Items = append(sec.Items, it)
		}
		l.Sections = append(l.Sections, sec)
	}
	var gone []staleService
	for _, d := range u.ModeratorOf {
		gone = append(gone, stale[d]...)
	}
	if len(gone) > 0 {
		slices.SortFunc(gone, func(a, b staleService) int { return a.since.Compare(b.since) })
		sec := mail.Section{Title: "Services devenus à actualiser cette semaine"}
		for _, s := range gone[:min(len(gone), digestListed)] {
			sec.Items = append(sec.Items, mail.Item{Title: s.name, URL: r.url("/espace/services/" + s.id),
				Lines: []string{"À actualiser depuis le " + directory.FrenchDate(s.since)}})
		}
		if len(gone) > digestListed {
			sec.More = &mail.Link{Label: fmt.Sprintf("Et %d autres : les structures concernées reçoivent aussi un rappel mensuel.", len(gone)-digestListed), URL: r.url(account.ModerationPath)}
		}
		l.Sections = append(l.Sections, sec)
	}
	if r.cfg.Imports != nil {
		imports, err := r.cfg.Imports(ctx, u.ModeratorOf, since, until)
		if err != nil {
			return l, false, err
		}
		if len(imports) > 0 {
			sec := mail.Section{Title: "Imports de la semaine"}
			for _, im := range imports {
				sec.Items = append(sec.Items, mail.Item{Title: im.Source + ", le " + directory.FrenchDate(im.At), Lines: []string{im.Summary}})
			}
			l.Sections = append(l.Sections, sec)
		}
	}
	if len(l.Sections) == 0 {
		return l, false, nil
	}
	l.Subject = "Votre territoire sur Repère : la semaine du " + directory.FrenchDate(since)
	l.Intro = []string{"Voici ce qui s’est passé cette semaine dans votre territoire (" + deps + ")."}
	l.Footer = []mail.Link{{Label: "File de vérification", URL: r.url(account.ModerationPath)}}
	return l, true, nil
}

// goneStale lists, by département, the published services whose update
// frequency ran out in [since, until). It reads every service: once a week.
func (r *Reminders) goneStale(ctx context.Context, since, until time.Time) (map[string][]staleService, error) {
	out := map[string][]staleService{}
	noPlace := map[string][]staleService{} // by structure, placed after the scan
	err := r.cfg.Store.EachService(ctx, func(svc *directory.Service) error {
		if svc.Status != directory.StatusPublished {
			return nil
		}
		at := svc.UpdatedAt.Add(svc.UpdateFrequency.Period())
		if at.Before(since) || !at.Before(until) {
			return nil
		}
		s := staleService{id: svc.ID, name: svc.Name, since: at}
		if dep := directory.DepartementOfCommune(svc.CodeInsee); dep != "" {
			out[dep] = append(out[dep], s)
		} else {
			noPlace[svc.StructureID] = append(noPlace[svc.StructureID], s)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for id, list := range noPlace {
		st, err := r.cfg.Store.Structure(ctx, id)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		if dep := directory.DepartementOfCommune(st.CodeInsee); dep != "" {
			out[dep] = append(out[dep], list...)
		}
	}
	return out, nil
}
