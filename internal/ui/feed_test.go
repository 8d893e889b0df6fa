package ui_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"

	"github.com/repere-spie/repere/internal/directory"
)

const siteURL = "https://repere.example"

// parseFeed reads a feed response with an independent parser.
func parseFeed(t *testing.T, r response) *gofeed.Feed {
	t.Helper()
	f, err := gofeed.NewParser().Parse(strings.NewReader(r.body))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, r.body)
	}
	return f
}

func feedIDs(f *gofeed.Feed) []string {
	var out []string
	for _, it := range f.Items {
		out = append(out, it.GUID)
	}
	return out
}

// serviceOf returns the service id in a feed entry id.
func serviceOf(guid string) string {
	_, rest, _ := strings.Cut(guid, ":service/")
	id, _, _ := strings.Cut(rest, "/")
	return id
}

func TestFeeds(t *testing.T) {
	e := testEnv(t)
	cases := []struct {
		name, path  string
		has, hasNot []string // service ids
	}{
		{"search", "/flux/recherche.%s?code_commune=86194&thematiques=mobilite",
			[]string{e.fx.garage.ID, e.fx.remote.ID}, []string{e.fx.tours.ID, e.fx.creche.ID, e.fx.draft.ID, e.fx.suspended.ID}},
		{"search with sort, page and view", "/flux/recherche.%s?code_commune=86194&thematiques=mobilite&sort=date&page=3&vue=carte",
			[]string{e.fx.garage.ID}, []string{e.fx.tours.ID}},
		{"search of Tours", "/flux/recherche.%s?code_commune=37261&thematiques=mobilite",
			[]string{e.fx.remote.ID}, []string{e.fx.garage.ID}},
		{"commune", "/communes/86066-chatellerault/flux.%s",
			[]string{e.fx.garage.ID, e.fx.permis.ID}, []string{e.fx.tours.ID}},
		{"département", "/departements/86-vienne/flux.%s",
			[]string{e.fx.garage.ID, e.fx.creche.ID, e.fx.remote.ID}, []string{e.fx.tours.ID, e.fx.draft.ID}},
		{"thématique", "/thematiques/mobilite/flux.%s",
			[]string{e.fx.garage.ID, e.fx.permis.ID, e.fx.remote.ID}, []string{e.fx.creche.ID}},
		{"besoin", "/thematiques/famille--garde-denfants/flux.%s",
			[]string{e.fx.creche.ID}, []string{e.fx.garage.ID}},
	}
	types := map[string]string{
		"atom": "application/atom+xml; charset=utf-8",
		"rss":  "application/rss+xml; charset=utf-8",
		"json": "application/feed+json; charset=utf-8",
	}
	for _, c := range cases {
		for _, ext := range []string{"atom", "rss", "json"} {
			t.Run(c.name+" "+ext, func(t *testing.T) {
				r := e.get(t, strings.Replace(c.path, "%s", ext, 1))
				if r.status != 200 || r.header.Get("Content-Type") != types[ext] {
					t.Fatalf("status %d, type %q: %s", r.status, r.header.Get("Content-Type"), r.body)
				}
				if !strings.HasPrefix(r.header.Get("ETag"), `W/"`) || r.header.Get("Last-Modified") == "" ||
					r.header.Get("Cache-Control") != "public, max-age=300" {
					t.Errorf("headers %v", r.header)
				}
				f := parseFeed(t, r)
				if f.Language != "fr" || !strings.HasPrefix(f.Title, "Repère – ") || !strings.HasPrefix(f.Link, siteURL+"/") {
					t.Errorf("feed %q %q %q", f.Language, f.Title, f.Link)
				}
				var got []string
				for i, it := range f.Items {
					got = append(got, serviceOf(it.GUID))
					if !strings.HasPrefix(it.GUID, "tag:repere.example,2026:service/") || !strings.HasPrefix(it.Link, siteURL+"/services/"+serviceOf(it.GUID)) {
						t.Errorf("item %q %q", it.GUID, it.Link)
					}
					if prev := f.Items[max(i-1, 0)].UpdatedParsed; it.UpdatedParsed != nil && prev != nil && it.UpdatedParsed.After(*prev) {
						t.Errorf("item %s after an older one", it.GUID)
					}
				}
				for _, id := range c.has {
					if !slices.Contains(got, id) {
						t.Errorf("%s missing from %v", id, got)
					}
				}
				for _, id := range c.hasNot {
					if slices.Contains(got, id) {
						t.Errorf("%s listed in %v", id, got)
					}
				}
			})
		}
	}
}

