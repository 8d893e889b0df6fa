package catalog

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// Edit says who changes a service and how the history names the change
// ("Modifier un service"). The catalog validates, writes, indexes and
// records every edit itself: callers translate and report.
type Edit struct {
	By     directory.Author
	Action string
}

// IncompleteError refuses to publish a service that misses what
// publication needs (directory.Service.MissingForPublication); it is an
// EINVALID error.
type IncompleteError struct{ Missing []string }

func (e *IncompleteError) Error() string { return e.Unwrap().Error() }
func (e *IncompleteError) Unwrap() error {
	return directory.Errorf(directory.EINVALID, "Il manque, pour publier le service : %s.", strings.Join(e.Missing, ", "))
}

// indexLagError is a write the store holds but the index does not yet: the
// follower or the next start-up indexes it.
type indexLagError struct{ err error }

func (e *indexLagError) Error() string { return e.err.Error() }
func (e *indexLagError) Unwrap() error { return e.err }

// written turns an index lag into success, logged: the service is saved,
// and search catches up by itself.
func (c *Catalog) written(id string, err error) error {
	var lag *indexLagError
	if errors.As(err, &lag) {
		c.log.Warn("service enregistré, index de recherche en retard", "service", id, "err", err)
		return nil
	}
	return err
}

// Check validates a service as partners write it: the data·inclusion
// checks and a name, even for a draft. Errors: EINVALID keyed by form field.
func Check(svc *directory.Service) error {
	fe := directory.FieldErrors{}
	if err := svc.Validate(); err != nil {
		var de *directory.Error
		if errors.As(err, &de) {
			for k, m := range de.Fields {
				if f, ok := directory.ServiceFields.Field(k); ok {
					k = f.Name
				}
				fe.Add(k, m)
			}
		}
	}
	if strings.TrimSpace(svc.Name) == "" {
		fe.Add("nom", "Indiquez le nom du service : il faut au moins un nom pour enregistrer un brouillon.")
	}
	return fe.Err()
}

// Create validates a new service, stores it, makes it searchable and
// records it in its history.
func (c *Catalog) Create(ctx context.Context, svc *directory.Service, e Edit) error {
	if err := Check(svc); err != nil {
		return err
	}
	if err := c.written(svc.ID, c.CreateService(ctx, svc)); err != nil {
		return err
	}
	c.record(ctx, e, nil, svc)
	return nil
}

// Update validates next, the service as edited from the version before
// (read by the editor), and saves it unless someone saved since: ECONFLICT
// then, nothing written. It indexes and records the change.
func (c *Catalog) Update(ctx context.Context, before, next *directory.Service, e Edit) error {
	if err := Check(next); err != nil {
		return err
	}
	next.Version = before.Version
	if err := c.written(next.ID, c.UpdateService(ctx, next)); err != nil {
		return err
	}
	c.record(ctx, e, before, next)
	return nil
}

// Publish is Update for a service to publish: it must have what a
// professional needs to act (*IncompleteError otherwise, nothing written).
func (c *Catalog) Publish(ctx context.Context, before, next *directory.Service, e Edit) error {
	next.Status = directory.StatusPublished
	if missing := next.MissingForPublication(); len(missing) > 0 {
		if err := Check(next); err != nil {
			return err
		}
		return &IncompleteError{Missing: missing}
	}
	return c.Update(ctx, before, next, e)
}

// Change applies fn to the service as stored and saves it, again if
// someone saved in between: for the changes of state (publish, archive,
// suspend, confirm), which touch no field of the editor. It returns the
// service as written.
func (c *Catalog) Change(ctx context.Context, id string, e Edit, fn func(*directory.Service) error) (*directory.Service, error) {
	for attempt := 0; ; attempt++ {
		cur, err := c.store.Service(ctx, id)
		if err != nil {
			return nil, err
		}
		next := *cur
		if err := fn(&next); err != nil {
			return nil, err
		}
		err = c.written(id, c.UpdateService(ctx, &next))
		if directory.ErrorCode(err) == directory.ECONFLICT && attempt < 5 {
			continue
		}
		if err != nil {
			return nil, err
		}
		c.record(ctx, e, cur, &next)
		return &next, nil
	}
}

// Service reads a service by id. ENOTFOUND when unknown.
func (c *Catalog) Service(ctx context.Context, id string) (*directory.Service, error) {
	return c.store.Service(ctx, id)
}

// History returns the changes of a service, oldest first.
func (c *Catalog) History(ctx context.Context, id string) ([]directory.HistoryEntry, error) {
	return c.store.History(ctx, store.ServiceHistoryKey(id))
}

// record writes who changed what in the service's history, with the
// service as written (the base of later merges). The change is made
// whatever happens to its history: a failure is logged.
func (c *Catalog) record(ctx context.Context, e Edit, before, after *directory.Service) {
	h := directory.HistoryEntry{At: c.now(), UserID: e.By.UserID, UserName: e.By.Name, Action: e.Action,
		Version: after.Version, Service: after, Changes: c.changes(before, after)}
	if err := c.store.AppendHistory(ctx, store.ServiceHistoryKey(after.ID), h); err != nil {
		c.log.Error("historique non écrit", "service", after.ID, "err", err)
	}
}

// changes lists the fields that differ, as people read them, then the
// status and the suspension.
func (c *Catalog) changes(before, after *directory.Service) []directory.FieldChange {
	var bv = map[string][]string{}
	var was directory.Status
	var wasUntil string
	if before != nil {
		bv, was, wasUntil = directory.ServiceValues(before), before.Status, suspension(before)
	}
	out := directory.ServiceFields.Changes(bv, directory.ServiceValues(after), c.places.ZoneLabel)
	if was != after.Status {
		out = append(out, directory.FieldChange{Field: "Statut", Before: was.Label(), After: after.Status.Label()})
	}
	if until := suspension(after); until != wasUntil {
		out = append(out, directory.FieldChange{Field: "Suspension", Before: wasUntil, After: until})
	}
	return out
}

func suspension(svc *directory.Service) string {
	if svc.SuspendedUntil == nil {
		return ""
	}
	return "jusqu’au " + directory.FrenchDate(svc.SuspendedUntil.Add(-time.Minute)) + " inclus"
}

// ServiceIDsOfStructure lists the ids of a structure's services.
func (c *Catalog) ServiceIDsOfStructure(ctx context.Context, structureID string) ([]string, error) {
	return c.store.ServiceIDsOfStructure(ctx, structureID)
}
