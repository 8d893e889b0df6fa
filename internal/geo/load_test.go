package geo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
)

// geodataDir is the real snapshot: $REPERE_SHARED_DIR/geodata, by default
// ../shared/geodata next to the module root.
func geodataDir(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("REPERE_SHARED_DIR"); d != "" {
		return filepath.Join(d, "geodata")
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "geodata")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

var snapshot struct {
	once sync.Once
	geo  *directory.Geography
	z    *Gazetteer
	err  error
}

// loadSnapshot loads the real snapshot once for all tests.
func loadSnapshot(t testing.TB) (*directory.Geography, *Gazetteer) {
	t.Helper()
	dir := geodataDir(t)
	snapshot.once.Do(func() {
		snapshot.geo, snapshot.err = Load(context.Background(), Dir(dir))
		if snapshot.err == nil {
			snapshot.z = NewGazetteer(snapshot.geo)
		}
	})
	if snapshot.err != nil {
		t.Fatalf("load %s: %v", dir, snapshot.err)
	}
	return snapshot.geo, snapshot.z
}

var fixture struct {
	once  sync.Once
	files map[string][]byte
}

// writeFixture writes a small snapshot derived from the real one into a
// temporary folder: every région, département and EPCI, and the communes of
// département 86 plus a few chosen ones (Paris, Ouessant's MultiPolygon,
// Ajaccio, overseas communes without centre). Every file holds one record per
// line, record i on line i+1.
func writeFixture(t *testing.T) string {
	t.Helper()
	fixture.once.Do(func() { fixture.files = buildFixture(t) })
	if fixture.files == nil {
		t.Fatal("no fixture")
	}
	dir := t.TempDir()
	for f, b := range fixture.files {
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func buildFixture(t *testing.T) map[string][]byte {
	src := geodataDir(t)
	files := map[string][]byte{}
	keep := func(code string) bool {
		return strings.HasPrefix(code, "86") || slices.Contains([]string{"75056", "97501", "97502", "29155", "2A004"}, code)
	}
	for _, f := range []string{FileRegions, FileDepartements, FileEPCIs, FileCommunes} {
		var recs []json.RawMessage
		readJSON(t, filepath.Join(src, f), &recs)
		if f == FileCommunes {
			recs = filterRecords(t, recs, func(r json.RawMessage) string {
				var c struct{ Code string }
				json.Unmarshal(r, &c)
				return c.Code
			}, keep)
		}
		files[f] = records(t, "[", "]", recs)
	}
	var fc struct{ Features []json.RawMessage }
	readJSON(t, filepath.Join(src, FileContours), &fc)
	feats := filterRecords(t, fc.Features, func(r json.RawMessage) string {
		var f struct{ Properties struct{ Code string } }
		json.Unmarshal(r, &f)
		return f.Properties.Code
	}, keep)
	files[FileContours] = records(t, `{"type":"FeatureCollection","features":[`, "]}", feats)
	return files
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func filterRecords(t *testing.T, recs []json.RawMessage, code func(json.RawMessage) string, keep func(string) bool) []json.RawMessage {
	var out []json.RawMessage
	for _, r := range recs {
		if keep(code(r)) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		t.Fatal("fixture filter kept nothing")
	}
	return out
}

func records(t *testing.T, head, tail string, recs []json.RawMessage) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(head + "\n")
	for i, r := range recs {
		if err := json.Compact(&b, r); err != nil {
			t.Fatal(err)
		}
		if i < len(recs)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString(tail + "\n")
	return b.Bytes()
}

// editFile rewrites a fixture file through edit.
func editFile(t *testing.T, path string, edit func(lines []string) []string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	if err := os.WriteFile(path, []byte(strings.Join(edit(lines), "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadSnapshot(t *testing.T) {
	g, _ := loadSnapshot(t)
	centres, contours := 0, 0
	kinds := map[string]int{}
	for _, c := range g.Communes {
		if c.Center != nil {
			centres++
		}
		if c.Contour != nil {
			contours++
			kinds[c.Contour.GeoJSONType()]++
		}
	}
	for _, tc := range []struct {
		what      string
		got, want int
	}{
		{"communes", len(g.Communes), 34969},
		{"communes with centre", centres, 34875},
		{"communes with contour", contours, 34875},
		{"MultiPolygon contours", kinds["MultiPolygon"], 157},
		{"départements", len(g.Departements), 109},
		{"régions", len(g.Regions), 26},
		{"EPCI", len(g.EPCIs), 1255},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %d, want %d", tc.what, tc.got, tc.want)
		}
	}
}

func TestLoadChatellerault(t *testing.T) {
	_, z := loadSnapshot(t)
	c, ok := z.Commune("86066")
	if !ok {
		t.Fatal("86066 not found")
	}
	if c.Name != "Châtellerault" || c.Departement != "86" || c.Region != "75" || c.EPCI != "248600413" ||
		c.SIREN != "218600666" || !slices.Equal(c.PostalCodes, []string{"86100"}) || c.Population != 31003 {
		t.Errorf("86066 = %+v", *c)
	}
	if c.Center == nil || *c.Center != (orb.Point{0.5528, 46.81562}) {
		t.Errorf("centre = %v", c.Center)
	}
	if _, ok := c.Contour.(orb.Polygon); !ok {
		t.Errorf("contour is %T, want orb.Polygon", c.Contour)
	}
	e, ok := z.EPCI(c.EPCI)
	if !ok || !slices.Contains(e.Departements, "86") || !slices.Contains(e.Regions, "75") {
		t.Errorf("EPCI %s = %+v, %v", c.EPCI, e, ok)
	}
	d, ok := z.Departement("86")
	if !ok || d.Name != "Vienne" || d.Region != "75" {
		t.Errorf("département 86 = %+v, %v", d, ok)
	}
	r, ok := z.Region("75")
	if !ok || r.Name != "Nouvelle-Aquitaine" {
		t.Errorf("région 75 = %+v, %v", r, ok)
	}
}

// apiQueries are the requests geo.api.gouv.fr answers with each snapshot file.
var apiQueries = map[string]string{
	"/communes?fields=nom,code,codesPostaux,siren,codeEpci,codeDepartement,codeRegion,population,centre&format=json":              FileCommunes,
	"/communes?fields=nom,code,codesPostaux,siren,codeEpci,codeDepartement,codeRegion,population&format=geojson&geometry=contour": FileContours,
	"/departements?fields=nom,code,codeRegion":                         FileDepartements,
	"/regions?fields=nom,code":                                         FileRegions,
	"/epcis?fields=nom,code,codesDepartements,codesRegions,population": FileEPCIs,
}

func TestLoadAPI(t *testing.T) {
	dir := writeFixture(t)
	var mu sync.Mutex
	served := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		file, ok := apiQueries[r.URL.RequestURI()]
		if !ok {
			http.NotFound(w, r)
			return
		}
		mu.Lock()
		served[file] = true
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		http.ServeFile(w, r, filepath.Join(dir, file))
	}))
	defer srv.Close()

	fromAPI, err := Load(context.Background(), API(srv.URL+"/", srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	if len(served) != len(apiQueries) {
		t.Errorf("served %v, want all five files", served)
	}
	fromDir, err := Load(context.Background(), Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromAPI, fromDir) {
		t.Error("the API and the folder give different geographies")
	}
	if n := len(fromDir.Communes); n < 200 {
		t.Errorf("fixture has %d communes", n)
	}
	z := NewGazetteer(fromAPI)
	if c, ok := z.Commune("97501"); !ok || c.Center != nil || c.Contour != nil {
		t.Errorf("97501 = %+v, %v; want a commune without centre or contour", c, ok)
	}
	if c, ok := z.Commune("29155"); !ok || c.Contour == nil || c.Contour.GeoJSONType() != "MultiPolygon" {
		t.Errorf("29155 (Ouessant) = %+v, %v; want a MultiPolygon", c, ok)
	}
}

func TestLoadAPIError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/departements") {
			http.Error(w, "indisponible", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte(`[{"nom":"Guadeloupe","code":"01"}]`))
	}))
	defer srv.Close()
	_, err := Load(context.Background(), API(srv.URL, srv.Client()))
	var le *LoadError
	if !errors.As(err, &le) || le.File != FileDepartements || !strings.Contains(err.Error(), "503") {
		t.Errorf("err = %v, want a 503 on %s", err, FileDepartements)
	}
}

func TestLoadCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Load(ctx, Dir(writeFixture(t))); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// polygonRecord is the index of the first Polygon feature in département 86.
func polygonRecord(t *testing.T, dir string) int {
	b, err := os.ReadFile(filepath.Join(dir, FileContours))
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n")[1:] {
		if strings.Contains(l, `"type":"Polygon"`) && strings.Contains(l, `"code":"86`) {
			return i
		}
	}
	t.Fatal("no Polygon in the fixture")
	return 0
}

