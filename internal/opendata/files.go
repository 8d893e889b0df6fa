package opendata

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
)

// File is one of the whole-offer files.
type File struct {
	Name        string // in the URL /donnees/{Name}
	Title       string
	Format      string // what it is, for people
	Records     int
	Size        int64
	Modified    time.Time
	ContentType string
}

// The whole-offer files.
const (
	ServicesFile   = "repere-services-datainclusion-v1.json.gz"
	StructuresFile = "repere-structures-datainclusion-v1.json.gz"
	HSDSFile       = "repere-services-hsds-3.0.json.gz"
)

// writeFiles writes the whole-offer files of s into dir, gzip compressed,
// reading the records back from the snapshot in the order of their ids.
func (d *Data) writeFiles(ctx context.Context, s *snapshot, dir string) error {
	specs := []struct {
		name, title, format string
		entries             []entry
		read                func(*entry) ([]byte, error)
	}{
		{ServicesFile, "Services", "data·inclusion v1, tableau JSON de services", s.services, s.record},
		{StructuresFile, "Structures", "data·inclusion v1, tableau JSON de structures", s.structures, s.record},
		{HSDSFile, "Services (Open Referral)", "Open Referral HSDS 3.0, tableau JSON d’objets « service » avec leur organisation", s.services, s.hsds},
	}
	// One file per core at a time: compression is what they cost.
	errs := make([]error, len(specs))
	var wg sync.WaitGroup
	for i, spec := range specs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = writeArray(ctx, filepath.Join(dir, spec.name), spec.entries, spec.read)
		}()
	}
	wg.Wait()
	for i, spec := range specs {
		if errs[i] != nil {
			return fmt.Errorf("opendata: %s: %w", spec.name, errs[i])
		}
		info, err := os.Stat(filepath.Join(dir, spec.name))
		if err != nil {
			return err
		}
		s.files = append(s.files, File{Name: spec.name, Title: spec.title, Format: spec.format, Records: len(spec.entries),
			Size: info.Size(), Modified: s.at, ContentType: "application/gzip"})
	}
	return nil
}

// writeArray writes the records of entries as a JSON array, one record a
// line (the layout of datainclusion.Writer), gzip compressed.
func writeArray(ctx context.Context, path string, entries []entry, read func(*entry) ([]byte, error)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 256<<10)
	zw, err := gzip.NewWriterLevel(bw, gzip.BestSpeed)
	if err != nil {
		return err
	}
	zw.Write([]byte("["))
	for i := range entries {
		if i%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		line, err := read(&entries[i])
		if err != nil {
			return err
		}
		if i > 0 {
			zw.Write([]byte(","))
		}
		zw.Write([]byte("\n"))
		if _, err := zw.Write(line); err != nil {
			return err
		}
	}
	zw.Write([]byte("\n]\n"))
	if err := zw.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// Files lists the whole-offer files, building them on first need.
func (d *Data) Files(ctx context.Context) ([]File, []Source, error) {
	s, err := d.current(ctx)
	if err != nil {
		return nil, nil, err
	}
	return s.files, s.sources, nil
}

// OpenFile opens one of the whole-offer files. The caller closes it; a
// file being read outlives the next snapshot.
func (d *Data) OpenFile(ctx context.Context, name string) (*os.File, File, error) {
	s, err := d.current(ctx)
	if err != nil {
		return nil, File{}, err
	}
	for _, f := range s.files {
		if f.Name == name {
			fh, err := os.Open(filepath.Join(d.cfg.Dir, s.gen, name))
			if os.IsNotExist(err) && d.snap.Load() != s {
				return d.OpenFile(ctx, name) // replaced meanwhile
			}
			return fh, f, err
		}
	}
	return nil, File{}, os.ErrNotExist
}
