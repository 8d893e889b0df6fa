package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/datainclusion"
	"github.com/repere-spie/repere/internal/directory"
)

// DataInclusionFeed is the data·inclusion flow: its records keep their own
// source (dora, monenfant…).
var DataInclusionFeed = Feed{Name: "datainclusion", Label: "data·inclusion",
	Licence: "Licence Ouverte 2.0 (data·inclusion, GIP Plateforme de l’inclusion)"}

// DirReader reads data·inclusion files from a folder: the files whose name
// holds "structure", then those whose name holds "service" (.json or
// .jsonl/.ndjson), in v1 or in the v0 vocabulary (decided per file from its
// first record). Services may name their structure by "structure_name"
// instead of "structure_id", as some extracts do.
type DirReader struct {
	Dir   string
	Label string           // what the reports call it; default "dossier Dir"
	Now   func() time.Time // for v0 suspension dates
}

func (d *DirReader) Feed() Feed { return DataInclusionFeed }

func (d *DirReader) Describe() string {
	if d.Label != "" {
		return d.Label
	}
	return "dossier " + d.Dir
}

type diFile struct {
	path      string
	structure bool
}

func (d *DirReader) files() ([]diFile, error) {
	entries, err := os.ReadDir(d.Dir)
	if err != nil {
		return nil, fmt.Errorf("dossier illisible : %w", err)
	}
	var sts, svcs []diFile
	for _, e := range entries {
		name := strings.ToLower(e.Name())
		if e.IsDir() || !(strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".jsonl") || strings.HasSuffix(name, ".ndjson")) {
			continue
		}
		path := filepath.Join(d.Dir, e.Name())
		switch {
		case strings.Contains(name, "structure"):
			sts = append(sts, diFile{path, true})
		case strings.Contains(name, "service"):
			svcs = append(svcs, diFile{path, false})
		}
	}
	if len(sts)+len(svcs) == 0 {
		return nil, fmt.Errorf("aucun fichier de structures ou de services (.json, .jsonl) dans %s", d.Dir)
	}
	return append(sts, svcs...), nil
}

// Count reads every file once, checking that it is whole, valid JSON and
// UTF-8, so that a broken file stops the import before anything is written.
func (d *DirReader) Count(ctx context.Context) (int, error) {
	files, err := d.files()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range files {
		err := eachFileRecord(f.path, func(string, int, json.RawMessage) error {
			n++
			return ctx.Err()
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func eachFileRecord(path string, fn func(group string, n int, raw json.RawMessage) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return jsonRecords(f, filepath.Base(path), fn)
}

func (d *DirReader) Read(ctx context.Context, emit func(*Item) error) (Scope, error) {
	files, err := d.files()
	if err != nil {
		return Scope{}, err
	}
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	for _, f := range files {
		dec := &recordDecoder{file: filepath.Base(f.path), structure: f.structure, now: now()}
		err := eachFileRecord(f.path, func(group string, n int, raw json.RawMessage) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return dec.decode(group, n, raw, emit)
		})
		if err != nil {
			return Scope{}, err
		}
	}
	return Scope{FromRecords: true}, nil
}

// recordDecoder turns the records of one file into items.
type recordDecoder struct {
	file      string
	structure bool
	now       time.Time
	format    string // "v1" or "v0", from the first record
	source    string // default source, for records without one
}

// v1Service is a v1 service with the fields some extracts add.
type v1Service struct {
	datainclusion.Service
	StructureName *string `json:"structure_name"`
}

func (d *recordDecoder) ref(group string, n int) string {
	if group != "" {
		return fmt.Sprintf("%s, %s n° %d", d.file, group, n)
	}
	return fmt.Sprintf("%s, enregistrement %d", d.file, n)
}

func (d *recordDecoder) decode(group string, n int, raw json.RawMessage, emit func(*Item) error) error {
	ref := d.ref(group, n)
	if d.format == "" {
		d.format = detectFormat(raw)
	}
	bad := func(err error) error {
		return emit(&Item{Ref: ref, Err: fmt.Errorf("enregistrement illisible : %v", err)})
	}
	switch {
	case d.structure && d.format == "v0":
		v, err := datainclusion.DecodeV0Structure(raw)
		if err != nil {
			return bad(err)
		}
		st, w := v.ToV1()
		return emit(&Item{Ref: ref, Structure: st, Warnings: w})
	case d.structure:
		var v datainclusion.Structure
		if err := json.Unmarshal(raw, &v); err != nil {
			return bad(err)
		}
		st, w := datainclusion.ToStructure(&v)
		return emit(&Item{Ref: ref, Structure: st, Warnings: w})
	case d.format == "v0":
		v, err := datainclusion.DecodeV0Service(raw)
		if err != nil {
			return bad(err)
		}
		s, w, err := v.ToV1(d.now)
		if err != nil {
			return emit(&Item{Ref: ref, Err: err})
		}
		return emit(&Item{Ref: ref, Service: s, Warnings: w})
	}
	var v v1Service
	if err := json.Unmarshal(raw, &v); err != nil {
		return bad(err)
	}
	s, w := datainclusion.ToService(&v.Service)
	if s.StructureID == "" && v.StructureName != nil && strings.TrimSpace(*v.StructureName) != "" {
		// The structure is named, not identified: derive it from the name and place.
		name := strings.TrimSpace(*v.StructureName)
		st := &directory.Structure{Source: s.Source, Name: name, PostalCode: s.PostalCode, CommuneName: s.CommuneName,
			CodeInsee: s.CodeInsee, Provenance: directory.Provenance{ExternalID: contentID(s.Source, name, s.PostalCode)}}
		s.StructureID = st.Provenance.ExternalID
		if err := emit(&Item{Ref: ref, Structure: st, Derived: true}); err != nil {
			return err
		}
	}
	return emit(&Item{Ref: ref, Service: s, Warnings: w})
}

// detectFormat tells a v0 record (v0 field names, or the capitalised keys of
// the pilotage extracts) from a v1 one.
func detectFormat(raw json.RawMessage) string {
	var keys map[string]json.RawMessage
	if json.Unmarshal(raw, &keys) != nil {
		return "v1"
	}
	for k := range keys {
		switch datainclusion.FieldKey(k) {
		case "service_id", "profils", "presentation_resume", "presentation_detail", "zone_diffusion_type", "typologie", "labels_nationaux", "modes_orientation_beneficiaire":
			return "v0"
		}
		if k != strings.ToLower(k) {
			return "v0"
		}
	}
	return "v1"
}

// readAll is io.ReadAll bounded: API pages and small files only.
func readAll(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err == nil && int64(len(b)) > limit {
		err = fmt.Errorf("réponse de plus de %d Mo", limit>>20)
	}
	return b, err
}

// sortedKeys lists a set's members in order.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
