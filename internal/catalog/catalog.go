// Package catalog is the write path of services: the store is the truth, the
// search index follows it. Without transactions the two writes cannot be
// atomic, so every write is announced in the store's change log first; the
// start-up reconciliation and the change-log follower heal whatever a crash
// leaves between the two.
package catalog

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
	"github.com/repere-spie/repere/internal/store"
)

// Catalog writes services to the store and the index.
type Catalog struct {
	store  *store.Store
	index  *indexer.Index
	places *geo.Gazetteer // names zones in the history
	log    *slog.Logger
	now    func() time.Time
}

// New returns a catalog over s and ix.
func New(s *store.Store, ix *indexer.Index, places *geo.Gazetteer, log *slog.Logger) *Catalog {
	return &Catalog{store: s, index: ix, places: places, log: log, now: time.Now}
}

// CreateService stores a new service and makes it searchable before returning.
func (c *Catalog) CreateService(ctx context.Context, svc *directory.Service) error {
	if svc.ID == "" {
		svc.ID = directory.NewID()
	}
	svc.Version = 0
	directory.Announce(nil, svc, c.now())
	if err := c.store.LogChange(ctx, svc.ID, 1); err != nil {
		return err
	}
	if err := c.store.CreateService(ctx, svc); err != nil {
		return err
	}
	return c.put(ctx, svc)
}

// UpdateService stores svc if nobody wrote it since svc.Version was read
// (ECONFLICT otherwise) and updates the index before returning. Saving
// confirms the service is up to date.
func (c *Catalog) UpdateService(ctx context.Context, svc *directory.Service) error {
	prev, err := c.store.Service(ctx, svc.ID)
	if err != nil {
		return err
	}
	now := c.now()
	svc.UpdatedAt = now
	directory.Announce(prev, svc, now)
	if err := c.store.LogChange(ctx, svc.ID, svc.Version+1); err != nil {
		return err
	}
	if err := c.store.UpdateService(ctx, svc); err != nil {
		return err
	}
	return c.put(ctx, svc)
}

// put indexes svc with its structure's current name.
func (c *Catalog) put(ctx context.Context, svc *directory.Service) error {
	st, err := c.store.Structure(ctx, svc.StructureID)
	if err != nil && directory.ErrorCode(err) != directory.ENOTFOUND {
		return err
	}
	if svc, err = c.moderated(ctx, svc); err != nil {
		return err
	}
	if err := c.index.Put(svc, st); err != nil {
		// The store holds the write; the follower or the next start-up
		// re-indexes it. The caller must still know search lags.
		return &indexLagError{fmt.Errorf("catalog: service %s saved but not indexed: %w", svc.ID, err)}
	}
	return nil
}

// Reindex reads the service by id and puts it in the index as stored; a
// service the store no longer has leaves the index.
func (c *Catalog) Reindex(ctx context.Context, id string) error {
	svc, err := c.store.Service(ctx, id)
	return c.reindexRead(ctx, id, svc, err)
}

// reindexRead is Reindex once the service has been read (svc, err).
func (c *Catalog) reindexRead(ctx context.Context, id string, svc *directory.Service, err error) error {
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return c.index.Delete(id)
	} else if err != nil {
		return err
	}
	return c.put(ctx, svc)
}

// moderated returns svc as the public may see it: the services of a structure
// refused by moderation leave the site whatever their status.
func (c *Catalog) moderated(ctx context.Context, svc *directory.Service) (*directory.Service, error) {
	if svc.Status != directory.StatusPublished {
		return svc, nil
	}
	acc, err := c.store.StructureAccount(ctx, svc.StructureID)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return svc, nil
	} else if err != nil {
		return nil, err
	}
	if acc.Moderation.Listed() {
		return svc, nil
	}
	return unlisted(svc), nil
}

// unlisted is a copy of svc that the index keeps out of every search.
func unlisted(svc *directory.Service) *directory.Service {
	hidden := *svc
	hidden.Status = directory.StatusArchived
	return &hidden
}

