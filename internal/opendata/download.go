package opendata

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/directory"
)

// The downloads of a search: its whole result set in the order of its
// pages, as a spreadsheet (CSV for a French spreadsheet: UTF-8 with a byte
// order mark, ";" between fields; or XLSX) or as a map layer (GeoJSON
// points). Rows are read from the store a chunk at a time, so that memory
// holds the ranked ids and one chunk whatever the size of the search, and
// a client that goes away stops the download at the next chunk: nothing is
// written anywhere but to it.

// Format is a download format.
type Format struct {
	Ext, ContentType, Label string
	write                   func(d *Data, ctx context.Context, ranked []indexer.Ranked, w io.Writer) error
}

// Formats are the download formats, by extension.
var Formats = []*Format{
	{"csv", "text/csv; charset=utf-8", "CSV (tableur)", (*Data).writeCSV},
	{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)", (*Data).writeXLSX},
	{"geojson", "application/geo+json", "GeoJSON (carte)", (*Data).writeGeoJSON},
}

// FormatOf returns the format of an extension, nil for none.
func FormatOf(ext string) *Format {
	for _, f := range Formats {
		if f.Ext == ext {
			return f
		}
	}
	return nil
}

// Download writes the ranked results of a search to w.
func (d *Data) Download(ctx context.Context, f *Format, ranked []indexer.Ranked, w io.Writer) error {
	return f.write(d, ctx, ranked, w)
}

// row is one service of a download.
type row struct {
	svc  *directory.Service
	st   *directory.Structure // nil when unknown
	dist *float64             // metres
}

// column is one field of a download: its name in GeoJSON, its heading in
// a spreadsheet, its value.
type column struct {
	name, label string
	value       func(*Data, *row) string
}

func vocab(v *directory.Vocabulary, values ...string) string {
	var out []string
	for _, x := range values {
		if x != "" {
			out = append(out, v.Label(x))
		}
	}
	return strings.Join(out, " ; ")
}

func coordinate(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

var columns = []column{
	{"id", "Identifiant", func(_ *Data, r *row) string { return r.svc.ID }},
	{"nom", "Service", func(_ *Data, r *row) string { return r.svc.Name }},
	{"structure", "Structure", func(_ *Data, r *row) string {
		if r.st == nil {
			return ""
		}
		return r.st.Name
	}},
	{"thematiques", "Thématiques", func(_ *Data, r *row) string { return vocab(directory.Thematiques, r.svc.Thematiques...) }},
	{"type", "Type", func(_ *Data, r *row) string { return vocab(directory.ServiceTypes, r.svc.Type) }},
	{"frais", "Frais", func(_ *Data, r *row) string { return vocab(directory.Fees, r.svc.Fees) }},
	{"frais_precisions", "Précisions sur les frais", func(_ *Data, r *row) string { return r.svc.FeesDetails }},
	{"publics", "Publics", func(_ *Data, r *row) string { return vocab(directory.Publics, r.svc.Publics...) }},
	{"modes_accueil", "Modes d’accueil", func(_ *Data, r *row) string { return vocab(directory.ReceptionModes, r.svc.ReceptionModes...) }},
	{"adresse", "Adresse", func(_ *Data, r *row) string { return r.svc.Address }},
	{"complement_adresse", "Complément d’adresse", func(_ *Data, r *row) string { return r.svc.AddressComplement }},
	{"code_postal", "Code postal", func(_ *Data, r *row) string { return r.svc.PostalCode }},
	{"commune", "Commune", func(_ *Data, r *row) string { return r.svc.CommuneName }},
	{"code_insee", "Code INSEE", func(_ *Data, r *row) string { return r.svc.CodeInsee }},
	{"distance_km", "Distance (km)", func(_ *Data, r *row) string {
		if r.dist == nil {
			return ""
		}
		return strconv.FormatFloat(*r.dist/1000, 'f', 1, 64)
	}},
	{"telephone", "Téléphone", func(_ *Data, r *row) string { return r.svc.Phone }},
	{"courriel", "Courriel", func(_ *Data, r *row) string { return r.svc.Email }},
	{"contact", "Contact", func(_ *Data, r *row) string { return r.svc.ContactName }},
	{"lien_mobilisation", "Lien de mobilisation", func(_ *Data, r *row) string { return r.svc.MobilisationLink }},
	{"horaires_accueil", "Horaires (syntaxe OpenStreetMap)", func(_ *Data, r *row) string { return r.svc.OpeningHours }},
	{"description", "Description", func(_ *Data, r *row) string { return r.svc.Description }},
	{"date_maj", "Mis à jour le", func(_ *Data, r *row) string { return r.svc.UpdatedAt.In(directory.Paris).Format(time.DateOnly) }},
	{"source", "Source", func(_ *Data, r *row) string { return r.svc.Source }},
	{"url", "Fiche sur Repère", func(d *Data, r *row) string { return d.cfg.BaseURL + "/services/" + r.svc.ID }},
	{"latitude", "Latitude", func(_ *Data, r *row) string { return coordinate(r.svc.Latitude) }},
	{"longitude", "Longitude", func(_ *Data, r *row) string { return coordinate(r.svc.Longitude) }},
}

// chunk is how many rows are read from the store at once.
const chunk = 500

// rows calls fn with the rows of ranked, in order, a chunk at a time; a
// service no longer visible is skipped.
func (d *Data) rows(ctx context.Context, ranked []indexer.Ranked, fn func(*row) error) error {
	refused, err := d.refusedStructures(ctx)
	if err != nil {
		return err
	}
	now := d.cfg.Now()
	ids := make([]string, 0, chunk)
	for start := 0; start < len(ranked); start += chunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		part := ranked[start:min(start+chunk, len(ranked))]
		ids = ids[:0]
		for _, r := range part {
			ids = append(ids, r.ID)
		}
		svcs, err := d.cfg.Store.ServicesByID(ctx, ids)
		if err != nil {
			return err
		}
		byID := make(map[string]*directory.Service, len(svcs))
		ids = ids[:0]
		for _, s := range svcs {
			byID[s.ID] = s
			ids = append(ids, s.StructureID)
		}
		sts, err := d.cfg.Store.StructuresByID(ctx, ids)
		if err != nil {
			return err
		}
		stByID := make(map[string]*directory.Structure, len(sts))
		for _, st := range sts {
			stByID[st.ID] = st
		}
		for _, r := range part {
			svc := byID[r.ID]
			if svc == nil || !visible(svc, refused, now) {
				continue
			}
			if err := fn(&row{svc: svc, st: stByID[svc.StructureID], dist: r.Distance}); err != nil {
				return err
			}
		}
	}
	return nil
}

