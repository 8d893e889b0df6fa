package store

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/bsontype"
	"go.mongodb.org/mongo-driver/bson/primitive"
	"go.mongodb.org/mongo-driver/x/bsonx/bsoncore"
)

// FerretDB v1 keeps each document as "sjson": plain JSON values beside a
// schema ("$s") giving each field's BSON type and the key order. Decoding it
// here, straight from SQLite and on every core, makes a full scan several
// times faster than FerretDB's own path (its sjson decoding, a BSON
// re-encoding and the wire), which is what bounds index rebuilds and the
// open-data export. The format is that of the pinned FerretDB v1.24; the
// tests compare this decoder with the driver on the same documents.
//
// The JSON is walked by hand, values copied straight into BSON: decoding
// it with encoding/json (maps of raw messages, reflection) was 45 % of the
// CPU of a whole export.

// sjsonType is the type of one value, as the schema gives it.
type sjsonType struct {
	T       string      // "t"
	Items   []sjsonType // "i": array items
	Doc     []byte      // "$s": object schema, as written
	Subtype byte        // "s": binData subtype
	Options string      // "o": regex options
}

// A decoder converts the documents of one scan. Documents differ in their
// schemas (array lengths, optional fields: 30,000 distinct schemas in
// 100,000 demo services) but not in the types of their fields, so each
// field type is parsed once per decoder, up to maxTypes of them.
type decoder struct {
	types               map[string]sjsonType
	fields, props, keys []member
}

const maxTypes = 4096

func newDecoder() *decoder { return &decoder{types: map[string]sjsonType{}} }

// typeOf parses the type text raw, or finds it already parsed.
func (dec *decoder) typeOf(raw []byte) (sjsonType, error) {
	if t, ok := dec.types[string(raw)]; ok {
		return t, nil
	}
	raw = bytes.Clone(raw) // the type keeps pieces of it (object schemas)
	t, err := parseType(raw)
	if err == nil && len(dec.types) < maxTypes {
		dec.types[string(raw)] = t
	}
	return t, err
}