func TestLoadBadFiles(t *testing.T) {
	replace := func(record int, old, new string) func([]string) []string {
		return func(lines []string) []string {
			lines[record+1] = strings.Replace(lines[record+1], old, new, 1)
			return lines
		}
	}
	truncate := func(record int) func([]string) []string {
		return func(lines []string) []string {
			l := lines[record+1]
			return append(lines[:record+1], l[:len(l)/2])
		}
	}
	const poly = -2 // stands for the first Polygon feature
	tests := []struct {
		name   string
		file   string
		record int // -1: the error is about the file
		edit   func(record int) func([]string) []string
		code   string // "" unless the record's code must be named
		want   string
	}{
		{"truncated contours", FileContours, 7, truncate, "", "unexpected end of file"},
		{"truncated communes", FileCommunes, 10, truncate, "", "unexpected end of file"},
		{"truncated EPCI", FileEPCIs, 3, truncate, "", "unexpected end of file"},
		{"truncated after a record", FileCommunes, 12, func(r int) func([]string) []string {
			return func(lines []string) []string { return lines[:r+1] }
		}, "", "unexpected end of file"},
		{"cut before the closing bracket", FileRegions, -1, func(int) func([]string) []string {
			return func(lines []string) []string {
				lines[len(lines)-3] = strings.TrimSuffix(lines[len(lines)-3], ",")
				return lines[:len(lines)-2]
			}
		}, "", "after 26 records"},
		{"empty file", FileDepartements, -1, func(int) func([]string) []string {
			return func([]string) []string { return nil }
		}, "", "unexpected end of file"},
		{"data after the end", FileRegions, -1, func(int) func([]string) []string {
			return func(lines []string) []string { return append(lines, "[]") }
		}, "", "unexpected data after the end"},
		{"syntax error", FileCommunes, 5, func(r int) func([]string) []string {
			return replace(r, `"code":`, `"code"`)
		}, "", "invalid character"},
		{"wrong type", FileCommunes, 6, func(r int) func([]string) []string {
			return replace(r, `"population":`, `"population":"x","p":`)
		}, "86", "cannot unmarshal"},
		{"bad INSEE code", FileCommunes, 4, func(r int) func([]string) []string {
			return replace(r, `"code":"86`, `"code":"8`)
		}, "8", "invalid INSEE code"},
		{"unknown EPCI", FileCommunes, 8, func(r int) func([]string) []string {
			return replace(r, `"codeEpci":"`, `"codeEpci":"9`)
		}, "86", "unknown codeEpci"},
		{"unknown département", FileCommunes, 9, func(r int) func([]string) []string {
			return replace(r, `"codeDepartement":"86"`, `"codeDepartement":"99"`)
		}, "86", "unknown codeDepartement"},
		{"région differs", FileCommunes, 9, func(r int) func([]string) []string {
			return replace(r, `"codeRegion":"75"`, `"codeRegion":"11"`)
		}, "86", "differs"},
		{"centre out of range", FileCommunes, 3, func(r int) func([]string) []string {
			return replace(r, `"coordinates":[`, `"coordinates":[200,`)
		}, "86", "centre is not a GeoJSON Point"},
		{"latitude out of range", FileCommunes, 3, func(r int) func([]string) []string {
			return replace(r, `"coordinates":[`, `"coordinates":[1.5,95],"x":[`)
		}, "86", "out of range"},
		{"duplicate commune", FileCommunes, 4, func(r int) func([]string) []string {
			return func(lines []string) []string {
				lines[r+1] = lines[r]
				return lines
			}
		}, "86", "duplicate code"},
		{"unknown région", FileDepartements, 0, func(r int) func([]string) []string {
			return replace(r, `"codeRegion":"`, `"codeRegion":"X`)
		}, "01", "unknown codeRegion"},
		{"duplicate région", FileRegions, 1, func(r int) func([]string) []string {
			return replace(r, `"code":"02"`, `"code":"01"`)
		}, "01", "duplicate code"},
		{"EPCI without name", FileEPCIs, 2, func(r int) func([]string) []string {
			return replace(r, `"nom":"`, `"nom":"","x":"`)
		}, "200000545", "missing nom"},
		{"ring not closed", FileContours, poly, func(r int) func([]string) []string {
			return replace(r, `"coordinates":[[[`, `"coordinates":[[[0.5,46.5],[`)
		}, "86", "ring 0: ring not closed"},
		{"position out of range", FileContours, poly, func(r int) func([]string) []string {
			return replace(r, `"coordinates":[[[`, `"coordinates":[[[0.5,-91],[`)
		}, "86", "position 0: coordinates out of range"},
		{"three coordinates", FileContours, poly, func(r int) func([]string) []string {
			return replace(r, `"coordinates":[[[`, `"coordinates":[[[0.5,46.5,10],[`)
		}, "86", "more than two coordinates"},
		{"one coordinate", FileContours, poly, func(r int) func([]string) []string {
			return replace(r, `"coordinates":[[[`, `"coordinates":[[[0.5],[`)
		}, "86", "fewer than two coordinates"},
		{"short ring", FileContours, poly, func(r int) func([]string) []string {
			return replace(r, `"coordinates":[[[`, `"coordinates":[[[0.5,46.5],[0.6,46.5],[0.5,46.5]],[[`)
		}, "86", "ring 0: 3 positions"},
		{"point geometry", FileContours, poly, func(r int) func([]string) []string {
			return replace(r, `"type":"Polygon"`, `"type":"Point"`)
		}, "86", `geometry type "Point"`},
		{"unknown commune", FileContours, 3, func(r int) func([]string) []string {
			return replace(r, `"code":"86`, `"code":"87`)
		}, "87", "unknown commune"},
		{"duplicate contour", FileContours, 4, func(r int) func([]string) []string {
			return func(lines []string) []string {
				lines[r+1] = lines[r]
				return lines
			}
		}, "86", "duplicate contour"},
		{"not a collection", FileContours, -1, func(int) func([]string) []string {
			return func(lines []string) []string {
				lines[0] = strings.Replace(lines[0], "FeatureCollection", "Feature", 1)
				return lines
			}
		}, "", "not a GeoJSON FeatureCollection"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFixture(t)
			record := tc.record
			if record == poly {
				record = polygonRecord(t, dir)
			}
			editFile(t, filepath.Join(dir, tc.file), tc.edit(record))
			g, err := Load(context.Background(), Dir(dir))
			if g != nil {
				t.Error("a geography was returned with the error")
			}
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("err = %v, want a *LoadError", err)
			}
			if le.File != tc.file || le.Record != record || !strings.HasPrefix(le.Code, tc.code) || (tc.code == "") != (le.Code == "") {
				t.Errorf("error names %s record %d code %q, want %s record %d code %q…", le.File, le.Record, le.Code, tc.file, record, tc.code)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), tc.file+": ") {
				t.Errorf("err = %q, want it to start with %q and contain %q", err, tc.file, tc.want)
			}
		})
	}
}

