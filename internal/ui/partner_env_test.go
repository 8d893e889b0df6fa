package ui_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/app"
	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/catalog"
	"github.com/repere-spie/repere/internal/demand"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
	"github.com/repere-spie/repere/internal/importer"
	"github.com/repere-spie/repere/internal/mail"
	"github.com/repere-spie/repere/internal/store"
)

// partnerEnv is the whole site with accounts, on its own store and index
// (the partner tests write; the public pages' tests only read theirs),
// served on a loopback port so that the links of its mails work in a
// browser. The clock is the real one: sessions expire by it.
type partnerEnv struct {
	gaz      *geo.Gazetteer
	store    *store.Store
	index    *indexer.Index
	catalog  *catalog.Catalog
	accounts *account.Accounts
	mailbox  *mail.Mailbox
	imports  *importer.Runs
	demand   *demand.Counter
	app      *fiber.App
	site     *app.Main // the rest: scheduler, outbox
	base     string
	fx       fixtures
}

var (
	partnerOnce sync.Once
	partnerErr  error
	thePartner  *partnerEnv
)

func partner(t testing.TB) *partnerEnv {
	t.Helper()
	partnerOnce.Do(func() { thePartner, partnerErr = newPartnerEnv(t) })
	if partnerErr != nil {
		t.Fatal(partnerErr)
	}
	return thePartner
}

func newPartnerEnv(t testing.TB) (*partnerEnv, error) {
	dir, err := os.MkdirTemp("", "repere-partner-test-")
	if err != nil {
		return nil, err
	}
	cleanup = append(cleanup, func() { os.RemoveAll(dir) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	base := "http://" + ln.Addr().String()
	cfg := apptest.Config(t, dir)
	cfg.BaseURL, cfg.TilesURL, cfg.ContactEmail = base, "", "signalement@repere.example"
	cfg.SecretKey = "une clé de test de trente-deux octets au moins"
	cfg.DevMailbox, cfg.DevMailboxSize = true, 1000 // the tests read the mails there
	cfg.Sync.URL, cfg.Sync.Token = dataInclusionAPI(), "jeton-de-test"
	m := &app.Main{Config: cfg}
	cleanup = append(cleanup, m.Close)
	fx := newFixtures(gazetteer(t))
	err = startSite(t, m, func(st *store.Store) error {
		if err := st.InsertStructures(context.Background(), fx.structures); err != nil {
			return err
		}
		return st.InsertServices(context.Background(), fx.services)
	})
	if err != nil {
		return nil, err
	}
	go m.App.Listener(ln)
	cleanup = append(cleanup, func() { m.App.Shutdown() })
	return &partnerEnv{gaz: m.Gazetteer, store: m.Store, index: m.Index, catalog: m.Catalog, accounts: m.Accounts, mailbox: m.Mailbox,
		imports: m.Imports, demand: m.Demand, app: m.App, site: m, base: base, fx: fx}, nil
}

// visitor is a browser over app.Test: it keeps its cookies, as a browser
// would, and follows no redirect.
type visitor struct {
	t       testing.TB
	e       *partnerEnv
	cookies map[string]string
	email   string
	pass    string
	id      string            // the user's id, once signed in
	tokens  map[string]string // CSRF token by session or anonymous cookie
}

func (e *partnerEnv) visitor(t testing.TB) *visitor {
	return &visitor{t: t, e: e, cookies: map[string]string{}}
}

// page is a response of the site.
type page struct {
	status   int
	location string
	header   http.Header
	body     string
	doc      *goquery.Document
}

func (v *visitor) do(method, path string, form url.Values, headers ...string) page {
	v.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return v.send(req)
}

// send sends a request with the visitor's cookies and keeps those it gets.
func (v *visitor) send(req *http.Request) page {
	v.t.Helper()
	method, path := req.Method, req.URL.Path
	for k, val := range v.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: val})
	}
	resp, err := v.e.app.Test(req, 60_000)
	if err != nil {
		v.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(v.cookies, c.Name)
		} else {
			v.cookies[c.Name] = c.Value
		}
	}
	p := page{status: resp.StatusCode, location: resp.Header.Get("Location"), header: resp.Header, body: string(b)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		p.doc, _ = goquery.NewDocumentFromReader(strings.NewReader(p.body))
	}
	return p
}

