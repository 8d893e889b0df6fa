package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/repere-spie/repere/internal/directory"
)

// CreateSession inserts a session.
func (s *Store) CreateSession(ctx context.Context, sess *directory.Session) error {
	return s.insert(ctx, collSessions, sess)
}

// Session returns the session with that id (the hash of its token), or ENOTFOUND.
func (s *Store) Session(ctx context.Context, id string) (*directory.Session, error) {
	var sess directory.Session
	if err := s.getByID(ctx, collSessions, id, &sess); err != nil {
		return nil, err
	}
	return &sess, nil
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	return s.updateByID(ctx, collSessions, id, bson.D{{Key: "$set", Value: bson.D{{Key: "last_seen_at", Value: at.UTC()}}}}, false)
}

// DeleteSession removes a session; a missing one is not an error.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	return s.deleteByID(ctx, collSessions, id)
}

// Token is a single-use secret sent by mail or kept during a login flow. Its
// ID is the SHA-256 of the secret; the secret itself is never stored.
type Token struct {
	ID          string            `bson:"_id"`
	Kind        string            `bson:"kind"`
	UserID      string            `bson:"user_id,omitempty"`
	Email       string            `bson:"email,omitempty"`
	StructureID string            `bson:"structure_id,omitempty"`
	Data        map[string]string `bson:"data,omitempty"`
	CreatedAt   time.Time         `bson:"created_at"`
	ExpireAt    time.Time         `bson:"expire_at"`
}

// CreateToken inserts a token.
func (s *Store) CreateToken(ctx context.Context, t *Token) error {
	return s.insert(ctx, collTokens, t)
}

// Token returns the token without consuming it, or ENOTFOUND.
func (s *Store) Token(ctx context.Context, id string) (*Token, error) {
	var t Token
	if err := s.getByID(ctx, collTokens, id, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// TakeToken deletes the token and returns it: of two concurrent takes, one
// gets it and the other ENOTFOUND.
func (s *Store) TakeToken(ctx context.Context, id string) (*Token, error) {
	if s.embedded != nil {
		unlock := s.locks.Lock(collTokens + "/" + id)
		defer unlock()
	}
	var t Token
	err := s.db.Collection(collTokens).FindOneAndDelete(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&t)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, directory.Errorf(directory.ENOTFOUND, "Ce lien n’est plus valide.")
	} else if err != nil {
		return nil, fmt.Errorf("store: take token: %w", err)
	}
	return &t, nil
}

// DeleteToken removes a token; a missing one is not an error.
func (s *Store) DeleteToken(ctx context.Context, id string) error {
	return s.deleteByID(ctx, collTokens, id)
}

// Throttle counts events for one key ("login:<e-mail>", "ip:<address>", …)
// so that every instance sharing the store sees the same counts.
type Throttle struct {
	ID          string    `bson:"_id"`
	Count       int       `bson:"count"`
	Last        time.Time `bson:"last"`
	LockedUntil time.Time `bson:"locked_until"`
	Version     int64     `bson:"version"`
	ExpireAt    time.Time `bson:"expire_at"`
}

// Throttle returns the counter, or ENOTFOUND.
func (s *Store) Throttle(ctx context.Context, id string) (*Throttle, error) {
	var t Throttle
	if err := s.getByID(ctx, collThrottles, id, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// SaveThrottle writes t as read at version t.Version (0: not stored yet) and
// increments t.Version; a concurrent write returns ECONFLICT.
func (s *Store) SaveThrottle(ctx context.Context, t *Throttle) error {
	next := *t
	next.Version++
	var err error
	if t.Version == 0 {
		err = s.insert(ctx, collThrottles, &next)
	} else {
		err = s.replaceVersioned(ctx, collThrottles, t.ID, t.Version, &next)
	}
	if err == nil {
		t.Version = next.Version
	}
	return err
}

// DeleteThrottle removes a counter.
func (s *Store) DeleteThrottle(ctx context.Context, id string) error {
	return s.deleteByID(ctx, collThrottles, id)
}

const secretKeyID = "secret_key"

// SecretKey returns the site's generated secret, creating it on first use, so
// that every instance sharing the store signs with the same key when none is
// configured.
func (s *Store) SecretKey(ctx context.Context) ([]byte, error) {
	var doc struct {
		Key string `bson:"key"`
	}
	err := s.getByID(ctx, collMeta, secretKeyID, &doc)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		var b [32]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		doc.Key = base64.RawStdEncoding.EncodeToString(b[:])
		err = s.insert(ctx, collMeta, bson.D{{Key: "_id", Value: secretKeyID}, {Key: "key", Value: doc.Key}})
		if directory.ErrorCode(err) == directory.ECONFLICT {
			err = s.getByID(ctx, collMeta, secretKeyID, &doc) // another instance won
		}
	}
	if err != nil {
		return nil, err
	}
	return base64.RawStdEncoding.DecodeString(doc.Key)
}

// LockedThrottles returns the counters locked at now (accounts and
// addresses shut out of the login), soonest unlocked first, at most limit.
func (s *Store) LockedThrottles(ctx context.Context, now time.Time, limit int) ([]Throttle, error) {
	cur, err := s.db.Collection(collThrottles).Find(ctx, bson.D{{Key: "locked_until", Value: bson.D{{Key: "$gt", Value: now}}}},
		options.Find().SetSort(bson.D{{Key: "locked_until", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("store: scan throttles: %w", err)
	}
	var out []Throttle
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("store: scan throttles: %w", err)
	}
	return out, nil
}
