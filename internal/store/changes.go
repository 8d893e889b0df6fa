package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
	"go.mongodb.org/mongo-driver/mongo/options"
)

// Change says that a service was written at a version. Without change
// streams (FerretDB v1 has none), this log is how other instances and the
// start-up check learn what to re-index.
type Change struct {
	ID        primitive.ObjectID `bson:"_id"`
	ServiceID string             `bson:"service_id"`
	Version   int64              `bson:"version"`
	At        time.Time          `bson:"at"`
}

// LogChange appends a change. Writers log before writing the service, so a
// crash between the two leaves a change that points at an older version, which
// readers treat as "look again", never a write nobody hears of.
func (s *Store) LogChange(ctx context.Context, serviceID string, version int64) error {
	c := Change{ID: primitive.NewObjectID(), ServiceID: serviceID, Version: version, At: s.now().UTC()}
	if _, err := s.db.Collection(collChanges).InsertOne(ctx, c); err != nil {
		return fmt.Errorf("store: log change: %w", err)
	}
	return nil
}

// ServiceVersion names one write of a batch.
type ServiceVersion struct {
	ServiceID string `bson:"id"`
	Version   int64  `bson:"v"`
}

// LogChanges appends the writes of a batch as one document (imports write
// thousands of services, and FerretDB reads the whole log on every poll).
// Readers see it as one Change per service, sharing the document's id.
func (s *Store) LogChanges(ctx context.Context, writes []ServiceVersion) error {
	if len(writes) == 0 {
		return nil
	}
	doc := bson.D{{Key: "_id", Value: primitive.NewObjectID()}, {Key: "services", Value: writes}, {Key: "at", Value: s.now().UTC()}}
	if _, err := s.db.Collection(collChanges).InsertOne(ctx, doc); err != nil {
		return fmt.Errorf("store: log changes: %w", err)
	}
	return nil
}

// ChangesSince returns the changes logged at or after since, oldest first.
// It is a filtered query: for the index follower, never for a page.
func (s *Store) ChangesSince(ctx context.Context, since time.Time) ([]Change, error) {
	cur, err := s.db.Collection(collChanges).Find(ctx,
		bson.D{{Key: "at", Value: bson.D{{Key: "$gte", Value: since.UTC()}}}},
		options.Find().SetSort(bson.D{{Key: "at", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("store: read changes: %w", err)
	}
	var docs []struct {
		Change   `bson:",inline"`
		Services []ServiceVersion `bson:"services"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("store: read changes: %w", err)
	}
	out := make([]Change, 0, len(docs))
	for _, d := range docs {
		if len(d.Services) == 0 {
			out = append(out, d.Change)
		}
		for _, w := range d.Services {
			out = append(out, Change{ID: d.ID, ServiceID: w.ServiceID, Version: w.Version, At: d.At})
		}
	}
	return out, nil
}

// PruneChanges deletes the changes older than before, keeping the log short
// (FerretDB reads it whole on every poll).
func (s *Store) PruneChanges(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.Collection(collChanges).DeleteMany(ctx, bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: before.UTC()}}}})
	if err != nil {
		return 0, fmt.Errorf("store: prune changes: %w", err)
	}
	return res.DeletedCount, nil
}
