package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/directory"
)

// diAPI serves records in the data·inclusion API's shape: /api/v1/{kind},
// paginated, behind a bearer token, filtered by code_departement and
// sources on the records' own fields.
func diAPI(t *testing.T, token string, records map[string][]map[string]any) (*httptest.Server, *atomic.Int32) {
	var pages atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, `{"detail":"Not authenticated"}`, http.StatusUnauthorized)
			return
		}
		kind := strings.TrimPrefix(r.URL.Path, "/api/v1/")
		var all []map[string]any
		for _, rec := range records[kind] {
			if dep := r.URL.Query().Get("code_departement"); dep != "" && !strings.HasPrefix(strings.TrimSpace(str(rec["code_postal"])), dep) {
				continue
			}
			if src := r.URL.Query().Get("sources"); src != "" && str(rec["source"]) != src {
				continue
			}
			all = append(all, rec)
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		size, _ := strconv.Atoi(r.URL.Query().Get("size"))
		pages.Add(1)
		lo, hi := min((page-1)*size, len(all)), min(page*size, len(all))
		_ = json.NewEncoder(w).Encode(map[string]any{"items": all[lo:hi], "total": len(all), "page": page, "size": size,
			"pages": (len(all) + size - 1) / size})
	}))
	t.Cleanup(srv.Close)
	return srv, &pages
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// realLille reads the Lille file as the list of its records, with the
// structure_id and id the API would add.
func realLille(t *testing.T) []map[string]any {
	b, err := os.ReadFile(filepath.Join(apptest.SharedDir(t), "realdata", "gip-inclusion-fluo-proto", "data_inclusion_services.json"))
	if err != nil {
		t.Fatal(err)
	}
	var groups map[string][]map[string]any
	if err := json.Unmarshal(b, &groups); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, g := range []string{"lille_metro", "auteuil"} {
		out = append(out, groups[g]...)
	}
	return out
}

// The API reader pages through the real Lille records served in the API's
// shape, with its token, and filters by département and source.
func TestAPIReaderOnRealRecords(t *testing.T) {
	e := newEnv(t)
	recs := realLille(t)
	srv, pages := diAPI(t, "secret", map[string][]map[string]any{"services": recs})
	rep := e.run(&APIReader{BaseURL: srv.URL, Token: "secret", PageSize: 100}, Options{})
	if rep.Read != 581 || rep.New != 581 || rep.Rejected != 0 || pages.Load() != 1+6 {
		t.Errorf("%+v, %d pages", rep, pages.Load())
	}
	// Département 80 of source dora: the Somme records; what the rest of
	// the feed holds is outside the scope and stays published.
	rep = e.run(&APIReader{BaseURL: srv.URL, Token: "secret", Departement: "80", Source: "dora", PageSize: 100}, Options{Grace: 1})
	if rep.Read == 0 || rep.Read > 13 || rep.Unchanged != rep.Read || rep.Unpublished != 0 {
		t.Errorf("filtered: %+v", rep)
	}
	if _, err := e.im.Run(context.Background(), &APIReader{BaseURL: srv.URL, Token: "wrong"}, Options{}); err == nil || !strings.Contains(err.Error(), "jeton refusé") {
		t.Errorf("wrong token: %v", err)
	}
}

// The BAN geocoder speaks /search for one address and /search/csv for a
// batch; addresses it places get their precision, the others the centre of
// their commune.
func TestBANGeocoder(t *testing.T) {
	var batches, singles atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/search/":
			singles.Add(1)
			if r.URL.Query().Get("citycode") != "86194" {
				t.Errorf("citycode %q", r.URL.Query().Get("citycode"))
			}
			_, _ = io.WriteString(w, `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[0.3401,46.5802]},"properties":{"score":0.93,"type":"housenumber"}}]}`)
		case "/search/csv/":
			batches.Add(1)
			_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			form, err := multipart.NewReader(r.Body, params["boundary"]).ReadForm(1 << 20)
			if err != nil {
				t.Error(err)
				return
			}
			f, _ := form.File["data"][0].Open()
			rows, _ := csv.NewReader(f).ReadAll()
			if form.Value["citycode"][0] != "citycode" || len(rows) < 2 {
				t.Errorf("form %v, %d rows", form.Value, len(rows))
			}
			out := csv.NewWriter(w)
			_ = out.Write(append(rows[0], "latitude", "longitude", "result_score", "result_type"))
			for i, row := range rows[1:] {
				if strings.Contains(row[1], "inconnue") {
					_ = out.Write(append(row, "", "", "", ""))
				} else {
					_ = out.Write(append(row, "46.58"+strconv.Itoa(i), "0.34", "0.8", "street"))
				}
			}
			out.Flush()
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ban := NewBAN(srv.URL, nil)
	one := &GeoQuery{Address: "1 rue Carnot", PostalCode: "86000", CodeInsee: "86194"}
	if err := ban.Geocode(context.Background(), []*GeoQuery{one}); err != nil || !one.Found || one.Precision != directory.PositionAddress || one.Lon != 0.3401 {
		t.Errorf("search: %+v %v", one, err)
	}
	e := newEnv(t)
	e.im.Geocoder = ban
	svcs := []map[string]any{serviceRec("a", "dora", "", "Atelier emploi"), serviceRec("b", "dora", "", "Permanence")}
	svcs[1]["adresse"] = "rue inconnue"
	e.run(&DirReader{Dir: e.dir(nil, svcs)}, Options{})
	if a := e.service("dora", "a"); a.Provenance.Position != directory.PositionStreet || *a.Latitude != 46.580 {
		t.Errorf("geocoded: %s %v", a.Provenance.Position, *a.Latitude)
	}
	if b := e.service("dora", "b"); b.Provenance.Position != directory.PositionCommune || !b.Provenance.Approximate() {
		t.Errorf("not found: %s", b.Provenance.Position)
	}
	if batches.Load() != 1 || singles.Load() != 1 {
		t.Errorf("%d batches, %d single searches", batches.Load(), singles.Load())
	}
}

