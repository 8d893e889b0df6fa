// Package store keeps Repère's records in MongoDB, or in an embedded FerretDB
// (MongoDB wire protocol over SQLite) when no server is configured.
//
// FerretDB v1 reads whole collections for any filter other than {_id}, has no
// transactions and applies updates as read-modify-write. The store is therefore
// read by id only on request paths, and versioned writes take an in-process
// per-document lock when embedded (the embedded store has a single writer: this
// process).
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
	"go.mongodb.org/mongo-driver/mongo/readpref"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/keyedlock"
)

// Config says where the data live.
type Config struct {
	URI      string // MongoDB URI; empty starts the embedded store under DataDir
	Database string
	DataDir  string
	// EmbeddedAddr is where the embedded store listens; "" means a random
	// loopback port. A fixed one lets another local instance share the store.
	EmbeddedAddr string
	Logger       *slog.Logger
}

// Store is the MongoDB-backed persistence of Repère.
type Store struct {
	client   *mongo.Client
	db       *mongo.Database
	embedded *embedded
	locks    keyedlock.Set
	now      func() time.Time
}

// Open connects (starting the embedded store if needed) and runs migrations.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Database == "" {
		cfg.Database = "repere"
	}
	s := &Store{now: time.Now}
	uri := cfg.URI
	if uri == "" {
		e, err := startEmbedded(cfg.DataDir, cfg.EmbeddedAddr, cfg.Logger)
		if err != nil {
			return nil, err
		}
		s.embedded = e
		uri = e.uri
	}
	opts := options.Client().ApplyURI(uri).
		SetTimeout(30 * time.Second).
		SetServerSelectionTimeout(10 * time.Second)
	client, err := mongo.Connect(ctx, opts)
	if err == nil {
		err = client.Ping(ctx, nil)
	}
	if err != nil {
		s.closeEmbedded()
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	s.client, s.db = client, client.Database(cfg.Database)
	if err := s.migrate(ctx, cfg.Logger); err != nil {
		_ = s.Close(context.Background())
		return nil, err
	}
	return s, nil
}

// Embedded reports whether the store runs in-process.
func (s *Store) Embedded() bool { return s.embedded != nil }

// Close disconnects and stops the embedded store.
func (s *Store) Close(ctx context.Context) error {
	err := s.client.Disconnect(ctx)
	s.closeEmbedded()
	return err
}

func (s *Store) closeEmbedded() {
	if s.embedded != nil {
		s.embedded.stop()
	}
}

// ensureCollection creates a collection if missing and, when embedded, the
// index that makes lookups by id fast.
func (s *Store) ensureCollection(ctx context.Context, name string) error {
	err := s.db.CreateCollection(ctx, name)
	var ce mongo.CommandError
	if err != nil && !(errors.As(err, &ce) && ce.Code == 48) { // 48: NamespaceExists
		return fmt.Errorf("store: create %s: %w", name, err)
	}
	if s.embedded != nil {
		return s.embedded.ensureIDIndex(ctx, s.db.Name(), name)
	}
	return nil
}

// getByID decodes the document with that id into out, or returns ENOTFOUND.
func (s *Store) getByID(ctx context.Context, coll, id string, out any) error {
	err := s.db.Collection(coll).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(out)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return directory.Errorf(directory.ENOTFOUND, "Cette fiche n’existe pas ou plus.")
	} else if err != nil {
		return fmt.Errorf("store: get %s %s: %w", coll, id, err)
	}
	return nil
}

func (s *Store) insert(ctx context.Context, coll string, doc any) error {
	_, err := s.db.Collection(coll).InsertOne(ctx, doc)
	if mongo.IsDuplicateKeyError(err) {
		return directory.Errorf(directory.ECONFLICT, "Cette fiche existe déjà.")
	} else if err != nil {
		return fmt.Errorf("store: insert into %s: %w", coll, err)
	}
	return nil
}

// replaceVersioned replaces the document id with doc (whose version field must
// already be expected+1) only if the stored version is still expected.
// A stale write returns ECONFLICT and changes nothing.
func (s *Store) replaceVersioned(ctx context.Context, coll, id string, expected int64, doc any) error {
	c := s.db.Collection(coll)
	if s.embedded == nil {
		// MongoDB applies the filter and the write atomically.
		res, err := c.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "version", Value: expected}}, doc)
		if err != nil {
			return fmt.Errorf("store: replace %s %s: %w", coll, id, err)
		}
		if res.MatchedCount == 1 {
			return nil
		}
		return s.staleOrMissing(ctx, coll, id)
	}
	// FerretDB v1 would evaluate a two-field filter by scanning the collection,
	// and its read-modify-write is not atomic: check and write under our lock.
	unlock := s.locks.Lock(coll + "/" + id)
	defer unlock()
	var cur struct {
		Version int64 `bson:"version"`
	}
	if err := s.getByID(ctx, coll, id, &cur); err != nil {
		return err
	}
	if cur.Version != expected {
		return conflict()
	}
	if _, err := c.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, doc); err != nil {
		return fmt.Errorf("store: replace %s %s: %w", coll, id, err)
	}
	return nil
}

func (s *Store) staleOrMissing(ctx context.Context, coll, id string) error {
	var cur struct{}
	if err := s.getByID(ctx, coll, id, &cur); err != nil {
		return err
	}
	return conflict()
}

func conflict() error {
	return directory.Errorf(directory.ECONFLICT, "Cette fiche a été modifiée entre-temps par quelqu’un d’autre.")
}

func (s *Store) insertMany(ctx context.Context, coll string, docs []any) error {
	if len(docs) == 0 {
		return nil
	}
	_, err := s.db.Collection(coll).InsertMany(ctx, docs, options.InsertMany().SetOrdered(true))
	if mongo.IsDuplicateKeyError(err) {
		return directory.Errorf(directory.ECONFLICT, "Certaines fiches existent déjà.")
	} else if err != nil {
		return fmt.Errorf("store: insert into %s: %w", coll, err)
	}
	return nil
}

func upsert() *options.ReplaceOptions { return options.Replace().SetUpsert(true) }

// CollectionNames lists the collections of the database (for maintenance and tests).
func (s *Store) CollectionNames(ctx context.Context) ([]string, error) {
	return s.db.ListCollectionNames(ctx, bson.D{})
}

// Ping asks the server (the embedded one too) for an answer from the
// primary, which every write needs: what readiness checks.
func (s *Store) Ping(ctx context.Context) error {
	return s.client.Ping(ctx, readpref.Primary())
}
