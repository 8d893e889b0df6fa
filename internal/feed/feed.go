// Package feed turns announcements of services into feeds: Atom 1.0, RSS 2.0
// and JSON Feed 1.1. A feed is built as a gorilla/feeds Feed, then each format
// gets what that library leaves out (categories, publication dates, self
// links, languages). Everything here is a pure function of its input, so
// that the same announcements always give the same bytes.
package feed

import (
	"html"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gorilla/feeds"

	"github.com/repere-spie/repere/internal/directory"
)

// Channel describes a feed.
type Channel struct {
	Title       string
	Description string
	Link        string // absolute URL of the page that lists the same services
	Self        string // absolute URL of the feed, in the format written
	// Thematiques is the scheme of the categories: the absolute URL that a
	// thématique value completes into its page ("https://…/thematiques/");
	// "" for none.
	Thematiques string
}

// Entry is one announcement: a service newly published, or changed in a way
// its users must hear of (directory.SignificantChange).
type Entry struct {
	Service      directory.Hit
	URL          string    // absolute URL of the service page
	StructureURL string    // absolute URL of the structure page, "" for none
	PublishedAt  time.Time // first publication
	AnnouncedAt  time.Time // this announcement
	Version      int64     // the version announced: with the id, the entry's identity
}

// site is the author of the feeds, and of entries without a structure.
const site = "Repère"

// tagDate is the date of the tag URIs (RFC 4151): fixed, so that ids never
// change.
const tagDate = "2026"

// emptyUpdated is the date of a feed without entries: feeds need one, and
// the time of the request would change the bytes, and the ETag, every time.
var emptyUpdated = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Feed is a feed ready to be written in any of the three formats.
type Feed struct {
	*feeds.Feed
	ch         Channel
	categories [][]category // of each item
	entries    []Entry
}

type category struct{ term, label string }

// New builds the feed of entries, which come newest first.
func New(ch Channel, entries []Entry) *Feed {
	f := &Feed{
		Feed: &feeds.Feed{
			Title:       clean(ch.Title),
			Description: clean(ch.Description),
			Link:        &feeds.Link{Href: ch.Link},
			Author:      &feeds.Author{Name: site},
			Updated:     emptyUpdated,
		},
		ch:      ch,
		entries: entries,
	}
	host := ""
	if u, err := url.Parse(ch.Link); err == nil {
		host = u.Hostname()
	}
	for i, e := range entries {
		if i == 0 || e.AnnouncedAt.After(f.Updated) {
			f.Updated = e.AnnouncedAt.UTC()
		}
		f.Add(item(host, e))
		f.categories = append(f.categories, categories(e.Service.Thematiques))
	}
	return f
}

func item(host string, e Entry) *feeds.Item {
	h := &e.Service
	author := clean(h.StructureName)
	if author == "" {
		author = site
	}
	return &feeds.Item{
		Title:       title(h),
		Link:        &feeds.Link{Href: e.URL},
		Author:      &feeds.Author{Name: author},
		Description: summary(h),
		Content:     content(e),
		Id:          "tag:" + host + "," + tagDate + ":service/" + url.PathEscape(h.ID) + "/v" + strconv.FormatInt(e.Version, 10),
		IsPermaLink: "false",
		Created:     e.PublishedAt.UTC(),
		Updated:     e.AnnouncedAt.UTC(),
	}
}

// title is the service and where it is: "Garage solidaire – Châtellerault".
func title(h *directory.Hit) string {
	if p := place(h); p != "" {
		return clean(h.Name) + " – " + p
	}
	return clean(h.Name)
}

// place is where the service is offered: "Châtellerault", "Châtellerault et
// à distance", "à distance".
func place(h *directory.Hit) string {
	commune := clean(h.CommuneName)
	switch {
	case h.Remote && (h.Lat == nil || commune == ""):
		return "à distance"
	case h.Remote:
		return commune + " et à distance"
	}
	return commune
}

// summary is the plain-text summary: the start of the description, else
// who offers the service, else its title.
func summary(h *directory.Hit) string {
	if s := clean(h.Excerpt); s != "" {
		return s
	}
	if st := clean(h.StructureName); st != "" {
		return "Un service proposé par " + st + "."
	}
	return title(h) + "."
}

// content is the HTML of an entry, made of escaped text only: nothing the
// service's authors typed can become markup.
func content(e Entry) string {
	h := &e.Service
	var b strings.Builder
	p := func(parts ...string) {
		b.WriteString("<p>")
		for _, s := range parts {
			b.WriteString(s)
		}
		b.WriteString("</p>")
	}
	esc := func(s string) string { return html.EscapeString(clean(s)) }
	if e.AnnouncedAt.After(e.PublishedAt) {
		p("Service mis à jour le ", directory.FrenchDate(e.AnnouncedAt), " (publié le ", directory.FrenchDate(e.PublishedAt), ").")
	} else {
		p("Nouveau service publié le ", directory.FrenchDate(e.PublishedAt), ".")
	}
	who, where := esc(h.StructureName), html.EscapeString(place(h))
	switch {
	case who != "" && where != "":
		p("<strong>", who, "</strong> – ", where)
	case who != "":
		p("<strong>", who, "</strong>")
	case where != "":
		r, n := utf8.DecodeRuneInString(where)
		p(string(unicode.ToUpper(r)), where[n:])
	}
	if h.Excerpt != "" {
		p(esc(h.Excerpt))
	}
	var labels []string
	for _, t := range h.Thematiques {
		labels = append(labels, esc(directory.Thematiques.Label(t)))
	}
	if len(labels) > 0 {
		p("Thématiques : ", strings.Join(labels, ", "), ".")
	}
	p(`<a href="`, html.EscapeString(e.URL), `">Voir la fiche du service</a>`)
	return b.String()
}

// categories are the categories and besoins of the thématiques.
func categories(thematiques []string) []category {
	var out []category
	seen := map[string]bool{}
	add := func(term, label string) {
		if term != "" && !seen[term] {
			seen[term] = true
			out = append(out, category{term, label})
		}
	}
	for _, t := range thematiques {
		if c := directory.CategoryOf(t); c != "" {
			add(c, directory.ThematiqueCategories.Label(c))
		}
		if directory.Thematiques.Has(t) {
			add(t, directory.Thematiques.Label(t))
		}
	}
	return out
}

// clean makes text safe for XML 1.0 and readable: invalid UTF-8 becomes
// U+FFFD; control characters (which XML forbids or readers choke on),
// non-characters and bidirectional overrides (which could make a reader show
// text reversed) are dropped; runs of white space become one space.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r), r == 0xFFFE, r == 0xFFFF, r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