func (v *visitor) get(path string) page { v.t.Helper(); return v.do(http.MethodGet, path, nil) }

// csrf is the token the visitor's forms carry, read from a page.
func (v *visitor) csrf() string {
	v.t.Helper()
	path, binding := "/compte", v.cookies[account.SessionCookieName]
	if binding == "" {
		path, binding = account.LoginPath, v.cookies[account.AnonCookieName]
	}
	if tok := v.tokens[binding]; binding != "" && tok != "" {
		return tok // a token is bound to the session: the same for all its forms
	}
	p := v.get(path)
	if p.doc == nil {
		v.t.Fatalf("GET %s: %d, no page", path, p.status)
	}
	tok, _ := p.doc.Find(`input[name="csrf"]`).First().Attr("value")
	if tok == "" {
		v.t.Fatalf("GET %s: no CSRF token in the page (%d)", path, p.status)
	}
	if v.tokens == nil {
		v.tokens = map[string]string{}
	}
	binding = v.cookies[account.SessionCookieName]
	if binding == "" {
		binding = v.cookies[account.AnonCookieName]
	}
	v.tokens[binding] = tok
	return tok
}

// post submits a form as the site's pages do, with the CSRF token.
func (v *visitor) post(path string, form url.Values) page {
	v.t.Helper()
	f := url.Values{}
	for k, x := range form {
		f[k] = x
	}
	f.Set("csrf", v.csrf())
	return v.do(http.MethodPost, path, f)
}

// upload posts a file as the import form does (multipart, with the CSRF
// token unless noCSRF).
func (v *visitor) upload(path, name string, content []byte, noCSRF bool) page {
	v.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if !noCSRF {
		_ = w.WriteField("csrf", v.csrf())
	}
	if name != "" {
		fw, err := w.CreateFormFile("fichier", name)
		if err != nil {
			v.t.Fatal(err)
		}
		_, _ = fw.Write(content)
	}
	_ = w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return v.send(req)
}

var seq atomic.Int64

// uniq returns a string unique in the test binary.
func uniq() string { return fmt.Sprint(seq.Add(1)) }

const testPassword = "cerf-volant rouge sur la plage"

var mailToken = regexp.MustCompile(`\?jeton=([A-Za-z0-9_-]+)`)

// token is the token of the newest mail to the address whose subject
// contains subject.
func (e *partnerEnv) token(t testing.TB, to, subject string) string {
	t.Helper()
	// Some mails leave after the answer (password resets): wait for them.
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, m := range e.mailbox.Messages() { // newest first
			if m.To == to && strings.Contains(m.Subject, subject) {
				if sm := mailToken.FindStringSubmatch(m.Text); sm != nil {
					return sm[1]
				}
			}
		}
	}
	t.Fatalf("no mail %q to %s", subject, to)
	return ""
}

// member signs a person up through the pages, confirms the address from the
// mail and signs in: a visitor with a real session.
func (e *partnerEnv) member(t testing.TB, name string) *visitor {
	t.Helper()
	v := e.visitor(t)
	v.email, v.pass = fmt.Sprintf("personne%s@exemple.fr", uniq()), testPassword
	if p := v.post("/inscription", url.Values{"nom": {name}, "email": {v.email}, "mot_de_passe": {v.pass}}); p.status != http.StatusOK {
		t.Fatalf("sign-up: %d %s", p.status, p.body)
	}
	if p := v.post(account.VerifyPath, url.Values{"jeton": {e.token(t, v.email, "Confirmez")}}); p.status != http.StatusSeeOther {
		t.Fatalf("verify: %d", p.status)
	}
	v.login()
	v.id = v.actor().User.ID
	return v
}

