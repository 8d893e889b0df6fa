package opendata

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/repere-spie/repere/internal/datainclusion"
	"github.com/repere-spie/repere/internal/directory"
)

// A snapshot is the public offer at one moment, as data·inclusion v1
// records: one file of JSON lines, and in memory one entry per record,
// sorted by id, with what the listings filter on. A page of the listings is
// a binary search, a walk over entries and a read of the lines it keeps,
// spliced into the answer as they are: no store read, no JSON encoding.
// (Read from the store, a page of 1,000 cost half a second on FerretDB,
// most of it decoding and encoding documents.) The whole-offer files are
// written from the same snapshot. A new snapshot replaces the old one when
// the data have changed (Refresh); a walk that crosses the swap still sees
// every record once, the order being that of ids, which never change.
type snapshot struct {
	gen        string // its directory under Config.Dir
	f          *os.File
	services   []entry
	structures []entry
	at         time.Time
	rev        uint64 // the index revision it was built at
	files      []File
	sources    []Source
}

// entry is one record of a snapshot.
type entry struct {
	id, structure string // structure: of a service
	source        string
	dep           string
	changed       int64 // Unix seconds: date_maj, or the last import that wrote it
	off, hoff     int64 // the v1 record; the HSDS one of a service
	n, hn         int32
}

// Source is one producer of the records, for the attribution the licences
// ask: its name, how many services it brings, its licence.
type Source struct {
	Name, Via, Licence string
	Services           int
}

// writer appends JSON lines to the snapshot file.
type writer struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	off int64
}

func (w *writer) put(v any) (int64, int32, error) {
	w.buf.Reset()
	if err := w.enc.Encode(v); err != nil {
		return 0, 0, err
	}
	off, n := w.off, int32(w.buf.Len()-1) // without the newline
	k, err := w.w.Write(w.buf.Bytes())
	w.off += int64(k)
	return off, n, err
}

// raw appends an encoded record.
func (w *writer) raw(b []byte) (int64, int32, error) {
	off := w.off
	k, err := w.w.Write(b)
	if err == nil {
		err = w.w.WriteByte('\n')
		k++
	}
	w.off += int64(k)
	return off, int32(len(b)), err
}

