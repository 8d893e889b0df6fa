package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
)

const demoMetaID = "demo"

// DemoInfo records that the store holds generated demo data, so the site can
// say its content is fictional.
type DemoInfo struct {
	Seed        int64     `bson:"seed"`
	Services    int       `bson:"services"`
	Structures  int       `bson:"structures"`
	GeneratedAt time.Time `bson:"generated_at"`
}

// DemoInfo returns the demo record, or ENOTFOUND when the data are not demo data.
func (s *Store) DemoInfo(ctx context.Context) (*DemoInfo, error) {
	var d DemoInfo
	if err := s.getByID(ctx, collMeta, demoMetaID, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// SetDemoInfo records d.
func (s *Store) SetDemoInfo(ctx context.Context, d DemoInfo) error {
	doc := bson.M{"_id": demoMetaID, "seed": d.Seed, "services": d.Services, "structures": d.Structures, "generated_at": d.GeneratedAt}
	if _, err := s.db.Collection(collMeta).ReplaceOne(ctx, bson.D{{Key: "_id", Value: demoMetaID}}, doc, upsert()); err != nil {
		return fmt.Errorf("store: record demo data: %w", err)
	}
	return nil
}