func TestLoadErrorMessage(t *testing.T) {
	err := &LoadError{File: FileContours, Record: 1204, Code: "86066", Err: errors.New("ring 0: ring not closed")}
	if got, want := err.Error(), "communes-contours.geojson: record 1204 (code 86066): ring 0: ring not closed"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLoadMissingFile(t *testing.T) {
	dir := writeFixture(t)
	if err := os.Remove(filepath.Join(dir, FileEPCIs)); err != nil {
		t.Fatal(err)
	}
	_, err := Load(context.Background(), Dir(dir))
	var le *LoadError
	if !errors.As(err, &le) || le.File != FileEPCIs || le.Record != -1 || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want %s not found", err, FileEPCIs)
	}
}

// The former communes (associées, déléguées) of the source name today's
// commune: their codes resolve to it. The file is optional; a former
// commune whose chef-lieu is unknown stops the load.
func TestFormerCommunes(t *testing.T) {
	src, dir := geodataDir(t), t.TempDir()
	for _, name := range []string{FileCommunes, FileContours, FileDepartements, FileRegions, FileEPCIs} {
		if err := os.Symlink(filepath.Join(src, name), filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	write := func(records string) {
		if err := os.WriteFile(filepath.Join(dir, FileFormer), []byte(records), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(`[{"code":"86999","nom":"Ancienne commune","type":"commune-deleguee","chefLieu":"86066"},
	        {"code":"86066","nom":"Châtellerault","type":"commune-deleguee","chefLieu":"86066"}]`)
	g, err := Load(context.Background(), Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Former) != 1 || g.Former[0] != (directory.FormerCommune{Code: "86999", Name: "Ancienne commune", Commune: "86066"}) {
		t.Fatalf("former communes %+v; want 86999 only (86066 is current)", g.Former)
	}
	z := NewGazetteer(g)
	if c, ok := z.Commune("86999"); !ok || c.Code != "86066" {
		t.Errorf("Commune(86999) = %v, %v; want Châtellerault", c, ok)
	}
	write(`[{"code":"86999","nom":"Ancienne commune","type":"commune-deleguee","chefLieu":"99999"}]`)
	if _, err := Load(context.Background(), Dir(dir)); err == nil || !strings.Contains(err.Error(), FileFormer) {
		t.Errorf("unknown chef-lieu: %v, want an error naming %s", err, FileFormer)
	}
}