func TestFeedConditionalGet(t *testing.T) {
	e := testEnv(t)
	const path = "/flux/recherche.atom?code_commune=86194"
	first := e.get(t, path)
	etag, modified := first.header.Get("ETag"), first.header.Get("Last-Modified")
	lastModified, err := http.ParseTime(modified)
	if first.status != 200 || err != nil {
		t.Fatalf("%d, Last-Modified %q: %v", first.status, modified, err)
	}
	cases := []struct {
		name    string
		headers []string
		status  int
	}{
		{"same ETag", []string{"If-None-Match", etag}, 304},
		{"strong form of the ETag", []string{"If-None-Match", strings.TrimPrefix(etag, "W/")}, 304},
		{"among others", []string{"If-None-Match", `W/"other", ` + etag}, 304},
		{"any", []string{"If-None-Match", "*"}, 304},
		{"other ETag", []string{"If-None-Match", `W/"other"`}, 200},
		{"other ETag, same date", []string{"If-None-Match", `W/"other"`, "If-Modified-Since", modified}, 200},
		{"same date", []string{"If-Modified-Since", modified}, 304},
		{"later date", []string{"If-Modified-Since", lastModified.Add(time.Hour).Format(http.TimeFormat)}, 304},
		{"earlier date", []string{"If-Modified-Since", lastModified.Add(-time.Second).Format(http.TimeFormat)}, 200},
		{"bad date", []string{"If-Modified-Since", "hier"}, 200},
	}
	for _, c := range cases {
		r := e.get(t, path, c.headers...)
		if r.status != c.status {
			t.Errorf("%s: status %d, want %d", c.name, r.status, c.status)
		}
		if r.header.Get("ETag") != etag || r.header.Get("Last-Modified") != modified || r.header.Get("Cache-Control") == "" {
			t.Errorf("%s: headers %v", c.name, r.header)
		}
		if c.status == 304 && r.body != "" {
			t.Errorf("%s: a body with a 304", c.name)
		}
		if c.status == 200 && r.body != first.body {
			t.Errorf("%s: another body", c.name)
		}
	}
	// Compressed responses leave the feed kept in memory as it was.
	for range 2 {
		r := e.get(t, path, "Accept-Encoding", "gzip")
		zr, err := gzip.NewReader(strings.NewReader(r.body))
		if err != nil {
			t.Fatalf("gzip: %v (%s)", err, r.header.Get("Content-Encoding"))
		}
		if b, _ := io.ReadAll(zr); string(b) != first.body {
			t.Error("the compressed feed differs")
		}
	}
	if r := e.get(t, path); r.body != first.body {
		t.Error("the feed changed after compressed responses")
	}
	// Each format has its own ETag.
	if r := e.get(t, "/flux/recherche.rss?code_commune=86194", "If-None-Match", etag); r.status != 200 {
		t.Errorf("the Atom ETag matched the RSS feed: %d", r.status)
	}
}

