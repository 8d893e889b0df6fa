package alert

import (
	"context"
	"fmt"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/mail"
	"github.com/repere-spie/repere/internal/outbox"
	"github.com/repere-spie/repere/internal/store"
)

// IndexLag is how long before a run its window ends: a service announced
// just before a run may not be in this instance's index yet (the writes of
// other instances arrive through the change log). It is in the next window.
const IndexLag = 5 * time.Minute

// MaxListed bounds the services one mail lists; the rest is a link to the
// search.
const MaxListed = 30

// window is what one run sends for one frequency: the news announced in
// (from, until], as the period's mail.
type window struct {
	frequency   directory.AlertFrequency
	period      string
	from, until time.Time
}

// Run is the daily job: for each frequency whose period changed since its
// last run (every day, each new ISO week, each new month), it mails every
// confirmed alert of that frequency the news of its search since the end
// of the last window (or since the alert started, if later). The window
// ends where the last one stopped, so a day the site was down is caught up,
// never skipped. Mails are queued under the key alert + period + address:
// a run repeated after a crash queues nothing twice.
func (a *Alerts) Run(ctx context.Context, slot time.Time) error {
	_, err := a.Send(ctx, slot)
	return err
}

// Stats count what a run did.
type Stats struct {
	Alerts   int // confirmed alerts whose window was due
	Searches int // distinct searches run
	Queued   int // mails queued
}

