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

const collOutbox = "outbox"

// States of an outbox message.
const (
	OutboxPending = "a-envoyer" // waiting for its first or next attempt
	OutboxSending = "envoi"     // an attempt began and its outcome was not recorded
	OutboxSent    = "envoye"
	OutboxFailed  = "echec" // refused, or out of attempts: an administrator may send it again
)

// OutboxMessage is a mail to send. Its ID is a deterministic key (the
// recipient, what it is about and the period), so that whoever computes the
// same mail twice inserts it once.
type OutboxMessage struct {
	ID          string     `bson:"_id"`
	Kind        string     `bson:"kind"`
	To          string     `bson:"to"`
	Subject     string     `bson:"subject"`
	Text        string     `bson:"text"`
	HTML        string     `bson:"html,omitempty"`
	Unsubscribe string     `bson:"unsubscribe,omitempty"`
	State       string     `bson:"state"`
	Attempts    int        `bson:"attempts"`
	NextAt      time.Time  `bson:"next_at"`
	LastError   string     `bson:"last_error,omitempty"`
	CreatedAt   time.Time  `bson:"created_at"`
	SentAt      *time.Time `bson:"sent_at,omitempty"`
	ExpireAt    time.Time  `bson:"expire_at"` // removed after, sent or not
}

// outboxKeep is how long a message is kept: its key must outlive any
// recomputation of the same mail, which its producer does within minutes.
const outboxKeep = 60 * 24 * time.Hour

func migrateOutbox(ctx context.Context, s *Store) error {
	if err := s.ensureCollection(ctx, collOutbox); err != nil {
		return err
	}
	if s.embedded != nil {
		return nil // idsWhere indexes state; PruneExpired expires
	}
	_, err := s.db.Collection(collOutbox).Indexes().CreateMany(ctx, []mongo.IndexModel{
		{Keys: bson.D{{Key: "state", Value: 1}}},
		{Keys: bson.D{{Key: "expire_at", Value: 1}}, Options: options.Index().SetExpireAfterSeconds(0)},
	})
	return err
}

// QueueMail inserts a new message, pending from now. It returns ECONFLICT
// when a message with that key exists, whatever its state.
func (s *Store) QueueMail(ctx context.Context, m *OutboxMessage, now time.Time) error {
	n, err := s.QueueMails(ctx, []*OutboxMessage{m}, now)
	if err == nil && n == 0 {
		return directory.Errorf(directory.ECONFLICT, "Ce courriel est déjà en file.")
	}
	return err
}

// QueueMails inserts new messages in one round trip, each pending from now
// unless a message with its key exists; it returns how many it inserted.
func (s *Store) QueueMails(ctx context.Context, ms []*OutboxMessage, now time.Time) (int, error) {
	if len(ms) == 0 {
		return 0, nil
	}
	now = now.UTC()
	docs := make([]any, len(ms))
	for i, m := range ms {
		m.State, m.Attempts, m.CreatedAt, m.NextAt, m.ExpireAt = OutboxPending, 0, now, now, now.Add(outboxKeep)
		docs[i] = m
	}
	_, err := s.db.Collection(collOutbox).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bwe mongo.BulkWriteException
	switch {
	case err == nil:
		return len(ms), nil
	case errors.As(err, &bwe) && bwe.WriteConcernError == nil:
		for _, we := range bwe.WriteErrors {
			if !mongo.IsDuplicateKeyError(we) {
				return 0, fmt.Errorf("store: queue mails: %w", err)
			}
		}
		return len(ms) - len(bwe.WriteErrors), nil
	}
	return 0, fmt.Errorf("store: queue mails: %w", err)
}

// OutboxMessage returns a message by key, or ENOTFOUND.
func (s *Store) OutboxMessage(ctx context.Context, id string) (*OutboxMessage, error) {
	var m OutboxMessage
	if err := s.getByID(ctx, collOutbox, id, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// SaveOutboxMessage rewrites a message: for the sender, which holds the
// outbox's lease, and for an administrator's retry of a failed one.
func (s *Store) SaveOutboxMessage(ctx context.Context, m *OutboxMessage) error {
	if _, err := s.db.Collection(collOutbox).ReplaceOne(ctx, bson.D{{Key: "_id", Value: m.ID}}, m); err != nil {
		return fmt.Errorf("store: save mail %s: %w", m.ID, err)
	}
	return nil
}

// OutboxIDs lists the keys of the messages in a state, from an index.
func (s *Store) OutboxIDs(ctx context.Context, state string) ([]string, error) {
	return s.idsWhere(ctx, collOutbox, "state", state)
}

// PruneOutbox deletes the messages past their expiry (MongoDB's TTL index
// does it by itself; FerretDB scans the collection).
func (s *Store) PruneOutbox(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.Collection(collOutbox).DeleteMany(ctx, bson.D{{Key: "expire_at", Value: bson.D{{Key: "$lt", Value: now.UTC()}}}})
	if err != nil {
		return 0, fmt.Errorf("store: prune outbox: %w", err)
	}
	return res.DeletedCount, nil
}

// DeleteOutboxKind removes every message of a kind (benchmarks; a filtered
// delete).
func (s *Store) DeleteOutboxKind(ctx context.Context, kind string) error {
	if _, err := s.db.Collection(collOutbox).DeleteMany(ctx, bson.D{{Key: "kind", Value: kind}}); err != nil {
		return fmt.Errorf("store: delete outbox %s: %w", kind, err)
	}
	return nil
}
