package ui_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/importer"
)

// importCSV is a spreadsheet as partners write them: French headers, a
// semicolon, a good row in Poitiers (86).
var importCSV = []byte("Nom du service;Thématiques;Code postal;Commune;Téléphone\n" +
	"Atelier CV du matrice;Réaliser un CV et/ou une lettre de motivation;86000;Poitiers;05 49 00 00 00\n")

// moderators are the matrix's territory moderators: of the Vienne (86),
// and of another territory (37). Tests share them: sign-ups are limited.
func (e *partnerEnv) moderators(t *testing.T) (vienne, other *visitor) {
	t.Helper()
	c := people(t, e)
	return c.roles[rModerator], c.roles[rOtherModerator]
}

// dryRun uploads a file as who and waits for its dry run; it returns the
// dry run's id.
func (e *partnerEnv) dryRun(t testing.TB, who *visitor, name string, content []byte) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a := who.actor()
	id, err := e.imports.Upload(name, bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.imports.Reader(id)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := e.imports.Wait(ctx, e.imports.Start(r, importer.Options{DryRun: true, Actor: a.User.Name, ActorID: a.User.ID,
		Departements: a.User.ModeratorOf}, id))
	if err != nil {
		t.Fatal(err)
	}
	return rep.ID
}

// runCount is the number of import runs in the store.
func (e *partnerEnv) runCount(t testing.TB) int {
	t.Helper()
	runs, err := e.imports.History(context.Background(), 100000, nil)
	if err != nil {
		t.Fatal(err)
	}
	return len(runs)
}

