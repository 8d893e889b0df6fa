package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/repere-spie/repere/internal/directory"
)

// Collections of accounts. Every document is read by _id: lookups by e-mail,
// ProConnect subject or SIRET go through a key document whose _id is the
// looked-up value, and _id uniqueness is what makes them unique.
const (
	collUsers             = "users"
	collUserKeys          = "user_keys"
	collSessions          = "sessions"
	collTokens            = "tokens"
	collThrottles         = "throttles"
	collStructureAccounts = "structure_accounts"
	collStructureKeys     = "structure_keys"
	collLists             = "account_lists"
)

var accountCollections = []string{collUsers, collUserKeys, collSessions, collTokens, collThrottles,
	collStructureAccounts, collStructureKeys, collLists}

// expiring collections carry an expire_at date after which a document is dead.
var expiringCollections = []string{collSessions, collTokens, collThrottles}

func migrateAccounts(ctx context.Context, s *Store) error {
	for _, c := range accountCollections {
		if err := s.ensureCollection(ctx, c); err != nil {
			return err
		}
	}
	if s.embedded != nil {
		return nil // FerretDB v1 keeps TTL indexes but never expires: PruneExpired does it
	}
	for _, c := range expiringCollections {
		_, err := s.db.Collection(c).Indexes().CreateOne(ctx, mongo.IndexModel{
			Keys:    bson.D{{Key: "expire_at", Value: 1}},
			Options: options.Index().SetExpireAfterSeconds(0),
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// EmailKey and ProConnectKey name the key documents that find a user.
func EmailKey(email string) string    { return "email:" + email }
func ProConnectKey(sub string) string { return "proconnect:" + sub }

// CreateUser inserts a new user at version 1 and claims its e-mail key. Two
// sign-ups with one address race on the key's _id: exactly one wins, the
// other gets ECONFLICT.
func (s *Store) CreateUser(ctx context.Context, u *directory.User) error {
	if u.ID == "" {
		u.ID = directory.NewID()
	}
	now := s.now().UTC()
	if u.CreatedAt.IsZero() {
		u.CreatedAt = now
	}
	u.UpdatedAt, u.Version = u.CreatedAt, 1
	if err := s.ClaimUserKey(ctx, EmailKey(u.Email), u.ID); err != nil {
		return err
	}
	if err := s.insert(ctx, collUsers, u); err != nil {
		_ = s.ReleaseUserKey(ctx, EmailKey(u.Email), u.ID)
		return err
	}
	return nil
}

// User returns the user with that id, or ENOTFOUND.
func (s *Store) User(ctx context.Context, id string) (*directory.User, error) {
	var u directory.User
	if err := s.getByID(ctx, collUsers, id, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// UserByKey returns the user a key document points at, or ENOTFOUND.
func (s *Store) UserByKey(ctx context.Context, key string) (*directory.User, error) {
	var k keyDoc
	if err := s.getByID(ctx, collUserKeys, key, &k); err != nil {
		return nil, err
	}
	return s.User(ctx, k.Owner)
}

// UpdateUser writes u if the stored version still equals u.Version (ECONFLICT
// otherwise), then increments u.Version.
func (s *Store) UpdateUser(ctx context.Context, u *directory.User) error {
	next := *u
	next.Version++
	if err := s.replaceVersioned(ctx, collUsers, u.ID, u.Version, &next); err != nil {
		return err
	}
	u.Version = next.Version
	return nil
}

// ClaimUserKey points key at the user, or returns ECONFLICT when another user
// holds it.
func (s *Store) ClaimUserKey(ctx context.Context, key, userID string) error {
	return s.claimKey(ctx, collUserKeys, key, userID, func(ctx context.Context, owner string) (bool, error) {
		return s.exists(ctx, collUsers, owner)
	})
}

// ReleaseUserKey deletes key if it still points at the user.
func (s *Store) ReleaseUserKey(ctx context.Context, key, userID string) error {
	return s.releaseKey(ctx, collUserKeys, key, userID)
}

// CountUsers counts the accounts.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	return s.db.Collection(collUsers).CountDocuments(ctx, bson.D{})
}

// keyDoc makes a value unique and findable: its _id is the value.
type keyDoc struct {
	ID    string    `bson:"_id"`
	Owner string    `bson:"owner"`
	At    time.Time `bson:"at"`
}

// claimKey inserts a key document pointing at owner. When the key is held by
// an owner that was never written (a crash between the key and the owner's
// insert) for more than a minute, the claim takes it over.
func (s *Store) claimKey(ctx context.Context, coll, key, owner string, alive func(context.Context, string) (bool, error)) error {
	for attempt := 0; attempt < 3; attempt++ {
		err := s.insert(ctx, coll, keyDoc{ID: key, Owner: owner, At: s.now().UTC()})
		if directory.ErrorCode(err) != directory.ECONFLICT {
			return err
		}
		var cur keyDoc
		if err := s.getByID(ctx, coll, key, &cur); directory.ErrorCode(err) == directory.ENOTFOUND {
			continue // released meanwhile
		} else if err != nil {
			return err
		}
		if cur.Owner == owner {
			return nil
		}
		ok, err := alive(ctx, cur.Owner)
		if err != nil {
			return err
		}
		if ok || s.now().Sub(cur.At) < time.Minute {
			return directory.Errorf(directory.ECONFLICT, "Cette valeur est déjà utilisée.")
		}
		if err := s.releaseKey(ctx, coll, key, cur.Owner); err != nil {
			return err
		}
	}
	return directory.Errorf(directory.ECONFLICT, "Cette valeur est déjà utilisée.")
}

// releaseKey deletes the key document if it still points at owner.
func (s *Store) releaseKey(ctx context.Context, coll, key, owner string) error {
	c := s.db.Collection(coll)
	if s.embedded == nil {
		_, err := c.DeleteOne(ctx, bson.D{{Key: "_id", Value: key}, {Key: "owner", Value: owner}})
		return err
	}
	// A two-field filter would scan the collection on FerretDB: check under
	// the lock, then delete by id.
	unlock := s.locks.Lock(coll + "/" + key)
	defer unlock()
	var cur keyDoc
	if err := s.getByID(ctx, coll, key, &cur); directory.ErrorCode(err) == directory.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	if cur.Owner != owner {
		return nil
	}
	if _, err := c.DeleteOne(ctx, bson.D{{Key: "_id", Value: key}}); err != nil {
		return fmt.Errorf("store: delete %s %s: %w", coll, key, err)
	}
	return nil
}

// exists reports whether the document id exists.
func (s *Store) exists(ctx context.Context, coll, id string) (bool, error) {
	var doc struct{}
	err := s.getByID(ctx, coll, id, &doc)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return false, nil
	}
	return err == nil, err
}

// updateByID applies update to one document; when embedded it holds the
// document's lock, since FerretDB applies update operators as a
// read-modify-write.
func (s *Store) updateByID(ctx context.Context, coll, id string, update bson.D, upsert bool) error {
	if s.embedded != nil {
		unlock := s.locks.Lock(coll + "/" + id)
		defer unlock()
	}
	_, err := s.db.Collection(coll).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, update, options.Update().SetUpsert(upsert))
	if err != nil {
		return fmt.Errorf("store: update %s %s: %w", coll, id, err)
	}
	return nil
}

func (s *Store) deleteByID(ctx context.Context, coll, id string) error {
	if _, err := s.db.Collection(coll).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return fmt.Errorf("store: delete %s %s: %w", coll, id, err)
	}
	return nil
}

// AddToList adds id to the named list of ids (created when missing), once.
// Lists index documents for pages that would otherwise need a filtered query,
// such as a département's moderation queue; readers check each id against
// the document it names.
func (s *Store) AddToList(ctx context.Context, list, id string) error {
	return s.updateByID(ctx, collLists, list, bson.D{{Key: "$addToSet", Value: bson.D{{Key: "ids", Value: id}}}}, true)
}

// RemoveFromList removes id from the named list.
func (s *Store) RemoveFromList(ctx context.Context, list, id string) error {
	return s.updateByID(ctx, collLists, list, bson.D{{Key: "$pull", Value: bson.D{{Key: "ids", Value: id}}}}, false)
}

// List returns the ids of the named list; a missing list is empty.
func (s *Store) List(ctx context.Context, list string) ([]string, error) {
	var doc struct {
		IDs []string `bson:"ids"`
	}
	err := s.getByID(ctx, collLists, list, &doc)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return nil, nil
	}
	return doc.IDs, err
}

// ListNames returns the names of the non-empty lists (a scan of a small
// collection, for platform administrators' pages).
func (s *Store) ListNames(ctx context.Context) ([]string, error) {
	cur, err := s.db.Collection(collLists).Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("store: scan lists: %w", err)
	}
	var docs []struct {
		ID  string   `bson:"_id"`
		IDs []string `bson:"ids"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("store: scan lists: %w", err)
	}
	var out []string
	for _, d := range docs {
		if len(d.IDs) > 0 {
			out = append(out, d.ID)
		}
	}
	return out, nil
}

// PruneExpired deletes the sessions, tokens and throttle counters whose
// expire_at is past. MongoDB does it by itself with TTL indexes; FerretDB
// needs this, run from a periodic job (it scans the three collections).
func (s *Store) PruneExpired(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	for _, c := range expiringCollections {
		res, err := s.db.Collection(c).DeleteMany(ctx, bson.D{{Key: "expire_at", Value: bson.D{{Key: "$lt", Value: now.UTC()}}}})
		if err != nil {
			return n, fmt.Errorf("store: prune %s: %w", c, err)
		}
		n += res.DeletedCount
	}
	return n, nil
}