func (v *visitor) login() {
	v.t.Helper()
	p := v.post(account.LoginPath, url.Values{"email": {v.email}, "mot_de_passe": {v.pass}})
	if p.status != http.StatusSeeOther || v.cookies[account.SessionCookieName] == "" {
		v.t.Fatalf("login of %s: %d %s", v.email, p.status, p.location)
	}
}

// actor is the visitor as the account package sees them.
func (v *visitor) actor() *account.Actor {
	v.t.Helper()
	a, err := v.e.accounts.Authenticate(context.Background(), v.cookies[account.SessionCookieName])
	if err != nil {
		v.t.Fatalf("%s: %v", v.email, err)
	}
	return a
}

// newSIRET returns a valid SIRET never used in this test binary.
func newSIRET() string {
	siren := fmt.Sprintf("9%07d", seq.Add(1))
	siren += luhnDigit(siren)
	nic := siren + "0001"
	return nic + luhnDigit(nic)
}

func luhnDigit(s string) string {
	for d := '0'; d <= '9'; d++ {
		x, sum := s+string(d), 0
		for i := 0; i < len(x); i++ {
			n := int(x[len(x)-1-i] - '0')
			if i%2 == 1 {
				if n *= 2; n > 9 {
					n -= 9
				}
			}
			sum += n
		}
		if sum%10 == 0 {
			return string(d)
		}
	}
	panic("no Luhn digit")
}

// structureForm is a valid structure in Poitiers (département 86).
func structureForm(name string) url.Values {
	return url.Values{"nom": {name}, "siret": {newSIRET()}, "adresse": {"12 rue de la Gare"}, "code_postal": {"86000"},
		"commune": {"Poitiers"}, "code_insee": {poitiers}, "courriel": {"contact@structure.exemple.fr"}}
}

// createStructure registers a structure through the account package.
func (e *partnerEnv) createStructure(t testing.TB, admin *visitor, name string) *directory.Structure {
	t.Helper()
	v := structureForm(name)
	st, err := e.accounts.CreateStructure(context.Background(), admin.actor(), account.StructureForm{Name: name, SIRET: v.Get("siret"),
		Address: v.Get("adresse"), PostalCode: v.Get("code_postal"), CommuneName: v.Get("commune"), CodeInsee: v.Get("code_insee"), Email: v.Get("courriel")})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// completeService is a draft with everything publishing needs.
func completeService(structureID, name string) *directory.Service {
	lat, lon := 46.58, 0.34
	return &directory.Service{ID: directory.NewID(), StructureID: structureID, Source: "repere", Name: name,
		Description: "Un accompagnement pour " + name + ".", Thematiques: []string{"mobilite--preparer-un-permis"},
		ReceptionModes: []string{"en-presentiel"}, EligibilityZone: []directory.Zone{{Kind: directory.ZoneDepartement, Code: "86"}},
		Address: "3 rue Carnot", CodeInsee: poitiers, CommuneName: "Poitiers", PostalCode: "86000", Latitude: &lat, Longitude: &lon,
		Phone: "+33549000001", Status: directory.StatusDraft, Provenance: directory.Provenance{Kind: "saisie"}}
}

func (e *partnerEnv) createService(t testing.TB, svc *directory.Service) *directory.Service {
	t.Helper()
	if err := e.catalog.CreateService(context.Background(), svc); err != nil {
		t.Fatal(err)
	}
	return svc
}

// join makes v a member of the structure with role, through a join request
// answered by admin.
func (e *partnerEnv) join(t testing.TB, v, admin *visitor, structureID string, role directory.Role) {
	t.Helper()
	ctx := context.Background()
	if err := e.accounts.RequestToJoin(ctx, v.actor(), structureID, ""); err != nil {
		t.Fatal(err)
	}
	if role == "" {
		return // the request stays pending
	}
	if err := e.accounts.AcceptJoinRequest(ctx, admin.actor(), structureID, v.actor().User.ID, role); err != nil {
		t.Fatal(err)
	}
}
