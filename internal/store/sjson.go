package store

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
	"go.mongodb.org/mongo-driver/x/bsonx/bsoncore"
)

// FerretDB v1 keeps each document as "sjson": plain JSON values beside a
// schema ("$s") giving each field's BSON type and the key order. Decoding it
// here, straight from SQLite and on every core, makes a full scan several
// times faster than FerretDB's own path (its sjson decoding, a BSON
// re-encoding and the wire), which is what bounds index rebuilds. The format
// is that of the pinned FerretDB v1.24; the tests compare this decoder with
// the driver on the same documents.

type sjsonSchema struct {
	Props map[string]sjsonType `json:"p"`
	Keys  []string             `json:"$k"`
}

type sjsonType struct {
	T       string       `json:"t"`
	Items   []sjsonType  `json:"i"`  // array items
	Doc     *sjsonSchema `json:"$s"` // object schema
	Subtype byte         `json:"s"`  // binData subtype
	Options string       `json:"o"`  // regex options
}

// sjsonToBSON converts one stored document to BSON; projected, the
// fields the projection found absent (no type) are left out.
func sjsonToBSON(data []byte, projected bool) (bson.Raw, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return nil, err
	}
	var schema sjsonSchema
	if err := json.Unmarshal(fields["$s"], &schema); err != nil {
		return nil, fmt.Errorf("sjson schema: %w", err)
	}
	if projected {
		schema.Keys = slices.DeleteFunc(schema.Keys, func(k string) bool { return schema.Props[k].T == "" })
	}
	return appendDocument(nil, &schema, fields)
}

// sjsonProjection is the SQL expression that reads the stored documents,
// or only their top-level keys when keys is not nil: SQLite extracts them
// (values and schema, as JSON) so that the rest is never decoded.
func sjsonProjection(keys []string) string {
	if keys == nil {
		return "_ferretdb_sjson"
	}
	var types, values []string
	for _, k := range keys {
		path := strings.ReplaceAll(`$."`+k+`"`, "'", "''")
		schemaPath := strings.ReplaceAll(`$."$s".p."`+k+`"`, "'", "''")
		name := strings.ReplaceAll(k, "'", "''")
		types = append(types, fmt.Sprintf(`'%s', _ferretdb_sjson -> '%s'`, name, schemaPath))
		values = append(values, fmt.Sprintf(`'%s', _ferretdb_sjson -> '%s'`, name, path))
	}
	order, _ := json.Marshal(keys)
	return fmt.Sprintf(`json_object('$s', json_object('p', json_object(%s), '$k', json('%s')), %s)`,
		strings.Join(types, ", "), strings.ReplaceAll(string(order), "'", "''"), strings.Join(values, ", "))
}

func appendDocument(dst []byte, schema *sjsonSchema, fields map[string]json.RawMessage) ([]byte, error) {
	idx, dst := bsoncore.AppendDocumentStart(dst)
	for _, k := range schema.Keys {
		t, ok := schema.Props[k]
		if !ok {
			return nil, fmt.Errorf("sjson: no schema for %q", k)
		}
		var err error
		if dst, err = appendValue(dst, k, t, fields[k]); err != nil {
			return nil, fmt.Errorf("sjson %q: %w", k, err)
		}
	}
	return bsoncore.AppendDocumentEnd(dst, idx)
}

func appendValue(dst []byte, key string, t sjsonType, raw json.RawMessage) ([]byte, error) {
	switch t.T {
	case "string":
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return bsoncore.AppendStringElement(dst, key, s), nil
	case "double":
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			return nil, err
		}
		return bsoncore.AppendDoubleElement(dst, key, f), nil
	case "long", "int", "date", "timestamp":
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return nil, err
		}
		switch t.T {
		case "long":
			return bsoncore.AppendInt64Element(dst, key, n), nil
		case "int":
			return bsoncore.AppendInt32Element(dst, key, int32(n)), nil
		case "date":
			return bsoncore.AppendDateTimeElement(dst, key, n), nil
		}
		return bsoncore.AppendTimestampElement(dst, key, uint32(uint64(n)>>32), uint32(n)), nil
	case "bool":
		return bsoncore.AppendBooleanElement(dst, key, bytes.Equal(raw, []byte("true"))), nil
	case "null":
		return bsoncore.AppendNullElement(dst, key), nil
	case "objectId":
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		id, err := primitive.ObjectIDFromHex(s)
		if err != nil {
			return nil, err
		}
		return bsoncore.AppendObjectIDElement(dst, key, id), nil
	case "binData":
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, err
		}
		return bsoncore.AppendBinaryElement(dst, key, t.Subtype, b), nil
	case "regex":
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return bsoncore.AppendRegexElement(dst, key, s, t.Options), nil
	case "object":
		if t.Doc == nil {
			return nil, fmt.Errorf("object without schema")
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil {
			return nil, err
		}
		dst = bsoncore.AppendHeader(dst, bson.TypeEmbeddedDocument, key)
		return appendDocument(dst, t.Doc, fields)
	case "array":
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, err
		}
		if len(items) != len(t.Items) {
			return nil, fmt.Errorf("%d items for %d types", len(items), len(t.Items))
		}
		dst = bsoncore.AppendHeader(dst, bson.TypeArray, key)
		idx, dst := bsoncore.AppendArrayStart(dst)
		for i, it := range items {
			var err error
			if dst, err = appendValue(dst, strconv.Itoa(i), t.Items[i], it); err != nil {
				return nil, err
			}
		}
		return bsoncore.AppendArrayEnd(dst, idx)
	}
	return nil, fmt.Errorf("unsupported sjson type %q", t.T)
}