func TestFeedErrorsAndRedirects(t *testing.T) {
	e := testEnv(t)
	cases := []struct {
		path     string
		status   int
		location string
	}{
		{"/flux/recherche.xml?code_commune=86194", 404, ""},
		{"/flux/recherche.atom?code_commune=99999", 400, ""},
		{"/flux/recherche.atom?thematiques=nope", 400, ""},
		{"/flux/recherche.atom?rayon=7", 400, ""},
		{"/flux/recherche.atom?commune=Saint-Denis", 400, ""},
		{"/flux/recherche.atom?commune=Ch%C3%A2tellerault", 200, ""},
		{"/flux/recherche.atom?raccourci=mobilite", 200, ""},
		{"/flux/recherche.atom?vue=autre", 400, ""},
		{"/communes/86066/flux.atom", 301, "/communes/86066-chatellerault/flux.atom"},
		{"/communes/86066-autre/flux.rss", 301, "/communes/86066-chatellerault/flux.rss"},
		{"/communes/86066-chatellerault/flux.html", 404, ""},
		{"/communes/99999-nulle-part/flux.atom", 404, ""},
		{"/departements/86/flux.json", 301, "/departements/86-vienne/flux.json"},
		{"/departements/99-nulle-part/flux.atom", 404, ""},
		{"/thematiques/nope/flux.atom", 404, ""},
		{"/thematiques/mobilite/flux.txt", 404, ""},
	}
	for _, c := range cases {
		r := e.get(t, c.path)
		if r.status != c.status || r.header.Get("Location") != c.location {
			t.Errorf("%s: %d %q, want %d %q", c.path, r.status, r.header.Get("Location"), c.status, c.location)
		}
	}
}

// TestFeedLinks follows the feeds every page shows, in its head and in its
// "S’abonner" block.
func TestFeedLinks(t *testing.T) {
	e := testEnv(t)
	cases := []struct {
		page, feed string // the Atom feed the page links
	}{
		{"/recherche?code_commune=86194&thematiques=mobilite&sort=date&page=1", "/flux/recherche.atom?code_commune=86194&thematiques=mobilite"},
		{"/recherche?code_commune=86194", "/communes/86194-poitiers/flux.atom"},
		{"/recherche?thematiques=mobilite&partout=1", "/thematiques/mobilite/flux.atom"},
		{"/recherche?q=garage&partout=1", "/flux/recherche.atom?q=garage"},
		{"/communes/86066-chatellerault", "/communes/86066-chatellerault/flux.atom"},
		{"/departements/86-vienne", "/departements/86-vienne/flux.atom"},
		{"/thematiques/mobilite", "/thematiques/mobilite/flux.atom"},
		{"/thematiques/mobilite--preparer-un-permis", "/thematiques/mobilite--preparer-un-permis/flux.atom"},
	}
	for _, c := range cases {
		r := e.get(t, c.page)
		if r.status != 200 {
			t.Fatalf("%s: %d", c.page, r.status)
		}
		alternates := r.doc.Find(`head link[rel="alternate"]`)
		if alternates.Length() != 3 {
			t.Errorf("%s: %d alternate links", c.page, alternates.Length())
		}
		var types []string
		alternates.Each(func(_ int, l *goquery.Selection) {
			types = append(types, l.AttrOr("type", ""))
			href := l.AttrOr("href", "")
			if fr := e.get(t, href); fr.status != 200 || !strings.HasPrefix(fr.header.Get("Content-Type"), l.AttrOr("type", "")+";") {
				t.Errorf("%s: %s gives %d %q", c.page, href, fr.status, fr.header.Get("Content-Type"))
			}
		})
		if !slices.Equal(types, []string{"application/atom+xml", "application/rss+xml", "application/feed+json"}) {
			t.Errorf("%s: types %v", c.page, types)
		}
		if got := alternates.First().AttrOr("href", ""); got != c.feed {
			t.Errorf("%s: Atom feed %q, want %q", c.page, got, c.feed)
		}
		block := r.doc.Find(".subscribe")
		if !strings.Contains(text(block), "S’abonner") || block.Find(`a[href="`+c.feed+`"]`).Length() != 1 {
			t.Errorf("%s: subscribe block %q", c.page, text(block))
		}
	}
}