// uploads is the number of files kept for a confirmation.
func (e *partnerEnv) uploads(t testing.TB) int {
	t.Helper()
	entries, err := os.ReadDir(e.imports.Dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return len(entries)
}

// Bad files are refused with a French message and nothing is written:
// wrong type, disguised type, no file, no CSRF token, too large. Malformed
// rows are listed in the dry run's report with their line and reason, and
// the confirmed import writes the good rows only.
func TestImportBadInput(t *testing.T) {
	e := partner(t)
	mod, other := e.moderators(t)
	ctx := context.Background()

	page := mod.get("/espace/imports")
	if page.status != http.StatusOK || page.doc.Find(`form[action="/espace/imports"][enctype="multipart/form-data"] input[name="csrf"]`).Length() != 1 ||
		page.doc.Find(`a[href="/espace/imports/modele.xlsx"]`).Length() != 1 {
		t.Fatalf("import page: %d %s", page.status, page.body)
	}
	tpl := mod.get("/espace/imports/modele.xlsx")
	if tpl.status != http.StatusOK || !strings.HasPrefix(tpl.body, "PK\x03\x04") || !strings.Contains(tpl.header.Get("Content-Disposition"), ".xlsx") {
		t.Errorf("template: %d %q", tpl.status, tpl.header)
	}

	runs, uploads := e.runCount(t), e.uploads(t)
	services, err := e.store.CountServices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	unchanged := func(what string) {
		t.Helper()
		if n := e.runCount(t); n != runs {
			t.Errorf("%s: %d import runs, want %d", what, n, runs)
		}
		if n := e.uploads(t); n != uploads {
			t.Errorf("%s: %d uploads kept, want %d", what, n, uploads)
		}
		if n, _ := e.store.CountServices(ctx); n != services {
			t.Errorf("%s: %d services, want %d", what, n, services)
		}
	}
	for _, c := range []struct {
		what, name string
		content    []byte
		status     int
		message    string
	}{
		{"a PDF", "offre.pdf", []byte("%PDF-1.4 ..."), http.StatusUnprocessableEntity, "Envoyez un tableur (.xlsx ou .csv) ou un fichier data·inclusion"},
		{"a PDF named .xlsx", "offre.xlsx", []byte("%PDF-1.4 ..."), http.StatusUnprocessableEntity, "n’est pas un classeur .xlsx"},
		{"UTF-16 text named .csv", "offre.csv", []byte("\xff\xfeN\x00o\x00m\x00"), http.StatusUnprocessableEntity, "n’est pas du texte"},
		{"an empty file", "offre.csv", []byte{}, http.StatusUnprocessableEntity, "Le fichier est vide."},
		{"no file", "", nil, http.StatusUnprocessableEntity, "Choisissez le fichier à importer."},
	} {
		p := mod.upload("/espace/imports", c.name, c.content, false)
		if p.status != c.status || p.doc == nil || !strings.Contains(p.doc.Find(".fr-error-text").Text(), c.message) {
			t.Errorf("%s: %d, want %d with %q in the field's error: %s", c.what, p.status, c.status, c.message, p.doc.Find(".fr-error-text").Text())
		}
		unchanged(c.what)
	}
	if p := mod.upload("/espace/imports", "services.csv", importCSV, true); p.status != http.StatusForbidden {
		t.Errorf("without a CSRF token: %d", p.status)
	}
	unchanged("without a CSRF token")
	// Over the limit, the site answers as soon as it reads the length
	// announced, before the body: a browser shows the page.
	if status, body := mod.announce("/espace/imports", importer.MaxUpload+1<<20); status != http.StatusRequestEntityTooLarge ||
		!strings.Contains(body, fmt.Sprintf("ne doit pas dépasser %d Mo", importer.MaxUpload>>20)) {
		t.Errorf("a file over %d MB: %d", importer.MaxUpload>>20, status)
	}
	unchanged("a file too large")
	// Other routes keep the site's body limit.
	if status, _ := mod.announce("/compte", 2<<20); status != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MB posted to /compte: %d", status)
	}

	// Malformed rows: rejected with their line and a French reason.
	csv := "Nom du service;Thématiques;Code postal;Commune;Courriel\n" +
		"Permanence emploi " + uniq() + ";Réaliser un CV et/ou une lettre de motivation;86000;Poitiers;emploi@exemple.fr\n" +
		";Réaliser un CV et/ou une lettre de motivation;86000;Poitiers;\n" +
		"Atelier hors territoire;Réaliser un CV et/ou une lettre de motivation;59100;Roubaix;\n" +
		"Service nulle part;Réaliser un CV et/ou une lettre de motivation;;;\n"
	p := mod.upload("/espace/imports", "services.csv", []byte(csv), false)
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/espace/imports/") {
		t.Fatalf("upload: %d %s", p.status, p.location)
	}
	report := mod.waitRun(p.location)
	if n, _ := e.store.CountServices(ctx); n != services {
		t.Errorf("the dry run wrote: %d services, want %d", n, services)
	}
	rows := report.doc.Find(`table:has(caption:contains("rejetés")) tbody tr`)
	got := map[string]string{}
	rows.Each(func(_ int, r *goquery.Selection) { got[r.Find("td").Eq(0).Text()] = r.Find("td").Eq(1).Text() })
	want := map[string]string{
		"ligne 3": "Service sans nom.",
		"ligne 4": "hors de votre territoire (département 59)",
		"ligne 5": "Impossible de situer le service",
	}
	for line, reason := range want {
		if !strings.Contains(got[line], reason) {
			t.Errorf("%s: rejected for %q, want %q (report: %v)", line, got[line], reason, got)
		}
	}
	confirm, ok := report.doc.Find(`form[action$="/confirmer"]`).Attr("action")
	if !ok {
		t.Fatalf("no confirmation form: %s", report.body)
	}
	if p := other.get(p.location); p.status != http.StatusNotFound {
		t.Errorf("another moderator reads the report: %d", p.status)
	}
	if p := other.post(confirm, nil); p.status != http.StatusNotFound {
		t.Errorf("another moderator confirms: %d", p.status)
	}
	if n, _ := e.store.CountServices(ctx); n != services {
		t.Errorf("another moderator's confirmation wrote: %d services, want %d", n, services)
	}
	done := mod.post(confirm, nil)
	if done.status != http.StatusSeeOther {
		t.Fatalf("confirm: %d", done.status)
	}
	if again := mod.post(confirm, nil); again.location != done.location {
		t.Errorf("a second confirmation went to %s, not %s", again.location, done.location)
	}
	final := mod.waitRun(done.location)
	if !strings.Contains(final.doc.Find(".fr-alert--success").Text(), "Import terminé") {
		t.Errorf("import: %s", final.doc.Find("main").Text())
	}
	if n, _ := e.store.CountServices(ctx); n != services+1 {
		t.Errorf("%d services after the import, want %d", n, services+1)
	}
}

