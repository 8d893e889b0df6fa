package store

import (
	"context"

	"github.com/repere-spie/repere/internal/directory"
)

// Structure returns the structure with that id, or ENOTFOUND.
func (s *Store) Structure(ctx context.Context, id string) (*directory.Structure, error) {
	var st directory.Structure
	if err := s.getByID(ctx, collStructures, id, &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// CreateStructure inserts a new structure at version 1 (ECONFLICT if the id is taken).
func (s *Store) CreateStructure(ctx context.Context, st *directory.Structure) error {
	if st.ID == "" {
		st.ID = directory.NewID()
	}
	now := s.now().UTC()
	if st.CreatedAt.IsZero() {
		st.CreatedAt = now
	}
	if st.UpdatedAt.IsZero() {
		st.UpdatedAt = now
	}
	st.Version = 1
	return s.insert(ctx, collStructures, st)
}

// UpdateStructure writes st if the stored version still equals st.Version
// (ECONFLICT otherwise), then increments st.Version.
func (s *Store) UpdateStructure(ctx context.Context, st *directory.Structure) error {
	next := *st
	next.Version++
	if err := s.replaceVersioned(ctx, collStructures, st.ID, st.Version, &next); err != nil {
		return err
	}
	st.Version = next.Version
	return nil
}

// InsertStructures bulk-inserts new structures.
func (s *Store) InsertStructures(ctx context.Context, sts []*directory.Structure) error {
	docs := make([]any, len(sts))
	for i, st := range sts {
		if st.Version == 0 {
			st.Version = 1
		}
		docs[i] = st
	}
	return s.insertMany(ctx, collStructures, docs)
}

// EachStructure streams every structure to fn (index builds, exports).
func (s *Store) EachStructure(ctx context.Context, fn func(*directory.Structure) error) error {
	return each(ctx, s, collStructures, fn)
}
