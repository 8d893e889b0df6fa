package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses; we open its files to add indexes
)

// embedded is an in-process FerretDB v1 on SQLite, listening on a loopback port.
type embedded struct {
	dir    string
	uri    string
	cancel context.CancelFunc
	done   chan error
}

func startEmbedded(dataDir, addr string, logger *slog.Logger) (*embedded, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	dir, err := filepath.Abs(filepath.Join(dataDir, "ferretdb"))
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("store: create %s: %w", dir, err)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: addr},
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
		// FerretDB logs every connection at INFO and every failed command at
		// WARN (the driver's endSessions, unknown to it, at each disconnect):
		// only its errors interest us.
		Logger: slog.New(quietHandler{logger.Handler()}),
	})
	if err != nil {
		return nil, fmt.Errorf("store: start embedded FerretDB: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &embedded{dir: dir, cancel: cancel, done: make(chan error, 1)}
	go func() { e.done <- f.Run(ctx) }()
	e.uri = f.MongoDBURI()
	return e, nil
}

func (e *embedded) stop() {
	e.cancel()
	select {
	case <-e.done:
	case <-time.After(10 * time.Second):
	}
}

// ensureIDIndex works around FerretDB v1's SQLite backend: it indexes _id as
// `_ferretdb_sjson->"_id"` but queries `_ferretdb_sjson->'$._id' = ?`, so SQLite
// never uses the index and every lookup by id scans the table (~200 ms at 100k
// documents). An index on the exact query expression turns those lookups, and
// the updates and deletes by id, into index seeks. It is created with plain SQL
// on FerretDB's own database file, which SQLite allows concurrently (WAL mode).
func (e *embedded) ensureIDIndex(ctx context.Context, database, collection string) error {
	path := filepath.Join(e.dir, database+".sqlite")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	var table string
	err = db.QueryRowContext(ctx, `SELECT table_name FROM _ferretdb_collections WHERE name = ?`, collection).Scan(&table)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: collection %s.%s does not exist yet", database, collection)
	} else if err != nil {
		return fmt.Errorf("store: find table of %s: %w", collection, err)
	}
	q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+"_repere_id", table)
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("store: index %s: %w", collection, err)
	}
	return nil
}

// quietHandler drops records below ERROR.
type quietHandler struct{ slog.Handler }

func (h quietHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelError && h.Handler.Enabled(ctx, l)
}

func (h quietHandler) WithAttrs(a []slog.Attr) slog.Handler {
	return quietHandler{h.Handler.WithAttrs(a)}
}
func (h quietHandler) WithGroup(n string) slog.Handler { return quietHandler{h.Handler.WithGroup(n)} }
