package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/repere-spie/repere/internal/directory"
)

// collImports holds one document per import run: its state while it runs
// (the progress bar) and its report afterwards (the history). The importer
// owns the document's shape.
const collImports = "imports"

// PutImportRun writes the document of an import run (created or replaced).
func (s *Store) PutImportRun(ctx context.Context, id string, doc any) error {
	if err := s.ensureCollection(ctx, collImports); err != nil {
		return err
	}
	if _, err := s.db.Collection(collImports).ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, doc, upsert()); err != nil {
		return fmt.Errorf("store: write import %s: %w", id, err)
	}
	return nil
}

// ImportRun decodes the document of an import run into out (ENOTFOUND if none).
func (s *Store) ImportRun(ctx context.Context, id string, out any) error {
	return s.getByID(ctx, collImports, id, out)
}

// EachImportRun decodes every import run, newest first, into a fresh value
// made by alloc and passes it to fn until fn returns false. Runs are few
// (one a day and one per upload): the collection is read whole.
func (s *Store) EachImportRun(ctx context.Context, alloc func() any, fn func(v any) bool) error {
	cur, err := s.db.Collection(collImports).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "debut", Value: -1}}))
	if err != nil {
		return fmt.Errorf("store: read imports: %w", err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		v := alloc()
		if err := cur.Decode(v); err != nil {
			return fmt.Errorf("store: decode import: %w", err)
		}
		if !fn(v) {
			break
		}
	}
	return cur.Err()
}

type importLock struct {
	ID    string    `bson:"_id"`
	Owner string    `bson:"owner"`
	Host  string    `bson:"host"`
	PID   int       `bson:"pid"`
	Beat  time.Time `bson:"beat"`
}

// ImportHolder says who holds an import lock: a run, in a process of a host.
type ImportHolder struct {
	Run  string
	Host string
	PID  int
}

func importLockID(feed string) string { return "import-lock:" + feed }

// LockImport makes the holder the only importer of feed. A lock whose
// holder has not beaten for staleAfter, or whose process dead reports gone
// (kill -9 on this host), belongs to a run that died: it is taken over and
// crashed reports true, so that the caller heals what the dead run left half
// done. A live lock gives ECONFLICT.
func (s *Store) LockImport(ctx context.Context, feed string, h ImportHolder, staleAfter time.Duration, dead func(ImportHolder) bool) (crashed bool, err error) {
	now := s.now().UTC()
	owner := h.Run
	lock := importLock{ID: importLockID(feed), Owner: owner, Host: h.Host, PID: h.PID, Beat: now}
	unlock := s.locks.Lock(collMeta + "/" + lock.ID)
	defer unlock()
	_, err = s.db.Collection(collMeta).InsertOne(ctx, lock)
	if err == nil {
		return false, nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return false, fmt.Errorf("store: lock import: %w", err)
	}
	var cur importLock
	if err := s.getByID(ctx, collMeta, lock.ID, &cur); err != nil {
		return false, err
	}
	if now.Sub(cur.Beat) < staleAfter && !dead(ImportHolder{cur.Owner, cur.Host, cur.PID}) {
		return false, directory.Errorf(directory.ECONFLICT, "Un import de cette source est déjà en cours (depuis le %s).", directory.FrenchDate(cur.Beat))
	}
	res, err := s.db.Collection(collMeta).ReplaceOne(ctx, bson.D{{Key: "_id", Value: lock.ID}, {Key: "owner", Value: cur.Owner}}, lock)
	if err != nil {
		return false, fmt.Errorf("store: take over import lock: %w", err)
	}
	if res.MatchedCount == 0 {
		return false, directory.Errorf(directory.ECONFLICT, "Un import de cette source vient de commencer.")
	}
	return true, nil
}

// BeatImport tells other importers the run holding the lock is alive.
func (s *Store) BeatImport(ctx context.Context, feed string, h ImportHolder) error {
	owner := h.Run
	lock := importLock{ID: importLockID(feed), Owner: owner, Host: h.Host, PID: h.PID, Beat: s.now().UTC()}
	res, err := s.db.Collection(collMeta).ReplaceOne(ctx, bson.D{{Key: "_id", Value: lock.ID}, {Key: "owner", Value: owner}}, lock)
	if err != nil {
		return fmt.Errorf("store: import heartbeat: %w", err)
	}
	if res.MatchedCount == 0 {
		return errors.New("store: import lock lost to another run")
	}
	return nil
}

// UnlockImport releases the lock if owner still holds it.
func (s *Store) UnlockImport(ctx context.Context, feed, owner string) error {
	_, err := s.db.Collection(collMeta).DeleteOne(ctx, bson.D{{Key: "_id", Value: importLockID(feed)}, {Key: "owner", Value: owner}})
	if err != nil {
		return fmt.Errorf("store: unlock import: %w", err)
	}
	return nil
}

// EachServiceWithProposals passes to fn, until it returns false, the
// services whose source proposes values for fields edited on Repère
// (provenance.propositions, absent when there are none).
func (s *Store) EachServiceWithProposals(ctx context.Context, fn func(*directory.Service) bool) error {
	cur, err := s.db.Collection(collServices).Find(ctx, bson.D{{Key: "provenance.propositions", Value: bson.D{{Key: "$exists", Value: true}}}})
	if err != nil {
		return fmt.Errorf("store: services with proposals: %w", err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var svc directory.Service
		if err := cur.Decode(&svc); err != nil {
			return fmt.Errorf("store: decode service: %w", err)
		}
		if !fn(&svc) {
			break
		}
	}
	return cur.Err()
}
