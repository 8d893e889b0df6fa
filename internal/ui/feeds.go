package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/feed"
)

// The feeds of new offers: every search, commune, département and
// thématique announces in Atom, RSS and JSON Feed the services published or
// changed significantly (directory.Announce) that it finds, the latest
// feedSize, from the index only. Layout.Feeds becomes <link
// rel="alternate"> in the head, and the partial "subscribe" shows an
// "S’abonner" block on the pages.

// feedSize is the number of announcements of a feed.
const feedSize = 50

// feedFormat is one of the three formats of every feed.
type feedFormat struct {
	ext         string
	mime        string // of <link rel="alternate" type>
	contentType string // with its charset
	title       string // the link's text in the "S’abonner" block
	write       func(*feed.Feed) ([]byte, error)
}

var feedFormats = []feedFormat{
	{"atom", "application/atom+xml", feed.AtomType, "flux Atom", (*feed.Feed).Atom},
	{"rss", "application/rss+xml", feed.RSSType, "flux RSS", (*feed.Feed).RSS},
	{"json", "application/feed+json", feed.JSONType, "JSON Feed", (*feed.Feed).JSON},
}

// feedFormatOf returns the format of an extension, nil for none.
func feedFormatOf(ext string) *feedFormat {
	for i := range feedFormats {
		if feedFormats[i].ext == ext {
			return &feedFormats[i]
		}
	}
	return nil
}

// feedLinksAt returns the three feeds at path (".ext" is added) and query.
func feedLinksAt(path, query string) []Feed {
	out := make([]Feed, len(feedFormats))
	for i, f := range feedFormats {
		out[i] = Feed{Title: f.title, URL: path + "." + f.ext + query, Type: f.mime}
	}
	return out
}

// feedLinks returns the feeds of a search: the results page, and the commune
// page with the search of its commune. A search of a commune alone, or of a
// thématique alone, has the feeds of the commune or thématique.
func (s *Server) feedLinks(f searchForm) []Feed {
	f = f.feedForm()
	if f.Place != "" {
		return nil // a place not yet resolved
	}
	if f.Commune != nil && f.Position == nil && f.URL() == placeSearch(f.Commune).URL() {
		return feedLinksAt(communeURL(f.Commune)+"/flux", "")
	}
	if len(f.Thematiques) == 1 && f.URL() == placeSearch(nil, f.Thematiques...).URL() {
		return feedLinksAt(thematiqueURL(f.Thematiques[0])+"/flux", "")
	}
	return feedLinksAt("/flux/recherche", strings.TrimPrefix(f.URL(), "/recherche"))
}

// departementFeedLinks returns the feeds of a département page.
func (s *Server) departementFeedLinks(code string) []Feed {
	d, ok := s.Gazetteer.Departement(code)
	if !ok {
		return nil
	}
	return feedLinksAt(departementURL(d)+"/flux", "")
}

// feedSpec is one feed, whatever its format.
type feedSpec struct {
	path        string // canonical, without the format: "/communes/86066-chatellerault/flux"
	query       string // canonical query string, "" or "?…"
	title       string
	description string
	link        string // path of the page listing the same services
	latest      func() ([]indexer.Announcement, error)
}

// feedDescription explains every feed: what an entry is.
const feedDescription = "Les services d’aide à l’insertion publiés sur Repère, ou modifiés de façon importante (zone, accueil, adresse, coût, horaires, contact), les plus récents en premier."

// feedTTL bounds how long a feed is served from memory while the index does
// not change: suspensions end without any write.
const feedTTL = time.Minute

// feedCacheControl lets readers and proxies keep a feed a few minutes;
// feeds are polled, and news of a service can wait that long.
const feedCacheControl = "public, max-age=300"

