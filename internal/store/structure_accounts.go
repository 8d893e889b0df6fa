package store

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"

	"github.com/repere-spie/repere/internal/directory"
)

// StructureAccount returns the members and moderation state of a structure,
// or ENOTFOUND (structures imported or generated have none).
func (s *Store) StructureAccount(ctx context.Context, id string) (*directory.StructureAccount, error) {
	var a directory.StructureAccount
	if err := s.getByID(ctx, collStructureAccounts, id, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// CreateStructureAccount inserts a at version 1 (ECONFLICT if it exists).
func (s *Store) CreateStructureAccount(ctx context.Context, a *directory.StructureAccount) error {
	now := s.now().UTC()
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.CreatedAt
	}
	a.Version = 1
	return s.insert(ctx, collStructureAccounts, a)
}

// UpdateStructureAccount writes a if the stored version still equals
// a.Version (ECONFLICT otherwise), then increments a.Version.
func (s *Store) UpdateStructureAccount(ctx context.Context, a *directory.StructureAccount) error {
	next := *a
	next.Version++
	if err := s.replaceVersioned(ctx, collStructureAccounts, a.ID, a.Version, &next); err != nil {
		return err
	}
	a.Version = next.Version
	return nil
}

// EachStructureAccount streams every structure account to fn (index builds:
// the moderation state decides whether services are listed). It reads the
// whole collection: never for a request.
func (s *Store) EachStructureAccount(ctx context.Context, fn func(*directory.StructureAccount) error) error {
	return each(ctx, s, collStructureAccounts, fn)
}

func siretKey(siret string) string { return "siret:" + siret }

// ClaimSIRET records that the structure holds the SIRET, or returns ECONFLICT
// when another structure does.
func (s *Store) ClaimSIRET(ctx context.Context, siret, structureID string) error {
	return s.claimKey(ctx, collStructureKeys, siretKey(siret), structureID, func(ctx context.Context, owner string) (bool, error) {
		return s.exists(ctx, collStructures, owner)
	})
}

// SIRETClaim is one structure claiming its SIRET.
type SIRETClaim struct{ SIRET, StructureID string }

// ClaimSIRETs claims many SIRETs in one round-trip (imports claim thousands,
// and one insert each was one SQLite commit each). A SIRET already taken is
// then claimed alone, as ClaimSIRET does (which takes over a key whose
// structure is gone); the ones held by another structure are returned.
func (s *Store) ClaimSIRETs(ctx context.Context, claims []SIRETClaim) (taken []SIRETClaim, err error) {
	if len(claims) == 0 {
		return nil, nil
	}
	now := s.now().UTC()
	docs := make([]any, len(claims))
	for i, c := range claims {
		docs[i] = keyDoc{ID: siretKey(c.SIRET), Owner: c.StructureID, At: now}
	}
	_, err = s.db.Collection(collStructureKeys).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bwe mongo.BulkWriteException
	if err != nil && !errors.As(err, &bwe) {
		return nil, fmt.Errorf("store: claim SIRETs: %w", err)
	}
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 { // DuplicateKey
			return nil, fmt.Errorf("store: claim SIRETs: %w", err)
		}
		c := claims[we.Index]
		switch err := s.ClaimSIRET(ctx, c.SIRET, c.StructureID); directory.ErrorCode(err) {
		case "":
		case directory.ECONFLICT:
			taken = append(taken, c)
		default:
			return nil, err
		}
	}
	if bwe.WriteConcernError != nil {
		return nil, fmt.Errorf("store: claim SIRETs: %w", err)
	}
	return taken, nil
}

// ReleaseSIRET forgets the SIRET if the structure still holds it.
func (s *Store) ReleaseSIRET(ctx context.Context, siret, structureID string) error {
	return s.releaseKey(ctx, collStructureKeys, siretKey(siret), structureID)
}

// StructureIDBySIRET returns the id of the structure holding the SIRET, or ENOTFOUND.
func (s *Store) StructureIDBySIRET(ctx context.Context, siret string) (string, error) {
	var k keyDoc
	if err := s.getByID(ctx, collStructureKeys, siretKey(siret), &k); err != nil {
		return "", err
	}
	return k.Owner, nil
}

// IndexStructureSIRETs writes the SIRET keys of structures stored without
// one (demo data, imports), the first structure of a SIRET winning. It reads
// every structure: for start-up after an import, never for a request.
func (s *Store) IndexStructureSIRETs(ctx context.Context) (int, error) {
	cur, err := s.db.Collection(collStructures).Find(ctx, bson.D{},
		options.Find().SetProjection(bson.D{{Key: "siret", Value: 1}, {Key: "cree_le", Value: 1}}))
	if err != nil {
		return 0, fmt.Errorf("store: scan structures: %w", err)
	}
	var sts []struct {
		ID    string `bson:"_id"`
		SIRET string `bson:"siret"`
	}
	if err := cur.All(ctx, &sts); err != nil {
		return 0, fmt.Errorf("store: scan structures: %w", err)
	}
	n := 0
	for _, st := range sts {
		if st.SIRET == "" {
			continue
		}
		err := s.insert(ctx, collStructureKeys, keyDoc{ID: siretKey(st.SIRET), Owner: st.ID, At: s.now().UTC()})
		if err == nil {
			n++
		} else if directory.ErrorCode(err) != directory.ECONFLICT {
			return n, err
		}
	}
	return n, nil
}
