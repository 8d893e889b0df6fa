package catalog

import (
	"context"
	"fmt"
	"sync"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// Imported is one write of an import: a new service (Prev nil) or a new
// version of Prev, the service as stored when the import read it.
type Imported struct {
	Service *directory.Service
	Prev    *directory.Service
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

// Import writes the batches of one import. Each batch is logged in the
// change log and stored before Write returns; the index takes the batches
// meanwhile on a goroutine of its own, in order, so that reading and storing
// the next batch overlap with indexing (on two cores, an import's time was
// the sum of the two). When the index falls behind, it takes the batches
// waiting together, up to indexBatch services: fewer, larger segments to
// build and merge. Sync and Close return once all that was written is
// searchable. A crash between the two writes leaves what any write leaves:
// the change log and the start-up reconciliation bring the index in step.
type Import struct {
	c       *Catalog
	refused map[string]bool // structures refused by moderation (RefusedStructures)

	queue chan indexJob
	done  chan struct{}
	mu    sync.Mutex
	err   error // the first index write that failed
}

// indexJob is a stored batch for the index, or a Sync waiting (synced).
type indexJob struct {
	svcs       []*directory.Service
	structures map[string]*directory.Structure
	synced     chan struct{}
}

const indexBatch = 2000

// NewImport starts the writer of one import; Close must be called.
func (c *Catalog) NewImport(refused map[string]bool) *Import {
	im := &Import{c: c, refused: refused, queue: make(chan indexJob, 2), done: make(chan struct{})}
	go im.indexLoop()
	return im
}

// Write writes a batch of imported services like any other write, in bulk:
// each is announced when new or significantly changed while published, the
// batch is logged in the change log first, new services are inserted
// together, changed ones each against the version the import read. A
// service a partner saved meanwhile is not written: it comes back in
// conflicts, for the next import to merge. UpdatedAt is left as the import
// set it (the source's date). structure gives a service's structure (nil
// when unknown) for the index; it is called before Write returns.
func (im *Import) Write(ctx context.Context, writes []Imported, structure func(id string) *directory.Structure) (conflicts []*directory.Service, err error) {
	if err := im.failed(); err != nil {
		return nil, err
	}
	if len(writes) == 0 {
		return nil, nil
	}
	c := im.c
	now := c.now()
	log := make([]store.ServiceVersion, 0, len(writes))
	var creates []*directory.Service
	for _, w := range writes {
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
	for _, w := range writes {
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
			im.index(written, structure)
			return conflicts, err
		}
	}
	im.index(written, structure)
	return conflicts, nil
}

// index queues stored services for the index, with their structures as the
// caller knows them now (its maps change while the index works).
func (im *Import) index(written []*directory.Service, structure func(id string) *directory.Structure) {
	if len(written) == 0 {
		return
	}
	job := indexJob{svcs: make([]*directory.Service, len(written)), structures: map[string]*directory.Structure{}}
	for i, svc := range written {
		if im.refused[svc.StructureID] && svc.Status == directory.StatusPublished {
			svc = unlisted(svc)
		}
		job.svcs[i] = svc
		if _, ok := job.structures[svc.StructureID]; !ok {
			job.structures[svc.StructureID] = structure(svc.StructureID)
		}
	}
	im.queue <- job
}

func (im *Import) indexLoop() {
	defer close(im.done)
	held := indexJob{structures: map[string]*directory.Structure{}}
	flush := func() {
		if len(held.svcs) > 0 && im.failed() == nil {
			err := im.c.index.PutMany(held.svcs, func(id string) *directory.Structure { return held.structures[id] })
			if err != nil {
				im.mu.Lock()
				im.err = fmt.Errorf("catalog: %d imported services saved but not indexed: %w", len(held.svcs), err)
				im.mu.Unlock()
			}
		}
		held = indexJob{structures: map[string]*directory.Structure{}}
	}
	for job := range im.queue {
		if job.synced != nil {
			flush()
			close(job.synced)
			continue
		}
		held.svcs = append(held.svcs, job.svcs...)
		for id, st := range job.structures {
			held.structures[id] = st
		}
		// Waiting for more would hold more memory: an import runs under a
		// heap limit, and holding 2,000 services made the collector thrash
		// (CPU +35 %).
		if len(held.svcs) >= indexBatch || len(im.queue) == 0 {
			flush()
		}
	}
	flush()
}

func (im *Import) failed() error {
	im.mu.Lock()
	defer im.mu.Unlock()
	return im.err
}

// Sync waits until every batch written is searchable.
func (im *Import) Sync() error {
	synced := make(chan struct{})
	im.queue <- indexJob{synced: synced}
	<-synced
	return im.failed()
}

// Close waits for the index and stops the writer.
func (im *Import) Close() error {
	close(im.queue)
	<-im.done
	return im.failed()
}
