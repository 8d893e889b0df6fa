package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/bson"
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
		Logger: slog.New(quietHandler{inner: logger.Handler()}),
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

var errNoCollection = errors.New("no such collection yet")

// table returns the SQLite table FerretDB keeps a collection in.
func (e *embedded) table(ctx context.Context, database, collection string) (*sql.DB, string, error) {
	db, err := e.sqlite(database)
	if err != nil {
		return nil, "", err
	}
	var table string
	err = db.QueryRowContext(ctx, `SELECT table_name FROM _ferretdb_collections WHERE name = ?`, collection).Scan(&table)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", fmt.Errorf("store: collection %s.%s: %w", database, collection, errNoCollection)
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

// idsWhere returns the _id of the documents whose top-level string field
// equals value, through an SQLite index on that field: FerretDB would decode
// the whole collection to answer the same filter (half a minute at 100k
// services).
func (e *embedded) idsWhere(ctx context.Context, database, collection, field, value string) ([]string, error) {
	db, table, err := e.table(ctx, database, collection)
	if errors.Is(err, errNoCollection) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	expr := fmt.Sprintf(`_ferretdb_sjson->>'$.%s'`, field)
	q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (%s)`, table+"_repere_"+field, table, expr)
	if _, err := db.ExecContext(ctx, q); err != nil {
		return nil, fmt.Errorf("store: index %s.%s: %w", collection, field, err)
	}
	rows, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT _ferretdb_sjson->>'$._id' FROM %q WHERE %s = ?`, table, expr), value)
	if err != nil {
		return nil, fmt.Errorf("store: select %s: %w", collection, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
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

// quietHandler drops records below ERROR. FerretDB adds the arguments of
// every SQL statement (whole documents) to its logger before each one, for
// a debug record nobody reads: the attributes are kept aside and formatted
// only for a record that is written.
type quietHandler struct {
	inner slog.Handler
	with  []func(slog.Handler) slog.Handler // WithAttrs and WithGroup, in order
}

func (h quietHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelError && h.inner.Enabled(ctx, l)
}

func (h quietHandler) Handle(ctx context.Context, r slog.Record) error {
	inner := h.inner
	for _, w := range h.with {
		inner = w(inner)
	}
	return inner.Handle(ctx, r)
}

func (h quietHandler) WithAttrs(a []slog.Attr) slog.Handler {
	return quietHandler{h.inner, append(slices.Clip(h.with), func(x slog.Handler) slog.Handler { return x.WithAttrs(a) })}
}

func (h quietHandler) WithGroup(n string) slog.Handler {
	return quietHandler{h.inner, append(slices.Clip(h.with), func(x slog.Handler) slog.Handler { return x.WithGroup(n) })}
}

// scan calls fn with every document of a collection, read from SQLite and
// decoded on every core (see sjson.go); fn runs on one goroutine at a time,
// in no particular order.
func (e *embedded) scan(ctx context.Context, database, collection string, keys []string, fn func(bson.Raw) error) error {
	db, table, err := e.table(ctx, database, collection)
	if errors.Is(err, errNoCollection) {
		return nil // FerretDB creates collections on first write: none yet is empty
	} else if err != nil {
		return err
	}
	var last int64
	if err := db.QueryRowContext(ctx, fmt.Sprintf(`SELECT coalesce(max(rowid), 0) FROM %q`, table)).Scan(&last); err != nil {
		return fmt.Errorf("store: scan %s: %w", collection, err)
	}
	workers := runtime.GOMAXPROCS(0)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []bson.Raw, 2*workers)
	errc := make(chan error, workers)
	var wg sync.WaitGroup
	step := last/int64(workers) + 1
	for lo := int64(0); lo < last; lo += step {
		wg.Add(1)
		go func(lo, hi int64) {
			defer wg.Done()
			errc <- e.scanRange(ctx, db, table, keys, lo, hi, batches)
		}(lo, lo+step)
	}
	go func() { wg.Wait(); close(batches); close(errc) }()
	var fnErr error
	for batch := range batches {
		for _, raw := range batch {
			if fnErr == nil {
				if fnErr = fn(raw); fnErr != nil {
					cancel() // stop the readers; keep draining so they can exit
				}
			}
		}
	}
	if fnErr != nil {
		return fnErr
	}
	for err := range errc {
		if err != nil {
			return fmt.Errorf("store: scan %s: %w", collection, err)
		}
	}
	return nil
}

// scanRange decodes the rows lo < rowid <= hi in batches.
func (e *embedded) scanRange(ctx context.Context, db *sql.DB, table string, keys []string, lo, hi int64, out chan<- []bson.Raw) error {
	rows, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM %q WHERE rowid > ? AND rowid <= ?`, sjsonProjection(keys), table), lo, hi)
	if err != nil {
		return err
	}
	defer rows.Close()
	const size = 256
	batch := make([]bson.Raw, 0, size)
	dec := newDecoder()
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return err
		}
		raw, err := dec.toBSON(data, keys != nil)
		if err != nil {
			return err
		}
		if batch = append(batch, raw); len(batch) == size {
			select {
			case out <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = make([]bson.Raw, 0, size)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(batch) > 0 {
		select {
		case out <- batch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
