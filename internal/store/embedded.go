package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
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

	mu  sync.Mutex
	dbs map[string]*sql.DB // FerretDB's SQLite files, by database
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
	e.mu.Lock()
	for _, db := range e.dbs {
		_ = db.Close()
	}
	e.dbs = nil
	e.mu.Unlock()
	e.cancel()
	select {
	case <-e.done:
	case <-time.After(10 * time.Second):
	}
}

// sqlite opens FerretDB's own database file, which SQLite lets us share
// (WAL mode, busy timeout), for the few things FerretDB v1 does badly.
func (e *embedded) sqlite(database string) (*sql.DB, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if db := e.dbs[database]; db != nil {
		return db, nil
	}
	path := filepath.Join(e.dir, database+".sqlite")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	if e.dbs == nil {
		e.dbs = map[string]*sql.DB{}
	}
	e.dbs[database] = db
	return db, nil
}

// table returns the SQLite table FerretDB keeps a collection in.
func (e *embedded) table(ctx context.Context, database, collection string) (*sql.DB, string, error) {
	db, err := e.sqlite(database)
	if err != nil {
		return nil, "", err
	}
	var table string
	err = db.QueryRowContext(ctx, `SELECT table_name FROM _ferretdb_collections WHERE name = ?`, collection).Scan(&table)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", fmt.Errorf("store: collection %s.%s does not exist yet", database, collection)
	} else if err != nil {
		return nil, "", fmt.Errorf("store: find table of %s: %w", collection, err)
	}
	return db, table, nil
}

// ensureIDIndex works around FerretDB v1's SQLite backend: it indexes _id as
// `_ferretdb_sjson->"_id"` but queries `_ferretdb_sjson->'$._id' = ?`, so SQLite
// never uses the index and every lookup by id scans the table (~200 ms at 100k
// documents). An index on the exact query expression turns those lookups, and
// the updates and deletes by id, into index seeks.
func (e *embedded) ensureIDIndex(ctx context.Context, database, collection string) error {
	db, table, err := e.table(ctx, database, collection)
	if err != nil {
		return err
	}
	q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+"_repere_id", table)
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("store: index %s: %w", collection, err)
	}
	return nil
}

// count counts a collection's documents: FerretDB v1 answers `count` by
// decoding every document (over 30 s at 100k services on 2 busy cores), SQLite
// by walking an index.
func (e *embedded) count(ctx context.Context, database, collection string) (int64, error) {
	db, table, err := e.table(ctx, database, collection)
	if err != nil {
		return 0, err
	}
	var n int64
	if err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT count(*) FROM %q`, table)).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count %s: %w", collection, err)
	}
	return n, nil
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