func TestThematiquePages(t *testing.T) {
	e := testEnv(t)
	r := e.get(t, "/thematiques")
	if r.status != 200 || r.doc.Find(`a[href="/thematiques/mobilite"]`).Length() != 1 ||
		r.doc.Find(`a[href="/thematiques/famille--garde-denfants"]`).Length() != 1 {
		t.Fatalf("list: %d", r.status)
	}
	r = e.get(t, "/thematiques/mobilite")
	if r.status != 200 || text(r.doc.Find("h1")) != "Mobilité" {
		t.Fatalf("category: %d %q", r.status, text(r.doc.Find("h1")))
	}
	var cards []string
	r.doc.Find("#services-thematique .result").Each(func(_ int, s *goquery.Selection) {
		cards = append(cards, strings.TrimPrefix(s.AttrOr("id", ""), "s-"))
	})
	for _, id := range []string{e.fx.garage.ID, e.fx.permis.ID, e.fx.remote.ID} {
		if !slices.Contains(cards, id) {
			t.Errorf("%s not listed in %v", id, cards)
		}
	}
	if slices.Contains(cards, e.fx.creche.ID) {
		t.Errorf("the crèche listed under mobilité")
	}
	if r.doc.Find(`a[href="/thematiques/mobilite--preparer-un-permis"]`).Length() != 1 {
		t.Error("no link to a besoin")
	}
	r = e.get(t, "/thematiques/mobilite--preparer-un-permis")
	if r.status != 200 || r.doc.Find(`main a[href="/thematiques/mobilite"], .fr-breadcrumb a[href="/thematiques/mobilite"]`).Length() == 0 {
		t.Errorf("besoin: %d, no link to its category", r.status)
	}
	if r := e.get(t, "/thematiques/nope"); r.status != 404 {
		t.Errorf("unknown thématique: %d", r.status)
	}
}

// TestFeedHostile checks the fixtures' hostile service: its feeds are
// well-formed and show its text as text.
func TestFeedHostile(t *testing.T) {
	e := testEnv(t)
	for _, ext := range []string{"atom", "rss"} {
		r := e.get(t, "/flux/recherche."+ext+"?code_commune=86194")
		d := xml.NewDecoder(strings.NewReader(r.body))
		d.Strict = true
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", ext, err)
			}
		}
		f := parseFeed(t, r)
		i := slices.IndexFunc(f.Items, func(it *gofeed.Item) bool { return serviceOf(it.GUID) == e.fx.hostile.ID })
		if i < 0 {
			t.Fatalf("%s: the hostile service is missing", ext)
		}
		it := f.Items[i]
		// RSS titles lose their markup: many readers show them as HTML.
		if want := hostileName; ext != "rss" && !strings.HasPrefix(it.Title, want) || ext == "rss" && (strings.ContainsAny(it.Title, "<>") || !strings.HasPrefix(it.Title, `window.__hostile=true Atelier CV & "lettre"`)) {
			t.Errorf("%s: title %q", ext, it.Title)
		}
		if strings.Contains(it.Content, "<script") || strings.Contains(it.Content, "<img") || !strings.Contains(it.Content, "&lt;script&gt;") {
			t.Errorf("%s: content %q", ext, it.Content)
		}
	}
}