// formula matches what a spreadsheet would run as a formula; numbers and
// phone numbers ("+33 5 49…", "-1.5") are left alone.
var (
	formula = regexp.MustCompile(`^[=+\-@\t\r]`)
	number  = regexp.MustCompile(`^[+-]?[0-9][0-9 .,]*$`)
)

// cell protects a value against formula injection: a text that would start
// a formula gets a leading apostrophe.
func cell(v string) string {
	if formula.MatchString(v) && !number.MatchString(v) {
		return "'" + v
	}
	return v
}

func (d *Data) writeCSV(ctx context.Context, ranked []indexer.Ranked, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("\ufeff") // the byte order mark: a spreadsheet then reads UTF-8
	cw := csv.NewWriter(bw)
	cw.Comma, cw.UseCRLF = ';', true
	rec := make([]string, len(columns))
	for i, c := range columns {
		rec[i] = c.label
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	n := 0
	err := d.rows(ctx, ranked, func(r *row) error {
		for i, c := range columns {
			rec[i] = cell(c.value(d, r))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
		if n++; n%chunk == 0 {
			cw.Flush()
			return cw.Error() // a client gone stops the download here
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func (d *Data) writeXLSX(ctx context.Context, ranked []indexer.Ranked, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Services"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	// The stream writer keeps rows in a temporary file past a few
	// megabytes: memory stays bounded.
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	head := make([]any, len(columns))
	for i, c := range columns {
		head[i] = excelize.Cell{Value: c.label, StyleID: bold}
	}
	// The heading row stays in view (set before any row, as the stream asks).
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 18}); err != nil {
		return err
	}
	line := 1
	values := make([]any, len(columns))
	err = d.rows(ctx, ranked, func(r *row) error {
		line++
		for i, c := range columns {
			values[i] = c.value(d, r) // written as text, never as a formula
		}
		ref, err := excelize.CoordinatesToCellName(1, line)
		if err == nil {
			err = sw.SetRow(ref, values)
		}
		return err
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// geoFeature is one service on a map.
type geoFeature struct {
	Type       string            `json:"type"`
	ID         string            `json:"id"`
	Geometry   *geoPoint         `json:"geometry"` // null without a place, as RFC 7946 allows
	Properties map[string]string `json:"properties"`
}

type geoPoint struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

func (d *Data) writeGeoJSON(ctx context.Context, ranked []indexer.Ranked, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(`{"type":"FeatureCollection","features":[`)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	n := 0
	err := d.rows(ctx, ranked, func(r *row) error {
		f := geoFeature{Type: "Feature", ID: r.svc.ID, Properties: make(map[string]string, len(columns))}
		for _, c := range columns {
			if c.name == "latitude" || c.name == "longitude" {
				continue
			}
			if v := c.value(d, r); v != "" {
				f.Properties[c.name] = v
			}
		}
		lat, lon := r.svc.Latitude, r.svc.Longitude
		if (lat == nil || lon == nil) && r.st != nil && r.svc.Address == "" {
			lat, lon = r.st.Latitude, r.st.Longitude // received at its structure
		}
		if lat != nil && lon != nil {
			f.Geometry = &geoPoint{"Point", [2]float64{*lon, *lat}}
		}
		if n > 0 {
			bw.WriteByte(',')
		}
		n++
		if err := enc.Encode(f); err != nil {
			return err
		}
		if n%chunk == 0 {
			return bw.Flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := fmt.Fprint(bw, "]}\n"); err != nil {
		return err
	}
	return bw.Flush()
}