// Send is Run, counting.
func (a *Alerts) Send(ctx context.Context, slot time.Time) (Stats, error) {
	var st Stats
	until := slot.Add(-IndexLag)
	var due []window
	for _, f := range directory.AlertFrequencies {
		w := window{frequency: f, period: f.Period(slot), until: until}
		last, err := a.cfg.Store.AlertRun(ctx, f)
		if err != nil {
			return st, err
		}
		switch {
		case last != nil && last.Period == w.period:
			continue
		case last != nil:
			w.from = last.Until
		default: // the first run: the period before
			w.from = firstWindow(f, until)
		}
		due = append(due, w)
	}
	if len(due) == 0 {
		return st, nil
	}
	byFreq := map[directory.AlertFrequency][]*directory.Alert{}
	err := a.cfg.Store.EachAlert(ctx, func(al *directory.Alert) error {
		if al.Confirmed() {
			byFreq[al.Frequency] = append(byFreq[al.Frequency], al)
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	for _, w := range due {
		searches, queued, err := a.sendWindow(ctx, w, byFreq[w.frequency])
		st.Alerts, st.Searches, st.Queued = st.Alerts+len(byFreq[w.frequency]), st.Searches+searches, st.Queued+queued
		if err != nil {
			return st, err
		}
		if err := a.cfg.Store.SaveAlertRun(ctx, &store.AlertRun{Frequency: w.frequency, Period: w.period, Until: w.until}); err != nil {
			return st, err
		}
		a.cfg.Log.Info("alertes préparées", "fréquence", string(w.frequency), "période", w.period, "alertes", len(byFreq[w.frequency]), "courriels", queued)
	}
	if n, err := a.PruneUnconfirmed(ctx, a.cfg.Now()); err != nil {
		return st, err
	} else if n > 0 {
		a.cfg.Log.Info("alertes jamais confirmées supprimées", "nombre", n)
	}
	return st, nil
}

func firstWindow(f directory.AlertFrequency, until time.Time) time.Time {
	switch f {
	case directory.AlertWeekly:
		return until.AddDate(0, 0, -7)
	case directory.AlertMonthly:
		return until.AddDate(0, -1, 0)
	}
	return until.AddDate(0, 0, -1)
}

// sendWindow queues the mails of one window: each distinct search is run
// once, on every core, and its news filtered for each alert.
func (a *Alerts) sendWindow(ctx context.Context, w window, alerts []*directory.Alert) (searches, queued int, err error) {
	byQuery := map[string][]*directory.Alert{}
	var queries []string
	for _, al := range alerts {
		if byQuery[al.Query] == nil {
			queries = append(queries, al.Query)
		}
		byQuery[al.Query] = append(byQuery[al.Query], al)
	}
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	failed := func() bool { mu.Lock(); defer mu.Unlock(); return firstErr != nil }
	// The searches run on every core; one writer queues their mails in
	// batches, a round trip to the store each.
	jobs, mails, written := make(chan string), make(chan outbox.Queued, queueBatch), make(chan struct{})
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for query := range jobs {
				if err := a.compose(ctx, w, query, byQuery[query], mails); err != nil {
					fail(err)
				}
			}
		}()
	}
	go func() {
		defer close(written)
		batch := make([]outbox.Queued, 0, queueBatch)
		flush := func() {
			n, err := a.cfg.Outbox.QueueMany(ctx, batch)
			queued += n
			if err != nil {
				fail(err)
			}
			batch = batch[:0]
		}
		for m := range mails {
			if batch = append(batch, m); len(batch) == queueBatch {
				flush()
			}
		}
		if len(batch) > 0 {
			flush()
		}
	}()
	for _, q := range queries {
		if ctx.Err() != nil || failed() {
			break
		}
		jobs <- q
	}
	close(jobs)
	wg.Wait()
	close(mails)
	<-written
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return len(queries), queued, firstErr
}

// queueBatch is how many mails one write to the outbox queues.
const queueBatch = 200

// compose runs one search and passes on the mail of each of its alerts
// that has news.
func (a *Alerts) compose(ctx context.Context, w window, query string, alerts []*directory.Alert, mails chan<- outbox.Queued) error {
	v, _ := url.ParseQuery(query)
	q, err := a.parse(v)
	if err != nil {
		// A search that no longer parses (a commune merged away): its
		// subscribers keep the alert, and hear nothing from it.
		a.cfg.Log.Warn("alerte illisible", "recherche", query, "err", err)
		return nil
	}
	q.Now = a.cfg.Now()
	news, err := a.cfg.Index.LatestSince(ctx, q, w.from, indexer.MaxLatest)
	if err != nil {
		if directory.ErrorCode(err) == directory.EINVALID {
			a.cfg.Log.Warn("alerte illisible", "recherche", query, "err", err)
			return nil
		}
		return err
	}
	for _, al := range alerts {
		from := w.from
		if al.Since.After(from) {
			from = al.Since
		}
		var items []indexer.Announcement
		for _, an := range news {
			if an.AnnouncedAt.After(from) && !an.AnnouncedAt.After(w.until) {
				items = append(items, an)
			}
		}
		if len(items) == 0 {
			continue
		}
		mails <- outbox.Queued{Key: "alerte:" + al.ID + ":" + w.period + ":" + al.Email, Kind: "alerte",
			Mail: a.letter(al, q, items, from, len(news) == indexer.MaxLatest).Message()}
	}
	return nil
}

// letter is the mail of an alert: its news by thématique.
func (a *Alerts) letter(al *directory.Alert, q directory.SearchQuery, items []indexer.Announcement, from time.Time, saturated bool) mail.Letter {
	count := plural(len(items), "nouveauté", "nouveautés")
	if saturated && len(items) == indexer.MaxLatest {
		count = "Plus de " + count
	}
	l := mail.Letter{To: al.Email, Subject: count + " pour votre alerte « " + directory.Shorten(al.Title, 60) + " »", Greeting: "Bonjour,",
		Intro: []string{fmt.Sprintf("Voici les services publiés, ou modifiés de façon importante, depuis le %s pour votre recherche « %s ».",
			directory.FrenchDate(from), al.Title)},
		Why: "Vous recevez ce courriel car vous avez créé cette alerte sur Repère (" + strings.ToLower(al.Frequency.Label()) + ").",
		Footer: []mail.Link{{Label: "Voir la recherche", URL: a.SearchURL(al)}, {Label: "Gérer mes alertes", URL: a.ManageURL(al.Email)},
			{Label: "Se désabonner", URL: a.UnsubscribeURL(al.ID)}},
		Unsubscribe: a.UnsubscribeURL(al.ID)}
	listed := items[:min(len(items), MaxListed)]
	groups := map[string][]mail.Item{}
	for _, an := range listed {
		c := category(an.Thematiques, q.Thematiques)
		it := mail.Item{Title: an.Name, URL: a.url("/services/" + an.ID), Badge: "Modifié", Lines: []string{where(an)}}
		if an.PublishedAt.After(from) {
			it.Badge = "Nouveau"
		}
		groups[c] = append(groups[c], it)
	}
	for _, c := range directory.ThematiqueCategories.Terms() {
		if len(groups[c.Value]) > 0 {
			l.Sections = append(l.Sections, mail.Section{Title: c.Label, Items: groups[c.Value]})
		}
	}
	if len(groups[""]) > 0 {
		l.Sections = append(l.Sections, mail.Section{Title: "Autres services", Items: groups[""]})
	}
	if rest := len(items) - len(listed); rest > 0 {
		l.Sections[len(l.Sections)-1].More = &mail.Link{Label: fmt.Sprintf("Et %s : voir la recherche, triée par date", plural(rest, "autre", "autres")),
			URL: a.SearchURL(al) + "&sort=date"}
	}
	return l
}

// category is the thématique category a service is listed under: the first
// of its categories the search asked for, else its first.
func category(thematiques, asked []string) string {
	var first string
	for _, t := range thematiques {
		c := directory.CategoryOf(t)
		if first == "" {
			first = c
		}
		for _, x := range asked {
			if x == c || directory.CategoryOf(x) == c {
				return c
			}
		}
	}
	return first
}

// where is "Structure · Commune", or "À distance".
func where(an indexer.Announcement) string {
	parts := []string{an.StructureName}
	switch {
	case an.CommuneName != "":
		parts = append(parts, an.CommuneName)
	case an.Remote:
		parts = append(parts, "À distance")
	}
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " · ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
