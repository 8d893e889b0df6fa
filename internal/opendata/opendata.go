// Package opendata is what Repère publishes for reuse: the visible services
// and the structures in the data·inclusion v1 shape, a page at a time; the
// downloads of any search (CSV, XLSX, GeoJSON); and the whole offer as
// files (data·inclusion v1 and Open Referral HSDS 3.0), regenerated when
// the data change. It reads the store and the index, and writes nothing but
// its files.
package opendata

import (
	"context"
	"encoding/base64"
	"log/slog"
	"sync"
	"time"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
	"github.com/repere-spie/repere/internal/store"
	"sync/atomic"
)

// Page sizes of the listings.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

// Config is what Data reads and where it writes its files.
type Config struct {
	Store     *store.Store
	Index     *indexer.Index
	Gazetteer *geo.Gazetteer
	// Dir holds the snapshots of the offer and the whole-offer files.
	Dir     string
	BaseURL string
	Logger  *slog.Logger
	Now     func() time.Time
}

// Data serves the open data of Repère.
type Data struct {
	cfg        Config
	regionDeps map[string][]string

	mu      sync.Mutex
	refused refusedSet

	snap    atomic.Pointer[snapshot]
	build1  sync.Mutex  // one build at a time
	touched atomic.Bool // a structure changed: the index revision may not say so
}

// New prepares the open data; Refresh, called when Stale, keeps the
// whole-offer files up to date.
func New(cfg Config) *Data {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	d := &Data{cfg: cfg, regionDeps: map[string][]string{}}
	for _, dep := range cfg.Gazetteer.Departements() {
		d.regionDeps[dep.Region] = append(d.regionDeps[dep.Region], dep.Code)
	}
	return d
}

// RegionDeps lists the départements of each région, for zones written the
// data·inclusion way.
func (d *Data) RegionDeps() map[string][]string { return d.regionDeps }

// refusedSet is the structures refused by moderation, whose records stay out
// of the open data as they stay out of the site. Few structures have a
// partner account, so it is read whole, again when the index has changed
// (moderation re-indexes a structure's services) or after a while.
type refusedSet struct {
	ids map[string]bool
	rev uint64
	at  time.Time
}

const refusedTTL = 30 * time.Second

func (d *Data) refusedStructures(ctx context.Context) (map[string]bool, error) {
	rev := d.cfg.Index.Revision()
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.refused.ids != nil && d.refused.rev == rev && time.Since(d.refused.at) < refusedTTL {
		return d.refused.ids, nil
	}
	ids := map[string]bool{}
	err := d.cfg.Store.EachStructureAccount(ctx, func(a *directory.StructureAccount) error {
		if !a.Moderation.Listed() {
			ids[a.ID] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.refused = refusedSet{ids: ids, rev: rev, at: time.Now()}
	return ids, nil
}

// visible reports whether svc is public now: published, not a duplicate,
// not suspended, its structure not refused.
func visible(svc *directory.Service, refused map[string]bool, now time.Time) bool {
	return svc.Visible(now) && !refused[svc.StructureID]
}

// Cursor is a position in a listing: after the record of that id. Clients
// keep it opaque.
type Cursor string

// EncodeCursor is the cursor after id.
func EncodeCursor(id string) Cursor {
	return Cursor(base64.RawURLEncoding.EncodeToString([]byte(id)))
}

// DecodeCursor reads a cursor; ok is false for one Repère did not make.
func DecodeCursor(c string) (id string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) == 0 || len(b) > 64 {
		return "", false
	}
	for _, r := range b {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r == '-' || r == '_') {
			return "", false
		}
	}
	return string(b), true
}

// Services lists the visible services matching f after the cursor's
// record (from the first for an empty after), at most size.
func (d *Data) Services(ctx context.Context, f Filter, after string, size int) (*Page, error) {
	s, err := d.current(ctx)
	if err != nil {
		return nil, err
	}
	return s.page(s.services, f, after, size)
}

// Structures lists the structures matching f after the cursor's record,
// at most size; those refused by moderation are left out.
func (d *Data) Structures(ctx context.Context, f Filter, after string, size int) (*Page, error) {
	s, err := d.current(ctx)
	if err != nil {
		return nil, err
	}
	return s.page(s.structures, f, after, size)
}

// Service is one visible service, ENOTFOUND otherwise.
func (d *Data) Service(ctx context.Context, id string) (*directory.Service, error) {
	svc, err := d.cfg.Store.Service(ctx, id)
	if err != nil {
		return nil, err
	}
	refused, err := d.refusedStructures(ctx)
	if err != nil {
		return nil, err
	}
	if !visible(svc, refused, d.cfg.Now()) {
		return nil, directory.Errorf(directory.ENOTFOUND, "Ce service n’est plus proposé ou n’a pas encore été publié.")
	}
	return svc, nil
}

// Structure is one structure not refused by moderation, ENOTFOUND
// otherwise.
func (d *Data) Structure(ctx context.Context, id string) (*directory.Structure, error) {
	st, err := d.cfg.Store.Structure(ctx, id)
	if err != nil {
		return nil, err
	}
	refused, err := d.refusedStructures(ctx)
	if err != nil {
		return nil, err
	}
	if refused[st.ID] {
		return nil, directory.Errorf(directory.ENOTFOUND, "Cette structure n’est pas publiée.")
	}
	return st, nil
}
