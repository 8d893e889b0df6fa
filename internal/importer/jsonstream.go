package importer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// jsonRecords streams the records of a JSON file without holding it whole:
// an array of objects, JSON Lines (one object per line), or an object whose
// members are arrays of objects (named groups, as in the Lille file:
// {"lille_metro": […], "auteuil": […]}). fn gets the group ("" outside
// groups), the record's number from 1 in its file, and its bytes, valid
// until fn returns. A truncated file, broken JSON or bytes that are not
// UTF-8 stop the stream with a French error naming the record.
func jsonRecords(r io.Reader, name string, fn func(group string, n int, raw json.RawMessage) error) error {
	br := bufio.NewReaderSize(r, 256<<10)
	first, err := peekNonSpace(br)
	if err == io.EOF {
		return fmt.Errorf("%s est vide", name)
	} else if err != nil {
		return err
	}
	dec := json.NewDecoder(br)
	n := 0
	record := func(group string, raw json.RawMessage) error {
		n++
		if !utf8.Valid(raw) {
			return fmt.Errorf("%s n’est pas encodé en UTF-8 (enregistrement %d) : enregistrez-le en UTF-8", name, n)
		}
		if len(raw) == 0 || raw[0] != '{' {
			return fmt.Errorf("%s, enregistrement %d : un objet JSON est attendu", name, n)
		}
		return fn(group, n, raw)
	}
	fail := func(err error) error {
		var se *json.SyntaxError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			return fmt.Errorf("%s est tronqué : il s’arrête au milieu de l’enregistrement %d", name, n+1)
		case errors.As(err, &se):
			return fmt.Errorf("%s n’est pas du JSON valide après l’enregistrement %d (octet %d) : %v", name, n, se.Offset, err)
		}
		return fmt.Errorf("%s, après l’enregistrement %d : %w", name, n, err)
	}
	array := func(group string) error {
		if _, err := dec.Token(); err != nil { // [
			return fail(err)
		}
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return fail(err)
			}
			if err := record(group, raw); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil { // ]
			return fail(err)
		}
		return nil
	}
	switch first {
	case '[':
		if err := array(""); err != nil {
			return err
		}
	case '{':
		// JSON Lines, or one object of named arrays: decide on the first
		// member's value.
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fail(err)
		}
		if groups, ok := namedArrays(raw); ok {
			for _, g := range groups {
				sub := json.NewDecoder(bytes.NewReader(g.raw))
				dec = sub
				if err := array(g.name); err != nil {
					return err
				}
			}
			return nil
		}
		if err := record("", raw); err != nil {
			return err
		}
		for dec.More() {
			raw = nil
			if err := dec.Decode(&raw); err != nil {
				return fail(err)
			}
			if err := record("", raw); err != nil {
				return err
			}
		}
		return nil
	default:
		return fmt.Errorf("%s n’est pas un fichier JSON de structures ou de services (il commence par %q)", name, first)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%s : contenu inattendu après la fin du tableau", name)
	}
	return nil
}

type namedArray struct {
	name string
	raw  json.RawMessage
}

// namedArrays returns the members of an object when they are all arrays.
func namedArrays(raw json.RawMessage) ([]namedArray, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, false
	}
	var out []namedArray
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, false
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil || len(v) == 0 || v[0] != '[' {
			return nil, false
		}
		out = append(out, namedArray{fmt.Sprint(k), v})
	}
	return out, len(out) > 0
}

func peekNonSpace(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		case 0xEF: // UTF-8 byte order mark
			if next, _ := br.Peek(2); bytes.Equal(next, []byte{0xBB, 0xBF}) {
				_, _ = br.Discard(2)
				continue
			}
		}
		return b, br.UnreadByte()
	}
}
