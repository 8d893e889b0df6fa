package store

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// Collection names.
const (
	collMigrations = "migrations"
	collServices   = "services"
	collStructures = "structures"
	collMeta       = "meta"
	collChanges    = "changes"
)

// migrations are applied in order, once each, and recorded in the migrations
// collection. Never edit a step that has shipped: append a new one.
var migrations = []struct {
	name string
	up   func(ctx context.Context, s *Store) error
}{
	{"collections", func(ctx context.Context, s *Store) error {
		for _, c := range []string{collServices, collStructures, collMeta} {
			if err := s.ensureCollection(ctx, c); err != nil {
				return err
			}
		}
		return nil
	}},
	{"services by structure", func(ctx context.Context, s *Store) error {
		// Used by MongoDB for partner dashboards; FerretDB keeps it but scans anyway.
		_, err := s.db.Collection(collServices).Indexes().CreateOne(ctx, mongo.IndexModel{
			Keys: bson.D{{Key: "structure_id", Value: 1}},
		})
		return err
	}},
	{"change log", func(ctx context.Context, s *Store) error {
		if err := s.ensureCollection(ctx, collChanges); err != nil {
			return err
		}
		_, err := s.db.Collection(collChanges).Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: "at", Value: 1}}})
		return err
	}},
	{"accounts", migrateAccounts},
	{"scheduler", func(ctx context.Context, s *Store) error {
		for _, c := range []string{collLeases, collJobs} {
			if err := s.ensureCollection(ctx, c); err != nil {
				return err
			}
		}
		return nil
	}},
	{"outbox", migrateOutbox},
	{"alerts", migrateAlerts},
}

type migrationDoc struct {
	ID        int       `bson:"_id"`
	Name      string    `bson:"name"`
	AppliedAt time.Time `bson:"applied_at"`
}

func (s *Store) migrate(ctx context.Context, log *slog.Logger) error {
	if err := s.ensureCollection(ctx, collMigrations); err != nil {
		return err
	}
	cur, err := s.db.Collection(collMigrations).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return fmt.Errorf("store: read migrations: %w", err)
	}
	var done []migrationDoc
	if err := cur.All(ctx, &done); err != nil {
		return fmt.Errorf("store: read migrations: %w", err)
	}
	applied := map[int]bool{}
	for _, d := range done {
		applied[d.ID] = true
	}
	for i, m := range migrations {
		id := i + 1
		if applied[id] {
			continue
		}
		if err := m.up(ctx, s); err != nil {
			return fmt.Errorf("store: migration %d (%s): %w", id, m.name, err)
		}
		if _, err := s.db.Collection(collMigrations).InsertOne(ctx, migrationDoc{id, m.name, s.now().UTC()}); err != nil {
			return fmt.Errorf("store: record migration %d: %w", id, err)
		}
		log.Info("migration applied", "step", id, "name", m.name)
	}
	// Collections created by older binaries or by hand still need the index.
	if s.embedded != nil {
		for _, c := range []string{collServices, collStructures, collMeta, collMigrations, collChanges} {
			if err := s.embedded.ensureIDIndex(ctx, s.db.Name(), c); err != nil {
				return err
			}
		}
	}
	return nil
}
