package feed_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/feed"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const base = "https://repere.example"

func ptr[T any](v T) *T { return &v }

func paris(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, directory.Paris)
}

// channel is the feed of a search for Poitiers and mobilité, in format ext.
func channel(ext string) feed.Channel {
	return feed.Channel{
		Title:       "Repère – nouveaux services pour les habitants de Poitiers (Vienne) : Mobilité",
		Description: "Les services d’aide à l’insertion publiés ou modifiés récemment pour cette recherche.",
		Link:        base + "/recherche?code_commune=86194&thematiques=mobilite",
		Self:        base + "/flux/recherche." + ext + "?code_commune=86194&thematiques=mobilite",
		Thematiques: base + "/thematiques/",
	}
}

// entries is the fixed dataset: a new service, a significant update, a
// remote service without structure page, a service on site and remote.
func entries() []feed.Entry {
	return []feed.Entry{
		{
			Service: directory.Hit{
				ID: "svgarage00000001", Name: "Réparation de véhicules à prix solidaire",
				StructureID: "stgarage00000001", StructureName: "Garage solidaire du Châtelleraudais",
				CommuneName: "Châtellerault", CommuneCode: "86066", DistanceMeters: ptr(29700.0),
				Thematiques: []string{"mobilite--entretenir-reparer-son-vehicule"},
				Excerpt:     "Le garage répare à prix coûtant les véhicules des personnes en parcours d’insertion.",
				Lat:         ptr(46.8), Lon: ptr(0.54),
			},
			URL:          base + "/services/svgarage00000001-reparation-de-vehicules-a-prix-solidaire",
			StructureURL: base + "/structures/stgarage00000001-garage-solidaire-du-chatelleraudais",
			PublishedAt:  paris(2026, 3, 9, 10), AnnouncedAt: paris(2026, 3, 9, 10), Version: 1,
		},
		{
			Service: directory.Hit{
				ID: "svpermis00000001", Name: "Auto-école sociale",
				StructureID: "stgarage00000001", StructureName: "Garage solidaire du Châtelleraudais",
				CommuneName: "Poitiers", CommuneCode: "86194", DistanceMeters: ptr(800.0),
				Thematiques: []string{"mobilite--preparer-un-permis", "trouver-un-emploi--repondre-a-des-offres-demploi"},
				Excerpt:     "Code et conduite à tarif solidaire, avec un moniteur formé à l’accompagnement.",
				Lat:         ptr(46.58), Lon: ptr(0.34),
			},
			URL:          base + "/services/svpermis00000001-auto-ecole-sociale",
			StructureURL: base + "/structures/stgarage00000001-garage-solidaire-du-chatelleraudais",
			PublishedAt:  paris(2025, 11, 1, 9), AnnouncedAt: paris(2026, 3, 5, 16), Version: 7,
		},
		{
			Service: directory.Hit{
				ID: "svremote00000001", Name: "Conseil en mobilité par téléphone",
				Thematiques: []string{"mobilite--etre-accompagne-dans-son-parcours-mobilite"},
				Remote:      true,
			},
			URL:         base + "/services/svremote00000001-conseil-en-mobilite-par-telephone",
			PublishedAt: paris(2026, 2, 1, 8), AnnouncedAt: paris(2026, 2, 1, 8),
		},
		{
			Service: directory.Hit{
				ID: "svboth000000001", Name: "Plateforme mobilité",
				StructureID: "stfamilles000001", StructureName: "Maison des familles de Poitiers",
				CommuneName: "Poitiers", CommuneCode: "86194", Remote: true, Lat: ptr(46.58), Lon: ptr(0.34),
				Excerpt: "Diagnostic mobilité, sur place ou par téléphone.",
			},
			URL:          base + "/services/svboth000000001-plateforme-mobilite",
			StructureURL: base + "/structures/stfamilles000001-maison-des-familles-de-poitiers",
			PublishedAt:  paris(2025, 6, 1, 8), AnnouncedAt: paris(2026, 1, 15, 8), Version: 12,
		},
	}
}

