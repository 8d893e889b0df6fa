package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/repere-spie/repere/internal/directory"
)

// collHistory holds one document per service or structure: the list of its
// changes, read by _id like everything on request paths.
const collHistory = "history"

// MaxHistory bounds the entries kept per record: the oldest go first.
const MaxHistory = 100

// ServiceHistoryKey and StructureHistoryKey name the history of a record.
func ServiceHistoryKey(id string) string   { return "service:" + id }
func StructureHistoryKey(id string) string { return "structure:" + id }

// AppendHistory adds an entry to the history named key, keeping the last
// MaxHistory entries.
func (s *Store) AppendHistory(ctx context.Context, key string, e directory.HistoryEntry) error {
	// Created on first use rather than by a migration step: the collection
	// is an addition of the partner pages (idempotent, and writes are rare).
	if err := s.ensureCollection(ctx, collHistory); err != nil {
		return err
	}
	e.At = e.At.UTC()
	if s.embedded == nil {
		return s.updateByID(ctx, collHistory, key, bson.D{{Key: "$push", Value: bson.D{{Key: "entries", Value: bson.D{
			{Key: "$each", Value: bson.A{e}},
			{Key: "$slice", Value: -MaxHistory},
		}}}}}, true)
	}
	// FerretDB v1 ignores $slice: append and trim under the document's lock.
	unlock := s.locks.Lock(collHistory + "/" + key)
	defer unlock()
	entries, err := s.History(ctx, key)
	if err != nil {
		return err
	}
	entries = append(entries, e)
	if n := len(entries) - MaxHistory; n > 0 {
		entries = entries[n:]
	}
	doc := bson.D{{Key: "_id", Value: key}, {Key: "entries", Value: entries}}
	if _, err := s.db.Collection(collHistory).ReplaceOne(ctx, bson.D{{Key: "_id", Value: key}}, doc, upsert()); err != nil {
		return fmt.Errorf("store: write history %s: %w", key, err)
	}
	return nil
}

// History returns the entries of the history named key, oldest first; a
// record without history has none.
func (s *Store) History(ctx context.Context, key string) ([]directory.HistoryEntry, error) {
	var doc struct {
		Entries []directory.HistoryEntry `bson:"entries"`
	}
	err := s.getByID(ctx, collHistory, key, &doc)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return nil, nil
	}
	return doc.Entries, err
}