// Rebuild rebuilds the index from the store, moderation applied.
func (c *Catalog) Rebuild(ctx context.Context, progress func(done int)) error {
	// Only structures created on Repère have an account, so the refused ones
	// are few: list them once rather than look each service's up.
	refused := map[string]bool{}
	err := c.store.EachStructureAccount(ctx, func(a *directory.StructureAccount) error {
		if !a.Moderation.Listed() {
			refused[a.ID] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	return c.index.Rebuild(ctx, moderatedSource{c.store, refused}, progress)
}

// moderatedSource is the store as the index must see it.
type moderatedSource struct {
	store   *store.Store
	refused map[string]bool
}

func (m moderatedSource) EachService(ctx context.Context, fn func(*directory.Service) error) error {
	return m.store.EachService(ctx, func(svc *directory.Service) error {
		if m.refused[svc.StructureID] && svc.Status == directory.StatusPublished {
			svc = unlisted(svc)
		}
		return fn(svc)
	})
}

func (m moderatedSource) Structure(ctx context.Context, id string) (*directory.Structure, error) {
	return m.store.Structure(ctx, id)
}

func (m moderatedSource) EachStructure(ctx context.Context, fn func(*directory.Structure) error) error {
	return m.store.EachStructure(ctx, fn)
}

// ReindexStructure re-indexes every service of a structure, after its name,
// place or moderation state changed.
func (c *Catalog) ReindexStructure(ctx context.Context, structureID string) error {
	ids, err := c.store.ServiceIDsOfStructure(ctx, structureID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := c.Reindex(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// Reconcile compares every service's version in the store with the one the
// index holds and re-indexes the differences. It reads the whole services
// collection: a start-up and maintenance job, run beside serving.
func (c *Catalog) Reconcile(ctx context.Context) (fixed int, err error) {
	indexed, err := c.index.Versions()
	if err != nil {
		return 0, err
	}
	// Ids and versions only: through the driver, decoding whole documents
	// took 1 min 44 s at 100k services on a busy machine.
	type versioned struct {
		ID      string `bson:"_id"`
		Version int64  `bson:"version"`
	}
	var stale []string
	err = store.EachServiceInto(ctx, c.store, func(s *versioned) error {
		v, ok := indexed[s.ID]
		delete(indexed, s.ID)
		if !ok || v != s.Version {
			stale = append(stale, s.ID)
		}
		return nil
	})
	if err != nil {
		return fixed, err
	}
	for _, id := range stale {
		if err := c.Reindex(ctx, id); err != nil {
			return fixed, err
		}
		fixed++
	}
	for id := range indexed { // in the index, gone from the store
		if err := c.index.Delete(id); err != nil {
			return fixed, err
		}
		fixed++
	}
	return fixed, nil
}

// changeLogKept is how long the change log keeps a change.
const changeLogKept = 24 * time.Hour

// Follow re-indexes the services other instances write, by polling the change
// log every interval until ctx ends. Polls overlap by a margin so that a change
// logged by a slower clock or a slower writer is not missed; each change is
// applied once.
func (c *Catalog) Follow(ctx context.Context, interval time.Duration) {
	const overlap = 5 * time.Second
	since := c.now().Add(-overlap)
	// After a restart, catch up from where the index was brought, if the
	// change log still holds it (kept a day, see PruneChanges below); the
	// start-up reconciliation compares everything anyway, in the background.
	if f := c.index.Followed(); f.Before(since) && c.now().Sub(f) < changeLogKept-time.Hour {
		since = f
	}
	saved := since
	seen := map[string]time.Time{} // change id -> logged at
	lastPrune := time.Time{}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		start := c.now()
		changes, err := c.store.ChangesSince(ctx, since)
		if err != nil {
			c.log.Warn("lecture du journal des modifications impossible", "err", err)
			continue
		}
		next := start.Add(-overlap)
		for _, ch := range changes {
			key := ch.ID.Hex() + "/" + ch.ServiceID // a batch logs many services under one id
			if _, done := seen[key]; done {
				continue
			}
			svc, err := c.store.Service(ctx, ch.ServiceID)
			if err == nil && svc.Version < ch.Version && start.Sub(ch.At) < time.Minute {
				// Announced but not written yet: read it again next poll.
				if ch.At.Before(next) {
					next = ch.At
				}
				continue
			}
			if err := c.reindexRead(ctx, ch.ServiceID, svc, err); err != nil {
				c.log.Warn("réindexation impossible", "service", ch.ServiceID, "err", err)
				continue
			}
			seen[key] = ch.At
		}
		since = next
		if since.Sub(saved) > 30*time.Second { // not a disk write every poll
			if err := c.index.SetFollowed(since); err == nil {
				saved = since
			}
		}
		for k, at := range seen {
			if at.Before(since) {
				delete(seen, k)
			}
		}
		if start.Sub(lastPrune) > time.Hour {
			lastPrune = start
			if _, err := c.store.PruneChanges(ctx, start.Add(-changeLogKept)); err != nil {
				c.log.Warn("purge du journal des modifications impossible", "err", err)
			}
		}
	}
}