// build reads the store and writes a new snapshot under dir.
func (d *Data) build(ctx context.Context) (*snapshot, error) {
	rev := d.cfg.Index.Revision() // before reading: a write meanwhile makes the next check build again
	refused, err := d.refusedStructures(ctx)
	if err != nil {
		return nil, err
	}
	now := d.cfg.Now()
	gen := "gen-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "-" + strconv.Itoa(os.Getpid())
	dir := filepath.Join(d.cfg.Dir, gen)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("opendata: %w", err)
	}
	s := &snapshot{gen: gen, at: now, rev: rev}
	ok := false
	defer func() {
		if !ok {
			if s.f != nil {
				s.f.Close()
			}
			os.RemoveAll(dir)
		}
	}()
	if s.f, err = os.Create(filepath.Join(dir, "enregistrements.jsonl")); err != nil {
		return nil, fmt.Errorf("opendata: %w", err)
	}
	w := &writer{w: bufio.NewWriterSize(s.f, 256<<10)}
	w.enc = json.NewEncoder(&w.buf)
	w.enc.SetEscapeHTML(false)
	interned := map[string]string{}
	intern := func(v string) string {
		if x, ok := interned[v]; ok {
			return x
		}
		interned[v] = v
		return v
	}

	// Structures first: their HSDS organizations are nested in the
	// services', kept meanwhile (a few hundred bytes a structure).
	orgs := map[string]*hsdsOrganization{}
	err = d.cfg.Store.EachStructure(ctx, func(st *directory.Structure) error {
		if refused[st.ID] {
			return nil
		}
		r := datainclusion.FromStructure(st)
		off, n, err := w.put(r)
		s.structures = append(s.structures, entry{id: st.ID, source: intern(st.Source), dep: intern(directory.DepartementOfCommune(st.CodeInsee)),
			changed: ChangedAt(st.UpdatedAt, st.Provenance).Unix(), off: off, n: n})
		orgs[st.ID] = d.organization(r)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("opendata: structures: %w", err)
	}

	// Services: converted and encoded on all cores but one (left to
	// serving), written by one.
	sources := map[Source]int{}
	in := make(chan *directory.Service, 256)
	out := make(chan converted, 256)
	var workers sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)-1) { // a core left to serving
		workers.Add(1)
		go func() {
			defer workers.Done()
			d.convert(in, out, orgs)
		}()
	}
	written := make(chan error, 1)
	go func() {
		var werr error
		for c := range out {
			if werr != nil {
				continue // drain
			}
			if c.err != nil {
				werr = c.err
				continue
			}
			e := c.e
			e.source, e.dep = intern(e.source), intern(e.dep)
			if e.off, e.n, werr = w.raw(c.v1); werr == nil {
				e.hoff, e.hn, werr = w.raw(c.hsds)
			}
			s.services = append(s.services, e)
			sources[c.origin]++
		}
		written <- werr
	}()
	err = d.cfg.Store.EachService(ctx, func(svc *directory.Service) error {
		if !visible(svc, refused, now) {
			return nil
		}
		select {
		case in <- svc:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(in)
	workers.Wait()
	close(out)
	if werr := <-written; err == nil {
		err = werr
	}
	if err != nil {
		return nil, fmt.Errorf("opendata: services: %w", err)
	}
	if err := w.w.Flush(); err != nil {
		return nil, fmt.Errorf("opendata: %w", err)
	}
	byID := func(a, b entry) int { return strings.Compare(a.id, b.id) }
	slices.SortFunc(s.structures, byID)
	slices.SortFunc(s.services, byID)
	for src, n := range sources {
		src.Services = n
		s.sources = append(s.sources, src)
	}
	slices.SortFunc(s.sources, func(a, b Source) int { return b.Services - a.Services })
	if err := d.writeFiles(ctx, s, dir); err != nil {
		return nil, err
	}
	ok = true
	return s, nil
}

// converted is a service as the snapshot keeps it.
type converted struct {
	e        entry
	v1, hsds []byte
	origin   Source // without its count
	err      error
}

// convert turns the services of in into records for out.
func (d *Data) convert(in <-chan *directory.Service, out chan<- converted, orgs map[string]*hsdsOrganization) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	encode := func(v any) ([]byte, error) {
		buf.Reset()
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
		return bytes.Clone(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
	}
	for svc := range in {
		r := datainclusion.FromService(svc, d.regionDeps)
		c := converted{e: entry{id: svc.ID, structure: svc.StructureID, source: svc.Source, dep: directory.DepartementOfCommune(svc.CodeInsee),
			changed: ChangedAt(svc.UpdatedAt, svc.Provenance).Unix()}, origin: originOf(svc)}
		if c.v1, c.err = encode(r); c.err == nil {
			c.hsds, c.err = encode(d.toHSDS(r, orgs[svc.StructureID]))
		}
		out <- c
	}
}

// originOf is the producer of a service, for the attribution.
func originOf(svc *directory.Service) Source {
	o, imported := datainclusion.OriginOf(svc.Source, svc.Provenance)
	if !imported {
		o = datainclusion.Origin{Source: "Repère : saisi par les structures", Licence: "Licence Ouverte 2.0"}
		if svc.Provenance.Kind == "demo" {
			o.Source = "Repère : données de démonstration, fictives"
		}
	}
	return Source{Name: o.Source, Via: o.Via, Licence: o.Licence}
}

// ChangedAt is when a record last changed on Repère: its date_maj, or the
// last import that wrote it (which keeps the producer's date_maj).
func ChangedAt(updated time.Time, p directory.Provenance) time.Time {
	if p.ImportedAt != nil && p.ImportedAt.After(updated) {
		return *p.ImportedAt
	}
	return updated
}

// record reads the v1 record of e.
func (s *snapshot) record(e *entry) ([]byte, error) { return s.read(e.id, e.off, e.n) }

// hsds reads the HSDS record of the service of e.
func (s *snapshot) hsds(e *entry) ([]byte, error) { return s.read(e.id, e.hoff, e.hn) }

func (s *snapshot) read(id string, off int64, n int32) ([]byte, error) {
	b := make([]byte, n)
	if _, err := s.f.ReadAt(b, off); err != nil {
		return nil, fmt.Errorf("opendata: read %s: %w", id, err)
	}
	return b, nil
}

// Filter selects the records of a listing.
type Filter struct {
	Source      string     // the data·inclusion source, exactly
	Departement string     // the département of the record's commune (code_insee)
	Since       *time.Time // changed on Repère since: date_maj, or the last import that wrote it
}

func (f *Filter) keep(e *entry) bool {
	return (f.Source == "" || e.source == f.Source) && (f.Departement == "" || e.dep == f.Departement) &&
		(f.Since == nil || e.changed >= f.Since.Unix())
}

// Page is one page of a listing: records as JSON, ready to be sent.
type Page struct {
	Items [][]byte
	Next  Cursor    // empty on the last page
	At    time.Time // when the snapshot was taken
	// Version names the snapshot: the same request on the same version
	// gets the same answer.
	Version string
}

// page reads the records of entries matching f after after.
func (s *snapshot) page(entries []entry, f Filter, after string, size int) (*Page, error) {
	p := &Page{Items: make([][]byte, 0, min(size, 1024)), At: s.at, Version: s.gen}
	i, _ := slices.BinarySearchFunc(entries, after, func(e entry, id string) int { return strings.Compare(e.id, id) })
	last := ""
	for ; i < len(entries); i++ {
		e := &entries[i]
		if e.id <= after || !f.keep(e) {
			continue
		}
		if len(p.Items) == size {
			p.Next = EncodeCursor(last)
			break
		}
		b, err := s.record(e)
		if err != nil {
			return nil, err
		}
		p.Items, last = append(p.Items, b), e.id
	}
	return p, nil
}