// toBSON converts one stored document to BSON; projected, the fields the
// projection found absent (null for type) are left out.
func (dec *decoder) toBSON(data []byte, projected bool) (bson.Raw, error) {
	var err error
	if dec.fields, err = members(data, dec.fields[:0]); err != nil {
		return nil, err
	}
	for _, m := range dec.fields {
		if string(m.key) == "$s" {
			return dec.appendDocument(make([]byte, 0, len(data)), m.val, dec.fields, projected, true)
		}
	}
	return nil, errors.New("sjson: no schema")
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

// appendDocument appends the fields of an object, in the order of the
// schema's keys. top: the decoder's buffers are free for this level.
func (dec *decoder) appendDocument(dst, schema []byte, fields []member, projected, top bool) ([]byte, error) {
	var props, keys []member
	var err error
	if top {
		props, keys = dec.props[:0], dec.keys[:0]
	}
	sm, err := members(schema, nil)
	if err != nil {
		return nil, err
	}
	for _, m := range sm {
		switch string(m.key) {
		case "p":
			props, err = members(m.val, props)
		case "$k":
			keys, err = elementMembers(m.val, keys)
		}
		if err != nil {
			return nil, err
		}
	}
	if top {
		dec.props, dec.keys = props, keys
	}
	idx, dst := bsoncore.AppendDocumentStart(dst)
	nextProp, nextField := 0, 0 // FerretDB writes both in key order: look there first
	for _, k := range keys {
		var prop, val []byte
		if prop, nextProp = find(props, k, nextProp); prop == nil {
			return nil, fmt.Errorf("sjson: no schema for %s", k.val)
		}
		if projected && string(prop) == "null" {
			continue
		}
		if val, nextField = find(fields, k, nextField); val == nil {
			return nil, fmt.Errorf("sjson: no value for %s", k.val)
		}
		t, err := dec.typeOf(prop)
		if err != nil {
			return nil, err
		}
		key := k.key
		if k.esc {
			if key, err = appendUnquoted(nil, k.val); err != nil {
				return nil, err
			}
		}
		if dst, err = dec.appendValue(dst, key, t, val); err != nil {
			return nil, fmt.Errorf("sjson %s: %w", k.val, err)
		}
	}
	return bsoncore.AppendDocumentEnd(dst, idx)
}

// find returns the value of the member of ms whose key is that of k (a
// string of the schema's key list), looking at ms[next] first.
func find(ms []member, k member, next int) ([]byte, int) {
	if next < len(ms) && ms[next].esc == k.esc && bytes.Equal(ms[next].key, k.key) {
		return ms[next].val, next + 1
	}
	for i := range ms {
		if ms[i].esc == k.esc && bytes.Equal(ms[i].key, k.key) {
			return ms[i].val, i + 1
		}
	}
	return nil, next
}

// header appends an element's type and key.
func header(dst []byte, t bsontype.Type, key []byte) []byte {
	dst = append(dst, byte(t))
	dst = append(dst, key...)
	return append(dst, 0)
}

func (dec *decoder) appendValue(dst, key []byte, t sjsonType, raw []byte) ([]byte, error) {
	switch t.T {
	case "string":
		dst = header(dst, bson.TypeString, key)
		at := len(dst)
		dst = append(dst, 0, 0, 0, 0)
		dst, err := appendUnquoted(dst, raw)
		if err != nil {
			return nil, err
		}
		dst = append(dst, 0)
		binary.LittleEndian.PutUint32(dst[at:], uint32(len(dst)-at-4))
		return dst, nil
	case "double":
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			return nil, err
		}
		return bsoncore.AppendDouble(header(dst, bson.TypeDouble, key), f), nil
	case "long", "int", "date", "timestamp":
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return nil, err
		}
		switch t.T {
		case "long":
			return bsoncore.AppendInt64(header(dst, bson.TypeInt64, key), n), nil
		case "int":
			return bsoncore.AppendInt32(header(dst, bson.TypeInt32, key), int32(n)), nil
		case "date":
			return bsoncore.AppendDateTime(header(dst, bson.TypeDateTime, key), n), nil
		}
		return bsoncore.AppendTimestamp(header(dst, bson.TypeTimestamp, key), uint32(uint64(n)>>32), uint32(n)), nil
	case "bool":
		return bsoncore.AppendBoolean(header(dst, bson.TypeBoolean, key), bytes.Equal(raw, []byte("true"))), nil
	case "null":
		return header(dst, bson.TypeNull, key), nil
	case "objectId", "binData", "regex":
		s, err := unquote(raw)
		if err != nil {
			return nil, err
		}
		switch t.T {
		case "objectId":
			id, err := primitive.ObjectIDFromHex(s)
			if err != nil {
				return nil, err
			}
			return bsoncore.AppendObjectID(header(dst, bson.TypeObjectID, key), id), nil
		case "binData":
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return nil, err
			}
			return bsoncore.AppendBinary(header(dst, bson.TypeBinary, key), t.Subtype, b), nil
		}
		return bsoncore.AppendRegex(header(dst, bson.TypeRegex, key), s, t.Options), nil
	case "object":
		if t.Doc == nil {
			return nil, errors.New("object without schema")
		}
		fields, err := members(raw, nil)
		if err != nil {
			return nil, err
		}
		return dec.appendDocument(header(dst, bson.TypeEmbeddedDocument, key), t.Doc, fields, false, false)
	case "array":
		items, err := elements(raw)
		if err != nil {
			return nil, err
		}
		if len(items) != len(t.Items) {
			return nil, fmt.Errorf("%d items for %d types", len(items), len(t.Items))
		}
		idx, dst := bsoncore.AppendArrayStart(header(dst, bson.TypeArray, key))
		var num []byte
		for i, it := range items {
			num = strconv.AppendInt(num[:0], int64(i), 10)
			if dst, err = dec.appendValue(dst, num, t.Items[i], it); err != nil {
				return nil, err
			}
		}
		return bsoncore.AppendArrayEnd(dst, idx)
	}
	return nil, fmt.Errorf("unsupported sjson type %q", t.T)
}

// parseType reads the type of one value.
func parseType(d []byte) (sjsonType, error) {
	var t sjsonType
	ms, err := members(d, nil)
	if err != nil {
		return t, err
	}
	for _, m := range ms {
		switch string(m.key) {
		case "t":
			t.T, err = unquote(m.val)
		case "i":
			var items [][]byte
			if items, err = elements(m.val); err == nil {
				t.Items = make([]sjsonType, len(items))
				for i, it := range items {
					if t.Items[i], err = parseType(it); err != nil {
						break
					}
				}
			}
		case "$s":
			t.Doc = m.val
		case "s":
			var n uint64
			n, err = strconv.ParseUint(string(m.val), 10, 8)
			t.Subtype = byte(n)
		case "o":
			t.Options, err = unquote(m.val)
		}
		if err != nil {
			return t, err
		}
	}
	return t, nil
}

// The JSON walk. Its input is what SQLite stored or built, so it is valid
// JSON; the checks only keep a damaged row from reading out of bounds.

var errSyntax = errors.New("sjson: malformed JSON")

// member is one key and raw value of an object.
type member struct {
	key []byte // as written, quotes removed
	esc bool   // key has escapes
	val []byte
}