// announce sends, over a real connection to the test site, the headers of
// a multipart post of size bytes, and reads the answer without sending the
// body (the site refuses what is too large before reading it).
func (v *visitor) announce(path string, size int) (int, string) {
	v.t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(v.e.base, "http://"))
	if err != nil {
		v.t.Fatal(err)
	}
	defer conn.Close()
	var cookies []string
	for k, val := range v.cookies {
		cookies = append(cookies, k+"="+val)
	}
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: multipart/form-data; boundary=limite\r\nContent-Length: %d\r\nCookie: %s\r\n\r\n",
		path, strings.TrimPrefix(v.e.base, "http://"), size, strings.Join(cookies, "; "))
	_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		v.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitRun reads a run's page until it no longer runs.
func (v *visitor) waitRun(path string) page {
	v.t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		p := v.get(path)
		if p.status != http.StatusOK {
			v.t.Fatalf("%s: %d", path, p.status)
		}
		if _, running := p.doc.Find(`meta[http-equiv="refresh"]`).Attr("content"); !running {
			return p
		}
		if time.Now().After(deadline) {
			v.t.Fatalf("%s still running", path)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// A field edited on Repère stays as edited when the source changes it too;
// the moderators of the territory see the source's value beside it.
func TestImportProposals(t *testing.T) {
	e := partner(t)
	mod, other := e.moderators(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	name := "Permanence logement " + uniq()
	sheet := func(phone string) []byte {
		return []byte("Identifiant;Nom du service;Thématiques;Code postal;Commune;Téléphone\n" +
			"perm-" + name + ";" + name + ";Réaliser un CV et/ou une lettre de motivation;86000;Poitiers;" + phone + "\n")
	}
	imp := func(content []byte) *importer.Report {
		t.Helper()
		dry := e.dryRun(t, mod, "logement.csv", content)
		a := mod.actor()
		id, err := e.imports.Confirm(ctx, strings.TrimSuffix(dry, importer.DryRunSuffix), importer.Options{Actor: a.User.Name, ActorID: a.User.ID})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := e.imports.Wait(ctx, id)
		if err != nil || rep.State != importer.StateDone {
			t.Fatalf("import: %+v %v", rep, err)
		}
		return rep
	}
	if rep := imp(sheet("05 49 00 00 01")); rep.New != 1 {
		t.Fatalf("first import: %+v", rep)
	}
	var id string
	p := mod.get("/espace/imports/propositions")
	if p.status != http.StatusOK || strings.Contains(p.body, name) {
		t.Fatalf("proposals before any: %d", p.status)
	}
	// Someone corrects the phone on Repère, then the source changes it.
	err := e.store.EachService(ctx, func(s *directory.Service) error {
		if s.Name == name {
			id = s.ID
		}
		return nil
	})
	if err != nil || id == "" {
		t.Fatalf("imported service not found: %v", err)
	}
	svc, err := e.store.Service(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	svc.Phone = "+33549000002"
	if err := e.catalog.UpdateService(ctx, svc); err != nil {
		t.Fatal(err)
	}
	if rep := imp(sheet("05 49 00 00 03")); rep.Updated != 1 {
		t.Fatalf("second import: %+v", rep)
	}
	if got, _ := e.store.Service(ctx, id); got.Phone != "+33549000002" {
		t.Errorf("the edited phone became %q", got.Phone)
	}
	p = mod.get("/espace/imports/propositions")
	row := p.doc.Find(`a[href="/espace/services/` + id + `"]`).Closest("section").Find("tbody tr")
	if row.Length() != 1 || row.Find("th").Text() != "Téléphone" || !strings.Contains(row.Find("td").Eq(0).Text(), "+33549000002") ||
		!strings.Contains(row.Find("td").Eq(1).Text(), "+33549000003") {
		t.Errorf("proposal: %q", row.Text())
	}
	if p := other.get("/espace/imports/propositions"); p.status != http.StatusOK || strings.Contains(p.body, name) {
		t.Errorf("another territory's moderator sees the proposal: %d", p.status)
	}
}

// dataInclusionAPI serves, in the data·inclusion API's shape, one structure
// and one service in Poitiers for département 86 and nothing elsewhere,
// to the bearer of "jeton-de-test"; it returns its URL.
func dataInclusionAPI() string {
	records := map[string]string{
		"structures": `{"id":"st-di-1","source":"dora","nom":"Centre social des Trois Cités","adresse":"2 place des Trois Cités",` +
			`"code_postal":"86000","commune":"Poitiers","code_insee":"86194","date_maj":"2026-01-15"}`,
		"services": `{"id":"svc-di-1","source":"dora","structure_id":"st-di-1","nom":"Aide aux démarches en ligne des Trois Cités",` +
			`"description":"Un accompagnement pour faire ses démarches administratives en ligne.","thematiques":["numerique--acceder-a-des-services-en-ligne"],` +
			`"code_insee":"86194","code_postal":"86000","commune":"Poitiers","modes_accueil":["en-presentiel"],"date_maj":"2026-02-01"}`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer jeton-de-test" {
			http.Error(w, "jeton", http.StatusUnauthorized)
			return
		}
		kind := strings.TrimPrefix(r.URL.Path, "/api/v1/")
		items := "[]"
		if rec, ok := records[kind]; ok && r.URL.Query().Get("code_departement") == "86" && r.URL.Query().Get("page") == "1" {
			items = "[" + rec + "]"
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"items":%s,"total":%d,"page":1,"size":1000,"pages":1}`, items, strings.Count(items, `"id"`))
	}))
	cleanup = append(cleanup, srv.Close)
	return srv.URL
}

// A moderator syncs their département from data·inclusion: dry run, then
// confirmation; another département is refused.
func TestImportSync(t *testing.T) {
	e := partner(t)
	mod, _ := e.moderators(t)
	p := mod.get("/espace/imports")
	if opts := p.doc.Find(`form[action="/espace/imports/datainclusion"] select[name="departement"] option`); opts.Length() != 1 || opts.AttrOr("value", "") != "86" {
		t.Fatalf("départements offered: %d %q", opts.Length(), opts.Text())
	}
	runs := e.runCount(t)
	if p := mod.post("/espace/imports/datainclusion", url.Values{"departement": {"59"}}); p.status != http.StatusUnprocessableEntity ||
		!strings.Contains(p.doc.Find(".fr-error-text").Text(), "Choisissez un département de votre territoire.") {
		t.Errorf("another département: %d", p.status)
	}
	if n := e.runCount(t); n != runs {
		t.Errorf("a refused sync left %d runs, want %d", n, runs)
	}
	p = mod.post("/espace/imports/datainclusion", url.Values{"departement": {"86"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("sync: %d", p.status)
	}
	dry := mod.waitRun(p.location)
	if got := dry.doc.Find("h1").Text(); !strings.Contains(got, "data·inclusion") || !strings.Contains(got, "département 86") {
		t.Errorf("title: %q", got)
	}
	confirm, ok := dry.doc.Find(`form[action$="/confirmer"]`).Attr("action")
	if !ok {
		t.Fatalf("no confirmation: %s", dry.doc.Find("main").Text())
	}
	done := mod.waitRun(mod.post(confirm, nil).location)
	if !strings.Contains(done.doc.Find(".fr-alert--success").Text(), "Import terminé") {
		t.Fatalf("sync: %s", done.doc.Find("main").Text())
	}
	found := false
	err := e.store.EachService(context.Background(), func(s *directory.Service) error {
		found = found || s.Name == "Aide aux démarches en ligne des Trois Cités" && s.Provenance.Feed == "datainclusion"
		return nil
	})
	if err != nil || !found {
		t.Errorf("the synced service is not in the store (%v)", err)
	}
}
