package store

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/repere-spie/repere/internal/directory"
)

// Service returns the service with that id, or ENOTFOUND.
func (s *Store) Service(ctx context.Context, id string) (*directory.Service, error) {
	var svc directory.Service
	if err := s.getByID(ctx, collServices, id, &svc); err != nil {
		return nil, err
	}
	return &svc, nil
}

// CreateService inserts a new service at version 1. It returns ECONFLICT when
// the id is taken.
func (s *Store) CreateService(ctx context.Context, svc *directory.Service) error {
	if svc.ID == "" {
		svc.ID = directory.NewID()
	}
	now := s.now().UTC()
	if svc.CreatedAt.IsZero() {
		svc.CreatedAt = now
	}
	if svc.UpdatedAt.IsZero() {
		svc.UpdatedAt = now
	}
	svc.Version = 1
	return s.insert(ctx, collServices, svc)
}

// UpdateService writes svc if the stored version still equals svc.Version,
// then increments svc.Version. A stale write returns ECONFLICT and changes
// nothing; an unknown id returns ENOTFOUND.
func (s *Store) UpdateService(ctx context.Context, svc *directory.Service) error {
	next := *svc
	next.Version++
	if err := s.replaceVersioned(ctx, collServices, svc.ID, svc.Version, &next); err != nil {
		return err
	}
	svc.Version = next.Version
	return nil
}

// InsertServices bulk-inserts new services (demo data, imports): no version
// check, versions start at 1.
func (s *Store) InsertServices(ctx context.Context, svcs []*directory.Service) error {
	docs := make([]any, len(svcs))
	for i, svc := range svcs {
		if svc.Version == 0 {
			svc.Version = 1
		}
		docs[i] = svc
	}
	return s.insertMany(ctx, collServices, docs)
}

// EachService streams every service, whatever its status, to fn. It reads the
// whole collection: for index builds and exports, never for a request.
func (s *Store) EachService(ctx context.Context, fn func(*directory.Service) error) error {
	return each(ctx, s, collServices, fn)
}

// EachServiceInto streams every service decoded into a T, a struct that
// names only the fields its reader needs: only its top-level fields (by
// their bson names) are decoded, and read from the store when they are few.
func EachServiceInto[T any](ctx context.Context, s *Store, fn func(*T) error) error {
	return eachOf(ctx, s, collServices, topKeys(reflect.TypeFor[T]()), fn)
}

// topKeys are the bson names of a struct's fields.
func topKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("bson"), ",")
		if name == "" || name == "-" {
			name = strings.ToLower(t.Field(i).Name)
		}
		keys = append(keys, name)
	}
	return keys
}

// maxExtractedKeys is how many top-level keys SQLite extracts before reading
// whole documents is cheaper: each key is two JSON extractions, each finding
// the parsed document again by comparing its text. At 93k services, reading
// 9 keys took 10.4 s, whole documents 5.1 s, 2 keys 5.1 s (2 cores, load 5).
const maxExtractedKeys = 3

// each decodes every document of a collection into a fresh T for fn: from
// SQLite on all cores when embedded, through a cursor otherwise.
func each[T any](ctx context.Context, s *Store, coll string, fn func(*T) error) error {
	return eachOf(ctx, s, coll, nil, fn)
}

// eachOf is each reading only the top-level keys given (nil: all).
func eachOf[T any](ctx context.Context, s *Store, coll string, keys []string, fn func(*T) error) error {
	if s.embedded != nil {
		if len(keys) > maxExtractedKeys {
			keys = nil
		}
		return s.embedded.scan(ctx, s.db.Name(), coll, keys, func(raw bson.Raw) error {
			var v T
			if err := bson.Unmarshal(raw, &v); err != nil {
				return fmt.Errorf("store: decode %s: %w", coll, err)
			}
			return fn(&v)
		})
	}
	opts := options.Find()
	if keys != nil {
		proj := bson.D{}
		for _, k := range keys {
			proj = append(proj, bson.E{Key: k, Value: 1})
		}
		opts.SetProjection(proj)
	}
	cur, err := s.db.Collection(coll).Find(ctx, bson.D{}, opts)
	if err != nil {
		return fmt.Errorf("store: scan %s: %w", coll, err)
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var v T
		if err := cur.Decode(&v); err != nil {
			return fmt.Errorf("store: decode %s: %w", coll, err)
		}
		if err := fn(&v); err != nil {
			return err
		}
	}
	return cur.Err()
}

// CountServices counts every service, whatever its status (estimated from
// metadata on MongoDB).
func (s *Store) CountServices(ctx context.Context) (int64, error) {
	if s.embedded != nil {
		return s.embedded.count(ctx, s.db.Name(), collServices)
	}
	return s.db.Collection(collServices).EstimatedDocumentCount(ctx)
}

// ServiceIDsOfStructure lists the ids of a structure's services, whatever
// their status: for partner pages, structure edits and moderation, never for
// a public page. Both backends answer from an index on structure_id.
func (s *Store) ServiceIDsOfStructure(ctx context.Context, structureID string) ([]string, error) {
	return s.idsWhere(ctx, collServices, "structure_id", structureID)
}

// idsWhere returns the ids of the documents whose top-level string field
// equals value, from an index on the field: SQLite's when embedded (see
// embedded.idsWhere), MongoDB's otherwise (its migration creates it).
func (s *Store) idsWhere(ctx context.Context, coll, field, value string) ([]string, error) {
	if s.embedded != nil {
		return s.embedded.idsWhere(ctx, s.db.Name(), coll, field, value)
	}
	cur, err := s.db.Collection(coll).Find(ctx, bson.D{{Key: field, Value: value}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("store: %s where %s: %w", coll, field, err)
	}
	var docs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("store: %s where %s: %w", coll, field, err)
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	return ids, nil
}