func space(d []byte, i int) int {
	for i < len(d) && (d[i] == ' ' || d[i] == '\n' || d[i] == '\t' || d[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the string opening at d[i], and
// whether it has escapes.
func stringEnd(d []byte, i int) (int, bool, error) {
	esc := false
	for i++; i < len(d); i++ {
		switch d[i] {
		case '\\':
			esc = true
			i++
		case '"':
			return i + 1, esc, nil
		}
	}
	return 0, false, errSyntax
}

// valueEnd returns the index after the value starting at d[i].
func valueEnd(d []byte, i int) (int, error) {
	if i >= len(d) {
		return 0, errSyntax
	}
	switch d[i] {
	case '"':
		end, _, err := stringEnd(d, i)
		return end, err
	case '{', '[':
		depth := 0
		for ; i < len(d); i++ {
			switch d[i] {
			case '"':
				end, _, err := stringEnd(d, i)
				if err != nil {
					return 0, err
				}
				i = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1, nil
				}
			}
		}
		return 0, errSyntax
	}
	for ; i < len(d); i++ { // number, true, false, null
		switch d[i] {
		case ',', '}', ']', ' ', '\n', '\t', '\r':
			return i, nil
		}
	}
	return i, nil
}

// members splits the object d into its members, appended to dst.
func members(d []byte, dst []member) ([]member, error) {
	i := space(d, 0)
	if i >= len(d) || d[i] != '{' {
		return nil, errSyntax
	}
	if i = space(d, i+1); i < len(d) && d[i] == '}' {
		return dst, nil
	}
	for i < len(d) {
		if d[i] != '"' {
			return nil, errSyntax
		}
		kend, esc, err := stringEnd(d, i)
		if err != nil {
			return nil, err
		}
		m := member{key: d[i+1 : kend-1], esc: esc}
		if i = space(d, kend); i >= len(d) || d[i] != ':' {
			return nil, errSyntax
		}
		i = space(d, i+1)
		end, err := valueEnd(d, i)
		if err != nil {
			return nil, err
		}
		m.val = d[i:end]
		dst = append(dst, m)
		if i = space(d, end); i >= len(d) {
			break
		}
		switch d[i] {
		case ',':
			i = space(d, i+1)
		case '}':
			return dst, nil
		default:
			return nil, errSyntax
		}
	}
	return nil, errSyntax
}

// elements splits the array d into its raw values.
func elements(d []byte) ([][]byte, error) {
	i := space(d, 0)
	if i >= len(d) || d[i] != '[' {
		return nil, errSyntax
	}
	if i = space(d, i+1); i < len(d) && d[i] == ']' {
		return nil, nil
	}
	var items [][]byte
	for i < len(d) {
		end, err := valueEnd(d, i)
		if err != nil {
			return nil, err
		}
		items = append(items, d[i:end])
		if i = space(d, end); i >= len(d) {
			break
		}
		switch d[i] {
		case ',':
			i = space(d, i+1)
		case ']':
			return items, nil
		default:
			return nil, errSyntax
		}
	}
	return nil, errSyntax
}

// elementMembers splits the array of strings d into members whose key is
// each string's text as written (val: the string with its quotes).
func elementMembers(d []byte, dst []member) ([]member, error) {
	items, err := elements(d)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if len(it) < 2 || it[0] != '"' {
			return nil, errSyntax
		}
		dst = append(dst, member{key: it[1 : len(it)-1], esc: bytes.IndexByte(it, '\\') >= 0, val: it})
	}
	return dst, nil
}

func unquote(raw []byte) (string, error) {
	b, err := appendUnquoted(nil, raw)
	return string(b), err
}

// appendUnquoted appends the text of the JSON string raw (quotes
// included) to dst, escapes resolved as encoding/json resolves them.
func appendUnquoted(dst, raw []byte) ([]byte, error) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return nil, errSyntax
	}
	s := raw[1 : len(raw)-1]
	for len(s) > 0 {
		i := bytes.IndexByte(s, '\\')
		if i < 0 {
			return appendValid(dst, s), nil
		}
		dst = appendValid(dst, s[:i])
		if i+1 >= len(s) {
			return nil, errSyntax
		}
		c := s[i+1]
		s = s[i+2:]
		switch c {
		case '"', '\\', '/':
			dst = append(dst, c)
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r, ok := hex4(s)
			if !ok {
				return nil, errSyntax
			}
			s = s[4:]
			if utf16.IsSurrogate(r) {
				r2, ok := rune(-1), false
				if len(s) >= 6 && s[0] == '\\' && s[1] == 'u' {
					r2, ok = hex4(s[2:])
				}
				if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
					r, s = dec, s[6:]
				} else {
					r = utf8.RuneError
				}
			}
			dst = utf8.AppendRune(dst, r)
		default:
			return nil, errSyntax
		}
	}
	return dst, nil
}

// appendValid appends s, invalid UTF-8 replaced as encoding/json does.
func appendValid(dst, s []byte) []byte {
	if utf8.Valid(s) {
		return append(dst, s...)
	}
	for len(s) > 0 {
		r, n := utf8.DecodeRune(s)
		if r == utf8.RuneError && n == 1 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
		} else {
			dst = append(dst, s[:n]...)
		}
		s = s[n:]
	}
	return dst
}

func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