// TestFeedAnnouncements publishes and changes services through the catalog,
// as partners do, on a site of its own.
func TestFeedAnnouncements(t *testing.T) {
	gaz := gazetteer(t)
	e, err := newEnv(t, "")
	if err != nil {
		t.Fatal(err)
	}
	cat := e.catalog
	ctx := context.Background()
	cht, _ := gaz.Commune(chatellerault)
	svc := &directory.Service{
		StructureID: e.fx.garageSt.ID, Source: "repere", Name: "Prêt de scooters",
		Description: "Des scooters prêtés pour aller au travail.", Type: "aide-materielle",
		Thematiques: []string{"mobilite--acceder-a-un-vehicule"}, Fees: "gratuit", Publics: []string{"tous-publics"},
		CommuneName: cht.Name, CodeInsee: cht.Code, PostalCode: cht.PostalCodes[0], Address: "3 rue du Port",
		Latitude: ptr(cht.Center[1]), Longitude: ptr(cht.Center[0]),
		ReceptionModes: []string{"en-presentiel"}, EligibilityZone: []directory.Zone{{Kind: directory.ZoneDepartement, Code: "86"}},
		MobilisationModes: []string{"telephoner"}, MobilisableBy: []string{"professionnels"},
		Status: directory.StatusPublished, UpdateFrequency: directory.FrequencyYearly, Provenance: directory.Provenance{Kind: "saisie"},
	}
	const poitiersMobilite = "/flux/recherche.atom?code_commune=86194&thematiques=mobilite"
	const toursMobilite = "/flux/recherche.atom?code_commune=37261&thematiques=mobilite"
	before := e.get(t, poitiersMobilite)

	if err := cat.CreateService(ctx, svc); err != nil {
		t.Fatal(err)
	}
	first := "tag:repere.example,2026:service/" + svc.ID + "/v1"
	r := e.get(t, poitiersMobilite, "If-None-Match", before.header.Get("ETag"))
	if r.status != 200 {
		t.Fatalf("after a publication, the old ETag still matches: %d", r.status)
	}
	f := parseFeed(t, r)
	if ids := feedIDs(f); len(ids) == 0 || ids[0] != first {
		t.Fatalf("Poitiers + mobilité: %v, want %s first", ids, first)
	}
	if it := f.Items[0]; !strings.HasPrefix(it.Title, "Prêt de scooters – Châtellerault") || it.Authors[0].Name != e.fx.garageSt.Name ||
		it.Link != siteURL+"/services/"+svc.ID+"-pret-de-scooters" || !slices.Contains(it.Categories, "Accéder à un véhicule") ||
		it.UpdatedParsed == nil || !it.UpdatedParsed.Equal(svc.AnnouncedAt.Truncate(time.Second)) {
		t.Errorf("entry %+v", it)
	}
	if ids := feedIDs(parseFeed(t, e.get(t, toursMobilite))); slices.ContainsFunc(ids, func(id string) bool { return serviceOf(id) == svc.ID }) {
		t.Errorf("Tours + mobilité lists the service: %v", ids)
	}

	steps := []struct {
		name   string
		change func(*directory.Service)
		id     string // the entry of the service, "" for none
	}{
		{"a wording fix", func(s *directory.Service) { s.Description = "Des scooters prêtés pour se rendre au travail." }, first},
		{"new opening hours", func(s *directory.Service) { s.OpeningHours = "Mo-Fr 09:00-12:00" }, "v3"},
		{"zone narrowed to Châtellerault", func(s *directory.Service) {
			s.EligibilityZone = []directory.Zone{{Kind: directory.ZoneCommune, Code: chatellerault}}
		}, ""},
	}
	for _, st := range steps {
		cur, err := e.store.Service(ctx, svc.ID)
		if err != nil {
			t.Fatal(err)
		}
		st.change(cur)
		if err := cat.UpdateService(ctx, cur); err != nil {
			t.Fatal(err)
		}
		var entry string
		for _, id := range feedIDs(parseFeed(t, e.get(t, poitiersMobilite))) {
			if serviceOf(id) == svc.ID {
				entry = id
			}
		}
		want := st.id
		if strings.HasPrefix(want, "v") {
			want = "tag:repere.example,2026:service/" + svc.ID + "/" + want
		}
		if entry != want {
			t.Errorf("%s: entry %q, want %q", st.name, entry, want)
		}
	}
	if !bytes.Contains([]byte(e.get(t, "/communes/86066-chatellerault/flux.rss").body), []byte("Prêt de scooters")) {
		t.Error("the commune's own feed does not list the service")
	}
}
