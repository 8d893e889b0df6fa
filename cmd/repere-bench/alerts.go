package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/repere-spie/repere/internal/app"
	"github.com/repere-spie/repere/internal/directory"
)

// benchAlertsCmd measures the weekly alerts job on a prepared data
// directory: n saved searches, weekly, over its services, of which some
// are announced during the week (published or changed significantly). Each
// round computes every alert's news and queues the mails in the outbox, as
// the job does on Monday morning; then the round's mails and run are
// removed, so that rounds and later benchmarks start alike.
func benchAlertsCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	n := fs.Int("alerts", 10_000, "recherches enregistrées (hebdomadaires)")
	news := fs.Int("news", 1_000, "services annoncés dans la semaine")
	rounds := fs.Int("rounds", 3, "passages mesurés")
	profile := fs.String("cpuprofile", "", "fichier où écrire le profil CPU des passages")
	return func(ctx context.Context, m *app.Main) error {
		m.Config.Demo = false
		m.Config.DevMailbox = true // nothing is sent: the outbox only fills
		if err := m.Open(ctx); err != nil {
			return err
		}
		if m.Index.NeedsRebuild() {
			return fmt.Errorf("no index in %s: run repere-bench prepare first", m.Config.IndexDir)
		}
		total, err := m.Store.CountServices(ctx)
		if err != nil {
			return err
		}
		rng := rand.New(rand.NewPCG(13, 17))
		now := time.Now()
		if err := announceWeek(ctx, m, rng, *news, now); err != nil {
			return err
		}
		alerts := benchAlerts(m, rng, *n, now)
		if err := m.Store.DeleteAlerts(ctx, alertIDs(alerts)); err != nil {
			return err
		}
		if err := m.Store.InsertAlerts(ctx, alerts); err != nil {
			return err
		}
		defer func() {
			_ = m.Store.DeleteAlerts(context.WithoutCancel(ctx), alertIDs(alerts))
			_ = m.Store.DeleteOutboxKind(context.WithoutCancel(ctx), "alerte")
		}()

		fmt.Printf("\nRepère – alertes hebdomadaires (%d recherches enregistrées, %d services, %d annoncés dans la semaine, %d cœurs)\n",
			*n, total, *news, runtime.NumCPU())
		stop, err := cpuProfile(*profile)
		if err != nil {
			return err
		}
		defer stop()
		var times []time.Duration
		for r := range *rounds {
			if err := m.Store.ResetAlertRuns(ctx); err != nil {
				return err
			}
			if err := m.Store.DeleteOutboxKind(ctx, "alerte"); err != nil {
				return err
			}
			start := time.Now()
			stats, err := m.Alerts.Send(ctx, now)
			if err != nil {
				return err
			}
			d := time.Since(start)
			times = append(times, d)
			fmt.Printf("  passage %d : %-28s %d recherches distinctes, %d courriels mis en file\n", r+1, d.Round(time.Millisecond), stats.Searches, stats.Queued)
		}
		slices.Sort(times)
		fmt.Printf("  %-42s %s (objectif ≤ 60 s sur 2 cœurs)\n", "calcul et mise en file, médiane", times[len(times)/2].Round(time.Millisecond))
		return nil
	}
}

// announceWeek announces news services during the week before now, as
// partners and imports would: each gets a significant change (its phone)
// dated at a random moment of the week. Written to the store, then
// re-indexed; the same services on every run.
func announceWeek(ctx context.Context, m *app.Main, rng *rand.Rand, news int, now time.Time) error {
	var ids []string
	err := m.Index.Each(ctx, func(h directory.Hit) error {
		ids = append(ids, h.ID)
		return nil
	})
	if err != nil {
		return err
	}
	slices.Sort(ids)
	r := rand.New(rand.NewPCG(5, 5))
	r.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	for i, id := range ids[:min(news, len(ids))] {
		svc, err := m.Store.Service(ctx, id)
		if err != nil {
			return err
		}
		at := now.Add(-time.Duration(rng.Int64N(int64(7 * 24 * time.Hour)))).UTC()
		svc.Phone = "+3359999" + fmt.Sprintf("%04d", i)
		svc.AnnouncedAt, svc.AnnouncedVersion = &at, svc.Version+1
		if err := m.Store.UpdateService(ctx, svc); err != nil {
			return err
		}
		if err := m.Catalog.Reindex(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// benchAlerts are n weekly saved searches as professionals make them: a
// commune (the populated ones more often) with a thématique, a besoin or
// words, sometimes a radius or a filter; a few for all of France.
func benchAlerts(m *app.Main, rng *rand.Rand, n int, now time.Time) []*directory.Alert {
	communes := populatedCommunes(m, 2000)
	cats := directory.ThematiqueCategories.Terms()
	besoins := directory.Thematiques.Terms()
	words := []string{"garde d'enfants", "permis de conduire", "logement", "aide alimentaire", "numérique", "emploi", "santé", "formation", "vélo", "budget"}
	since := now.AddDate(0, 0, -30).UTC()
	out := make([]*directory.Alert, n)
	for i := range out {
		v := url.Values{}
		if rng.IntN(20) > 0 {
			v.Set("code_commune", communes[rng.IntN(len(communes))].Code)
			if rng.IntN(4) == 0 {
				v.Set("rayon", strconv.Itoa(directory.SearchRadii[rng.IntN(len(directory.SearchRadii))]))
			}
		}
		switch rng.IntN(10) {
		case 0, 1, 2, 3:
			v.Set("thematiques", cats[rng.IntN(len(cats))].Value)
		case 4, 5, 6:
			v.Set("thematiques", besoins[rng.IntN(len(besoins))].Value)
		case 7, 8:
			v.Set("q", words[rng.IntN(len(words))])
		}
		if rng.IntN(5) == 0 {
			v.Set("frais", "gratuit")
		}
		out[i] = &directory.Alert{ID: fmt.Sprintf("bench-alerte-%05d", i), Email: fmt.Sprintf("abonne%05d@bench.repere.invalid", i),
			Query: v.Encode(), Title: "recherche " + strconv.Itoa(i), Frequency: directory.AlertWeekly,
			ConfirmedAt: &since, Since: since, CreatedAt: since, UpdatedAt: since}
	}
	return out
}

func alertIDs(as []*directory.Alert) []string {
	ids := make([]string, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	return ids
}
