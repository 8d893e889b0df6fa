package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/repere-spie/repere/internal/directory"
)

// ServicesByID returns the services of ids that exist, in no particular
// order: the downloads of a search read their rows this way, a few hundred
// at a time, where one FindOne each would cost a round trip per row.
func (s *Store) ServicesByID(ctx context.Context, ids []string) ([]*directory.Service, error) {
	return byID[directory.Service](ctx, s, collServices, ids)
}

// StructuresByID returns the structures of ids that exist.
func (s *Store) StructuresByID(ctx context.Context, ids []string) ([]*directory.Structure, error) {
	return byID[directory.Structure](ctx, s, collStructures, ids)
}

func byID[T any](ctx context.Context, s *Store, coll string, ids []string) ([]*T, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	out := make([]*T, 0, len(ids))
	if s.embedded != nil {
		err := s.embedded.byID(ctx, s.db.Name(), coll, ids, func(raw bson.Raw) error {
			var v T
			if err := bson.Unmarshal(raw, &v); err != nil {
				return fmt.Errorf("store: decode %s: %w", coll, err)
			}
			out = append(out, &v)
			return nil
		})
		return out, err
	}
	cur, err := s.db.Collection(coll).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	if err != nil {
		return nil, fmt.Errorf("store: read %s: %w", coll, err)
	}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("store: read %s: %w", coll, err)
	}
	return out, nil
}

// byID reads documents by id from SQLite, a few hundred at a time, through
// the index of ensureIDIndex: FerretDB would scan the collection for $in.
func (e *embedded) byID(ctx context.Context, database, collection string, ids []string, fn func(bson.Raw) error) error {
	db, table, err := e.table(ctx, database, collection)
	if errors.Is(err, errNoCollection) {
		return nil
	} else if err != nil {
		return err
	}
	const chunk = 500
	dec := newDecoder()
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			q, err := json.Marshal(id) // the index holds the JSON text of _id
			if err != nil {
				return err
			}
			args[i] = string(q)
		}
		q := fmt.Sprintf(`SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' IN (?%s)`, table, strings.Repeat(", ?", len(part)-1))
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("store: read %s: %w", collection, err)
		}
		for rows.Next() {
			var data []byte
			if err := rows.Scan(&data); err != nil {
				rows.Close()
				return err
			}
			raw, err := dec.toBSON(data, false)
			if err == nil {
				err = fn(raw)
			}
			if err != nil {
				rows.Close()
				return err
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