// serveFeed answers a feed request, in the format of the URL, with
// conditional GET: the ETag is a hash of the bytes, Last-Modified the newest
// announcement.
func (s *Server) serveFeed(c *fiber.Ctx, spec feedSpec) error {
	format := feedFormatOf(c.Params("format"))
	if format == nil {
		return fiber.ErrNotFound
	}
	if canonical := spec.path + "." + c.Params("format"); c.Path() != canonical {
		return c.Redirect(canonical, http.StatusMovedPermanently) // a renamed commune, a wrong slug
	}
	r, err := s.renderedFeed(format, spec)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, feedCacheControl)
	c.Set(fiber.HeaderETag, r.etag)
	if !r.modified.IsZero() {
		c.Set(fiber.HeaderLastModified, r.modified.UTC().Format(http.TimeFormat))
	}
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if notModified(c, r.etag, r.modified) {
		return c.SendStatus(http.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, format.contentType)
	return c.Send(r.body)
}

// notModified applies RFC 9110's rules: If-None-Match when present, else
// If-Modified-Since.
func notModified(c *fiber.Ctx, etag string, modified time.Time) bool {
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == strings.TrimPrefix(etag, "W/") {
				return true
			}
		}
		return false
	}
	if ims := c.Get(fiber.HeaderIfModifiedSince); ims != "" && !modified.IsZero() {
		t, err := http.ParseTime(ims)
		return err == nil && !modified.Truncate(time.Second).After(t)
	}
	return false
}

// renderedFeed is a feed in one format, as last computed.
type renderedFeed struct {
	body     []byte
	etag     string
	modified time.Time // the newest announcement; zero without entries
	rev      uint64    // the index revision it was computed at
	at       time.Time
}

func (s *Server) renderedFeed(format *feedFormat, spec feedSpec) (*renderedFeed, error) {
	key := format.ext + " " + spec.path + spec.query
	rev := s.Index.Revision() // before the search: a write meanwhile makes the next request search again
	if r, ok := s.caches.feeds.Get(key); ok && r.rev == rev && time.Since(r.at) < feedTTL {
		return r, nil
	}
	as, err := spec.latest()
	if err != nil {
		return nil, err
	}
	f := feed.New(feed.Channel{
		Title:       "Repère – " + spec.title,
		Description: spec.description,
		Link:        s.baseURL + spec.link,
		Self:        s.baseURL + spec.path + "." + format.ext + spec.query,
		Thematiques: s.baseURL + "/thematiques/",
	}, s.feedEntries(as))
	body, err := format.write(f)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	r := &renderedFeed{body: body, etag: `W/"` + hex.EncodeToString(sum[:12]) + `"`, rev: rev, at: time.Now()}
	if len(as) > 0 {
		r.modified = as[0].AnnouncedAt
	}
	s.caches.feeds.Set(key, r)
	return r, nil
}

// feedEntries turns announcements into feed entries with absolute links.
func (s *Server) feedEntries(as []indexer.Announcement) []feed.Entry {
	out := make([]feed.Entry, len(as))
	for i, a := range as {
		out[i] = feed.Entry{
			Service:     a.Hit,
			URL:         s.baseURL + serviceURL(a.ID, a.Name),
			PublishedAt: a.PublishedAt,
			AnnouncedAt: a.AnnouncedAt,
			Version:     a.Version,
		}
		if a.StructureID != "" {
			out[i].StructureURL = s.baseURL + structureURL(a.StructureID, a.StructureName)
		}
	}
	return out
}

// feedForm is the search of a feed: the form without what only the results
// page uses (sort, page, view).
func (f searchForm) feedForm() searchForm {
	f.Sort, f.Page, f.View, f.Everywhere = "", 0, "", false // a feed without place is of all France anyway
	return f
}

// thematiqueURL is the page of a category or besoin.
func thematiqueURL(value string) string { return "/thematiques/" + value }

// thematiqueTitle is "Mobilité" or "Mobilité – Accéder à un véhicule".
func thematiqueTitle(value string) string {
	if c := directory.CategoryOf(value); c != "" && c != value {
		return directory.ThematiqueCategories.Label(c) + " – " + thematiqueLabel(value)
	}
	return thematiqueLabel(value)
}
