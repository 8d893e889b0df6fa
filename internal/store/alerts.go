package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"

	"github.com/repere-spie/repere/internal/directory"
)

const collAlerts = "alerts"

func migrateAlerts(ctx context.Context, s *Store) error {
	if err := s.ensureCollection(ctx, collAlerts); err != nil {
		return err
	}
	if s.embedded != nil {
		return nil // idsWhere indexes email
	}
	_, err := s.db.Collection(collAlerts).Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: "email", Value: 1}}})
	return err
}

// CreateAlert inserts a new alert at version 1.
func (s *Store) CreateAlert(ctx context.Context, a *directory.Alert) error {
	if a.ID == "" {
		a.ID = directory.NewID()
	}
	a.Version = 1
	return s.insert(ctx, collAlerts, a)
}

// Alert returns the alert with that id, or ENOTFOUND.
func (s *Store) Alert(ctx context.Context, id string) (*directory.Alert, error) {
	var a directory.Alert
	err := s.getByID(ctx, collAlerts, id, &a)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return nil, directory.Errorf(directory.ENOTFOUND, "Cette alerte n’existe pas ou plus.")
	} else if err != nil {
		return nil, err
	}
	return &a, nil
}

// UpdateAlert writes a if the stored version still equals a.Version
// (ECONFLICT otherwise), then increments a.Version.
func (s *Store) UpdateAlert(ctx context.Context, a *directory.Alert) error {
	next := *a
	next.Version++
	if err := s.replaceVersioned(ctx, collAlerts, a.ID, a.Version, &next); err != nil {
		return err
	}
	a.Version = next.Version
	return nil
}

// DeleteAlert removes an alert; a missing one is not an error.
func (s *Store) DeleteAlert(ctx context.Context, id string) error {
	return s.deleteByID(ctx, collAlerts, id)
}

// AlertIDsOfEmail lists the alerts of an address, from an index.
func (s *Store) AlertIDsOfEmail(ctx context.Context, email string) ([]string, error) {
	return s.idsWhere(ctx, collAlerts, "email", email)
}

// EachAlert streams every alert to fn: for the job that sends them.
func (s *Store) EachAlert(ctx context.Context, fn func(*directory.Alert) error) error {
	return each(ctx, s, collAlerts, fn)
}

// InsertAlerts bulk-inserts alerts (benchmarks).
func (s *Store) InsertAlerts(ctx context.Context, as []*directory.Alert) error {
	docs := make([]any, len(as))
	for i, a := range as {
		if a.Version == 0 {
			a.Version = 1
		}
		docs[i] = a
	}
	return s.insertMany(ctx, collAlerts, docs)
}

// AlertRun records how far the alerts of a frequency have been sent: the
// end of the window the last run covered. Only the job holding the alerts'
// lease writes it.
type AlertRun struct {
	Frequency directory.AlertFrequency `bson:"frequency"`
	Period    string                   `bson:"period"` // the period last sent
	Until     time.Time                `bson:"until"`  // announcements up to this instant were considered
}

func alertRunID(f directory.AlertFrequency) string { return "alert_run:" + string(f) }

// AlertRun returns the last run of a frequency, or nil if it never ran.
func (s *Store) AlertRun(ctx context.Context, f directory.AlertFrequency) (*AlertRun, error) {
	var r AlertRun
	err := s.getByID(ctx, collMeta, alertRunID(f), &r)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return nil, nil
	}
	return &r, err
}

// SaveAlertRun records a run.
func (s *Store) SaveAlertRun(ctx context.Context, r *AlertRun) error {
	doc := bson.M{"_id": alertRunID(r.Frequency), "frequency": r.Frequency, "period": r.Period, "until": r.Until.UTC()}
	if _, err := s.db.Collection(collMeta).ReplaceOne(ctx, bson.D{{Key: "_id", Value: alertRunID(r.Frequency)}}, doc, upsert()); err != nil {
		return fmt.Errorf("store: save alert run: %w", err)
	}
	return nil
}

// DeleteAlerts removes alerts by id (benchmarks; a filtered delete).
func (s *Store) DeleteAlerts(ctx context.Context, ids []string) error {
	if _, err := s.db.Collection(collAlerts).DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}); err != nil {
		return fmt.Errorf("store: delete alerts: %w", err)
	}
	return nil
}

// ResetAlertRuns forgets every alert run: the next one covers the period
// before it (benchmarks).
func (s *Store) ResetAlertRuns(ctx context.Context) error {
	for _, f := range directory.AlertFrequencies {
		if err := s.deleteByID(ctx, collMeta, alertRunID(f)); err != nil {
			return err
		}
	}
	return nil
}