type format struct {
	ext    string
	write  func(*feed.Feed) ([]byte, error)
	isJSON bool
}

var formats = []format{
	{"atom", (*feed.Feed).Atom, false},
	{"rss", (*feed.Feed).RSS, false},
	{"json", (*feed.Feed).JSON, true},
}

func write(t *testing.T, f format, es []feed.Entry) []byte {
	t.Helper()
	b, err := f.write(feed.New(channel(f.ext), es))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGolden(t *testing.T) {
	for _, f := range formats {
		for _, c := range []struct {
			name    string
			entries []feed.Entry
		}{{"feed", entries()}, {"empty", nil}} {
			got := write(t, f, c.entries)
			path := filepath.Join("testdata", c.name+"."+f.ext+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", c.name+"."+f.ext, path, got)
			}
		}
	}
}

// TestParsedBack reads the feeds with an independent parser.
func TestParsedBack(t *testing.T) {
	es := entries()
	for _, f := range formats {
		t.Run(f.ext, func(t *testing.T) {
			parsed, err := gofeed.NewParser().Parse(bytes.NewReader(write(t, f, es)))
			if err != nil {
				t.Fatal(err)
			}
			wantType := map[string]string{"atom": "atom", "rss": "rss", "json": "json"}[f.ext]
			if parsed.FeedType != wantType || parsed.Language != "fr" || parsed.Link != channel(f.ext).Link {
				t.Errorf("feed: type %q, language %q, link %q", parsed.FeedType, parsed.Language, parsed.Link)
			}
			if f.ext != "rss" && parsed.FeedLink != channel(f.ext).Self {
				t.Errorf("self link %q", parsed.FeedLink)
			}
			if parsed.UpdatedParsed == nil || !parsed.UpdatedParsed.Equal(es[0].AnnouncedAt) {
				t.Errorf("feed updated %v", parsed.UpdatedParsed)
			}
			if len(parsed.Items) != len(es) {
				t.Fatalf("%d items", len(parsed.Items))
			}
			for i, it := range parsed.Items {
				e := es[i]
				wantTitle := map[int]string{
					0: "Réparation de véhicules à prix solidaire – Châtellerault",
					1: "Auto-école sociale – Poitiers",
					2: "Conseil en mobilité par téléphone – à distance",
					3: "Plateforme mobilité – Poitiers et à distance",
				}[i]
				if it.Title != wantTitle || it.Link != e.URL {
					t.Errorf("item %d: title %q, link %q", i, it.Title, it.Link)
				}
				wantAuthor := e.Service.StructureName
				if wantAuthor == "" {
					wantAuthor = "Repère"
				}
				if len(it.Authors) != 1 || it.Authors[0].Name != wantAuthor {
					t.Errorf("item %d: authors %+v", i, it.Authors)
				}
				if !strings.HasPrefix(it.GUID, "tag:repere.example,2026:service/"+e.Service.ID+"/v") {
					t.Errorf("item %d: id %q", i, it.GUID)
				}
				if f.ext != "rss" && (it.PublishedParsed == nil || !it.PublishedParsed.Equal(e.PublishedAt)) {
					t.Errorf("item %d: published %v, want %v", i, it.PublishedParsed, e.PublishedAt)
				}
				announced := it.UpdatedParsed
				if f.ext == "rss" {
					announced = it.PublishedParsed // pubDate: the date of the announcement
				}
				if announced == nil || !announced.Equal(e.AnnouncedAt) {
					t.Errorf("item %d: announced %v, want %v", i, announced, e.AnnouncedAt)
				}
				var wantCats []string
				for _, th := range e.Service.Thematiques {
					if c := directory.ThematiqueCategories.Label(directory.CategoryOf(th)); !slices.Contains(wantCats, c) {
						wantCats = append(wantCats, c)
					}
					wantCats = append(wantCats, directory.Thematiques.Label(th))
				}
				if !slices.Equal(it.Categories, wantCats) {
					t.Errorf("item %d: categories %q, want %q", i, it.Categories, wantCats)
				}
				if e.Service.Excerpt != "" && !strings.Contains(html.UnescapeString(it.Description), e.Service.Excerpt) {
					t.Errorf("item %d: summary %q", i, it.Description)
				}
				if !strings.Contains(it.Content, "Voir la fiche du service") {
					t.Errorf("item %d: content %q", i, it.Content)
				}
			}
		})
	}
}

// atomDoc is what RFC 4287 requires of a feed and its entries, read
// without any feed library.
type atomDoc struct {
	XMLName xml.Name   `xml:"http://www.w3.org/2005/Atom feed"`
	IDs     []string   `xml:"id"`
	Titles  []string   `xml:"title"`
	Updated []string   `xml:"updated"`
	Authors []struct{} `xml:"author"`
	Links   []atomLink `xml:"link"`
	Entries []struct {
		IDs       []string   `xml:"id"`
		Titles    []string   `xml:"title"`
		Updated   []string   `xml:"updated"`
		Published []string   `xml:"published"`
		Links     []atomLink `xml:"link"`
		Content   []struct {
			Type string `xml:"type,attr"`
		} `xml:"content"`
		Summary []struct {
			Type string `xml:"type,attr"`
		} `xml:"summary"`
		Categories []struct {
			Term string `xml:"term,attr"`
		} `xml:"category"`
	} `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
}

func TestAtomRules(t *testing.T) {
	var doc atomDoc
	if err := xml.Unmarshal(write(t, formats[0], entries()), &doc); err != nil {
		t.Fatal(err)
	}
	absolute := func(where, u string) {
		p, err := url.Parse(u)
		if err != nil || !p.IsAbs() || p.Host == "" {
			t.Errorf("%s: link %q is not absolute", where, u)
		}
	}
	date := func(where string, values []string) {
		if len(values) != 1 {
			t.Errorf("%s: %d dates", where, len(values))
			return
		}
		if _, err := time.Parse(time.RFC3339, values[0]); err != nil {
			t.Errorf("%s: %v", where, err)
		}
	}
	if len(doc.IDs) != 1 || len(doc.Titles) != 1 || len(doc.Authors) != 1 {
		t.Errorf("feed: %d ids, %d titles, %d authors", len(doc.IDs), len(doc.Titles), len(doc.Authors))
	}
	date("feed updated", doc.Updated)
	rels := map[string]int{}
	for _, l := range doc.Links {
		absolute("feed", l.Href)
		rels[l.Rel]++
	}
	if rels["self"] != 1 || rels["alternate"] != 1 {
		t.Errorf("feed links %v", rels)
	}
	ids := map[string]bool{}
	for i, e := range doc.Entries {
		where := "entry " + e.Titles[0]
		if len(e.IDs) != 1 || len(e.Titles) != 1 || e.Titles[0] == "" {
			t.Errorf("%s: %d ids, %d titles", where, len(e.IDs), len(e.Titles))
			continue
		}
		if ids[e.IDs[0]] {
			t.Errorf("%s: id %s used twice", where, e.IDs[0])
		}
		ids[e.IDs[0]] = true
		if u, err := url.Parse(e.IDs[0]); err != nil || u.Scheme != "tag" {
			t.Errorf("%s: id %q is not a tag URI", where, e.IDs[0])
		}
		date(where+" updated", e.Updated)
		date(where+" published", e.Published)
		if len(e.Links) != 1 || e.Links[0].Rel != "alternate" {
			t.Errorf("%s: links %+v", where, e.Links)
		}
		for _, l := range e.Links {
			absolute(where, l.Href)
		}
		if len(e.Content) != 1 || e.Content[0].Type != "html" || len(e.Summary) != 1 || e.Summary[0].Type != "text" {
			t.Errorf("%s: content %+v, summary %+v", where, e.Content, e.Summary)
		}
		if len(e.Categories) != len(feedCategories(entries()[i])) {
			t.Errorf("%s: %d categories", where, len(e.Categories))
		}
		for _, c := range e.Categories {
			if c.Term == "" {
				t.Errorf("%s: a category without a term", where)
			}
		}
	}
	if len(doc.Entries) != len(entries()) {
		t.Errorf("%d entries", len(doc.Entries))
	}
}

// feedCategories counts the categories and besoins of an entry.
func feedCategories(e feed.Entry) []string {
	var out []string
	for _, th := range e.Service.Thematiques {
		if c := directory.CategoryOf(th); !slices.Contains(out, c) {
			out = append(out, c)
		}
		out = append(out, th)
	}
	return out
}

// The hostile texts a partner could type or an import could carry.
var hostile = []string{
	`<script>alert("x")</script>Atelier`,
	`<img src=x onerror="alert(1)">`,
	`&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#60;b&#62; &nbsp; &unknown;`,
	"]]><script>alert(1)</script><![CDATA[",
	"Nul\x00 bell\x07 escape\x1b vertical\x0b form\x0c del\x7f c1\u0085\u009b nonchar\uFFFE\uFFFF",
	"invalid \xff\xfe UTF-8 \xc3\x28 and a cut é\xc3",
	"bidi \u202eevil\u202c and zero width \u200b",
	`<a href="javascript:alert(1)">lien</a> <svg onload=alert(1)>`,
}

func TestHostileText(t *testing.T) {
	var es []feed.Entry
	for i, s := range hostile {
		es = append(es, feed.Entry{
			Service: directory.Hit{
				ID: "svhostile" + string(rune('a'+i)), Name: s, StructureName: s, CommuneName: s, Excerpt: s,
				Thematiques: []string{s, "mobilite--acceder-a-un-vehicule"},
			},
			URL:         base + "/services/svhostile",
			PublishedAt: paris(2026, 3, 1, 9), AnnouncedAt: paris(2026, 3, 2, 9), Version: 1,
		})
	}
	ch := channel("atom")
	ch.Title, ch.Description = hostile[0]+hostile[4], hostile[5]
	for _, f := range formats {
		b, err := f.write(feed.New(ch, es))
		if err != nil {
			t.Fatalf("%s: %v", f.ext, err)
		}
		if !f.isJSON {
			wellFormed(t, f.ext, b)
		} else if !json.Valid(b) {
			t.Fatalf("json: invalid JSON")
		}
		if bytes.ContainsAny(b, "\x00\x07\x1b\x0b\x0c\x7f\u0085\u009b\uFFFE\uFFFF\u202e") || !utf8.Valid(b) {
			t.Errorf("%s: control characters or invalid UTF-8 in the output", f.ext)
		}
		parsed, err := gofeed.NewParser().Parse(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", f.ext, err)
		}
		if len(parsed.Items) != len(hostile) {
			t.Fatalf("%s: %d items", f.ext, len(parsed.Items))
		}
		for i, it := range parsed.Items {
			// What a reader shows as HTML has no markup but ours. (Titles,
			// Atom summaries and JSON summaries are plain text.)
			inert(t, f.ext+" item "+string(rune('a'+i)), it.Content)
			if f.ext == "rss" {
				inert(t, f.ext+" item "+string(rune('a'+i)), it.Description)
				// Many RSS readers show an item's title as HTML too.
				inert(t, f.ext+" title "+string(rune('a'+i)), it.Title)
			}
			if !strings.Contains(it.Title, "Atelier") && i == 0 {
				t.Errorf("%s: title %q lost its text", f.ext, it.Title)
			}
		}
	}
}

// wellFormed reads every token of an XML document with the standard
// library's strict decoder.
func wellFormed(t *testing.T, name string, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = true
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s: not well-formed: %v", name, err)
		}
	}
}

// inert parses s as HTML, as a feed reader would, and fails on any element
// or attribute the feed does not write itself.
func inert(t *testing.T, where, s string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{"html": true, "head": true, "body": true, "p": true, "strong": true, "a": true}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if !allowed[n.Data] {
			t.Errorf("%s: element <%s> in %q", where, n.Data, s)
		}
		for _, a := range n.Attr {
			if n.Data != "a" || a.Key != "href" || !strings.HasPrefix(a.Val, base+"/") {
				t.Errorf("%s: attribute %s=%q on <%s>", where, a.Key, a.Val, n.Data)
			}
		}
	}
}
