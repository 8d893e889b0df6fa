package store

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

// counted counts how often it is formatted.
type counted struct{ n *int }

func (c counted) LogValue() slog.Value { *c.n++; return slog.StringValue("document") }

// The embedded store's logger formats what FerretDB adds to it only for
// the records it writes: errors, with their attributes and groups.
func TestQuietHandler(t *testing.T) {
	var out bytes.Buffer
	formatted := 0
	l := slog.New(quietHandler{inner: slog.NewTextHandler(&out, nil)})
	for range 100 {
		l.With("args", counted{&formatted}).DebugContext(context.Background(), ">>> INSERT")
	}
	if formatted != 0 || out.Len() != 0 {
		t.Fatalf("debug records formatted %d times, wrote %q", formatted, out.String())
	}
	l.WithGroup("sqlite").With("args", counted{&formatted}).Error("échec", "table", "services")
	if got := out.String(); formatted != 1 || !strings.Contains(got, "sqlite.args=document") || !strings.Contains(got, "sqlite.table=services") {
		t.Fatalf("error record: %q (formatted %d times)", got, formatted)
	}
}