// The commune of a record is found however the source writes it.
func TestResolveCommune(t *testing.T) {
	_, gaz := apptest.Geography(t)
	lon, lat := 2.3522, 48.8566
	for _, tc := range []struct {
		code, postal, name string
		lon, lat           *float64
		want               string
	}{
		{"", "59000", "LILLE", nil, nil, "59350"},
		{"", "59650", "VILLENEUVE D ASCQ", nil, nil, "59009"},
		{"", "59491", "Villeneuve-d'Ascq Cedex", nil, nil, "59009"},
		{"75112", "75012", "Paris 12e", nil, nil, "75056"},   // arrondissement
		{"93059", "93380", "Pierrefitte", nil, nil, "93066"}, // merged into Saint-Denis
		{"49069", "49530", "Orée d'Anjou", nil, nil, "49126"},
		{"", "97400", "Saint-Denis", nil, nil, "97411"},
		{"", "", "", &lon, &lat, "75056"},
	} {
		c := resolveCommune(gaz, tc.code, tc.postal, tc.name, tc.lon, tc.lat)
		if c == nil || c.Code != tc.want {
			t.Errorf("%s %s %s: %v, want %s", tc.code, tc.postal, tc.name, c, tc.want)
		}
	}
}

// CSV files as people save them: encoding and delimiter are found.
func TestOpenCSV(t *testing.T) {
	win, _ := charmap.Windows1252.NewEncoder().String("Nom du service;Thématiques;Code postal\nCrèche Les Lutins;Garde d’enfants;86000\n")
	for _, tc := range []struct {
		name, content, encoding string
		comma                   rune
	}{
		{"utf8", "Nom du service,Thématiques,Code postal\nCrèche Les Lutins,Garde d’enfants,86000\n", "UTF-8", ','},
		{"bom", "\ufeffNom du service;Thématiques;Code postal\nCrèche Les Lutins;Garde d’enfants;86000\n", "UTF-8 (avec BOM)", ';'},
		{"cp1252", win, "Windows-1252", ';'},
		{"tab", "Nom du service\tThématiques\tCode postal\nCrèche Les Lutins\tGarde d’enfants\t86000\n", "UTF-8", '\t'},
	} {
		tab, err := openCSV(bytes.NewReader([]byte(tc.content)), tc.name)
		if err != nil {
			t.Fatal(err)
		}
		row, line, err := tab.Next()
		if err != nil || tab.Encoding != tc.encoding || tab.Comma != tc.comma || tab.Header[1] != "Thématiques" ||
			row[0] != "Crèche Les Lutins" || row[1] != "Garde d’enfants" || line != 2 {
			t.Errorf("%s: %q %q %q line %d %v", tc.name, tab.Encoding, tab.Header, row, line, err)
		}
	}
}

func TestFranceServicesHours(t *testing.T) {
	days := map[string]string{"h_lundi": "13:30 - 17:00", "h_mardi": "09:00 - 12:00 / 13:30 - 17:00", "h_mercredi": "09:00 - 12:00 / 13:30 - 17:00",
		"h_jeudi": "09:00 - 12:00 / 13:30 - 17:00", "h_vendredi": "09:00 - 12:00 / 13:30 - 16:00", "h_samedi": ""}
	got, err := franceServicesHours(func(c string) string { return days[c] })
	if want := "Mo 13:30-17:00; Tu-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00,13:30-16:00"; err != nil || got != want {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
	days["h_samedi"] = "9h - midi"
	if _, err := franceServicesHours(func(c string) string { return days[c] }); err == nil || !strings.Contains(err.Error(), "samedi") {
		t.Errorf("err %v", err)
	}
}
