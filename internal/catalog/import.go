package catalog

import (
	"context"
	"fmt"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// Imported is one write of an import: a new service (Prev nil) or a new
// version of Prev, the service as stored when the import read it.
type Imported struct {
	Service *directory.Service
	Prev    *directory.Service
}

// Batch is what an import writes at once, with what the index needs to know
// about structures without reading them again.
type Batch struct {
	Writes []Imported
	// Structure returns a service's structure (nil when unknown).
	Structure func(id string) *directory.Structure
	// Refused holds the structures refused by moderation (RefusedStructures).
	Refused map[string]bool
}

// RefusedStructures lists the structures whose services must stay out of
// searches. Only structures created on Repère have an account, so this reads
// a small collection.
func (c *Catalog) RefusedStructures(ctx context.Context) (map[string]bool, error) {
	refused := map[string]bool{}
	err := c.store.EachStructureAccount(ctx, func(a *directory.StructureAccount) error {
		if !a.Moderation.Listed() {
			refused[a.ID] = true
		}
		return nil
	})
	return refused, err
}

// Import writes a batch of imported services like any other write, in bulk:
// each is announced when new or significantly changed while published, the
// batch is logged in the change log first, new services are inserted
// together, changed ones each against the version the import read, and the
// index takes them in one batch. A service a partner saved meanwhile is not
// written: it comes back in conflicts, for the next import to merge.
// UpdatedAt is left as the import set it (the source's date).
func (c *Catalog) Import(ctx context.Context, b Batch) (conflicts []*directory.Service, err error) {
	if len(b.Writes) == 0 {
		return nil, nil
	}
	now := c.now()
	log := make([]store.ServiceVersion, 0, len(b.Writes))
	var creates []*directory.Service
	for _, w := range b.Writes {
		if w.Prev == nil {
			w.Service.Version = 0
			creates = append(creates, w.Service)
		}
		directory.Announce(w.Prev, w.Service, now)
		log = append(log, store.ServiceVersion{ServiceID: w.Service.ID, Version: w.Service.Version + 1})
	}
	if err := c.store.LogChanges(ctx, log); err != nil {
		return nil, err
	}
	if err := c.store.InsertServices(ctx, creates); err != nil {
		return nil, err
	}
	written := creates
	for _, w := range b.Writes {
		if w.Prev == nil {
			continue
		}
		err := c.store.UpdateService(ctx, w.Service)
		switch directory.ErrorCode(err) {
		case "":
			written = append(written, w.Service)
		case directory.ECONFLICT:
			conflicts = append(conflicts, w.Service)
		default:
			return conflicts, err
		}
	}
	listed := make([]*directory.Service, len(written))
	for i, svc := range written {
		if b.Refused[svc.StructureID] && svc.Status == directory.StatusPublished {
			svc = unlisted(svc)
		}
		listed[i] = svc
	}
	if err := c.index.PutMany(listed, b.Structure); err != nil {
		return conflicts, fmt.Errorf("catalog: %d imported services saved but not indexed: %w", len(listed), err)
	}
	return conflicts, nil
}
