package directory

import (
	"strings"
	"time"
)

// HistoryEntry is one change of a service or a structure: who, when, what.
// The owner of the record writes it with the change (catalog for services,
// account for structures).
type HistoryEntry struct {
	At       time.Time     `bson:"at"`
	UserID   string        `bson:"user_id,omitempty"`
	UserName string        `bson:"user_name,omitempty"`
	Action   string        `bson:"action"`            // French, e.g. "Modifier un service"
	Version  int64         `bson:"version,omitempty"` // the record's version after the change
	Changes  []FieldChange `bson:"changes,omitempty"`
	// Service is the service as written, so that a later concurrent edit can
	// be merged against the version its editor started from.
	Service *Service `bson:"service,omitempty"`
}

// FieldChange is one field's value before and after a change, as shown to
// people (labels, not codes).
type FieldChange struct {
	Field  string `bson:"field"`
	Before string `bson:"before,omitempty"`
	After  string `bson:"after,omitempty"`
}

// Author is who makes a change, as the history names them; the zero value
// is Repère itself (an import, a job).
type Author struct {
	UserID, Name string
}

// Shorten cuts s to about n characters, on a word, with an ellipsis.
func Shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

// SpacedSIRET writes a SIRET as people read it: "123 456 789 00012".
func SpacedSIRET(s string) string {
	if len(s) != 14 {
		return s
	}
	return s[0:3] + " " + s[3:6] + " " + s[6:9] + " " + s[9:]
}
