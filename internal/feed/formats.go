package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html"
	"regexp"
	"strings"
	"time"

	"github.com/gorilla/feeds"
)

// Content types of the three formats.
const (
	AtomType = "application/atom+xml; charset=utf-8"
	RSSType  = "application/rss+xml; charset=utf-8"
	JSONType = "application/feed+json; charset=utf-8"
)

const language = "fr"

// The Atom feed and entries of gorilla/feeds, with what they lack: a self
// link beside the alternate one, a language, categories with a term (the
// library writes one <category> as text, which Atom does not allow). A field
// of the outer struct hides the embedded one of the same XML name.
type atomFeed struct {
	*feeds.AtomFeed
	Lang    string           `xml:"xml:lang,attr"`
	Links   []feeds.AtomLink `xml:"link"`
	Entries []*atomEntry     `xml:"entry"`
}

type atomEntry struct {
	*feeds.AtomEntry
	Categories []atomCategory `xml:"category"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr,omitempty"`
}

// Atom writes the feed in Atom 1.0 (RFC 4287).
func (f *Feed) Atom() ([]byte, error) {
	af := (&feeds.Atom{Feed: f.Feed}).AtomFeed()
	af.Id = f.ch.Self
	out := &atomFeed{
		AtomFeed: af,
		Lang:     language,
		Links: []feeds.AtomLink{
			{Href: f.ch.Link, Rel: "alternate", Type: "text/html"},
			{Href: f.ch.Self, Rel: "self", Type: "application/atom+xml"},
		},
	}
	for i, e := range af.Entries {
		e.Published = f.Items[i].Created.Format(time.RFC3339)
		e.Summary.Type = "text" // the description is plain text
		if u := f.entries[i].StructureURL; u != "" {
			e.Author.Uri = u
		}
		ae := &atomEntry{AtomEntry: e}
		for _, c := range f.categories[i] {
			ae.Categories = append(ae.Categories, atomCategory{Term: c.term, Scheme: f.ch.Thematiques, Label: c.label})
		}
		out.Entries = append(out.Entries, ae)
	}
	return marshalXML(out)
}

// The RSS document of gorilla/feeds, with a self link, the structure as
// dc:creator (RSS's author must be an e-mail address) and categories.
type rssRoot struct {
	XMLName   xml.Name `xml:"rss"`
	Version   string   `xml:"version,attr"`
	ContentNS string   `xml:"xmlns:content,attr"`
	AtomNS    string   `xml:"xmlns:atom,attr"`
	DCNS      string   `xml:"xmlns:dc,attr"`
	Channel   *rssChannel
}

type rssChannel struct {
	*feeds.RssFeed
	Self  *rssSelf
	Items []*rssItem `xml:"item"`
}

type rssSelf struct {
	XMLName xml.Name `xml:"atom:link"`
	Href    string   `xml:"href,attr"`
	Rel     string   `xml:"rel,attr"`
	Type    string   `xml:"type,attr"`
}

type rssItem struct {
	*feeds.RssItem
	Creator    string        `xml:"dc:creator,omitempty"`
	Categories []rssCategory `xml:"category"`
}

type rssCategory struct {
	Domain string `xml:"domain,attr,omitempty"`
	Name   string `xml:",chardata"`
}

// RSS writes the feed in RSS 2.0.
func (f *Feed) RSS() ([]byte, error) {
	ch := (&feeds.Rss{Feed: f.Feed}).RssFeed()
	ch.Language = language
	ch.ManagingEditor = "" // an e-mail address, which the site does not publish
	out := &rssRoot{
		Version:   "2.0",
		ContentNS: "http://purl.org/rss/1.0/modules/content/",
		AtomNS:    "http://www.w3.org/2005/Atom",
		DCNS:      "http://purl.org/dc/elements/1.1/",
		Channel: &rssChannel{
			RssFeed: ch,
			Self:    &rssSelf{Href: f.ch.Self, Rel: "self", Type: "application/rss+xml"},
		},
	}
	for i, it := range ch.Items {
		ri := &rssItem{RssItem: it, Creator: it.Author}
		it.Author = ""
		// The description of an RSS item is HTML: the plain-text summary,
		// escaped, reads the same.
		it.Description = html.EscapeString(it.Description)
		// Many readers show an RSS title as HTML, others as text: a title
		// without markup reads the same in both.
		it.Title = markupless(it.Title)
		// The date of the announcement, so that readers list an update as
		// news; the publication is in the content.
		it.PubDate = f.Items[i].Updated.Format(time.RFC1123Z)
		for _, c := range f.categories[i] {
			ri.Categories = append(ri.Categories, rssCategory{Domain: f.ch.Thematiques, Name: c.label})
		}
		out.Channel.Items = append(out.Channel.Items, ri)
	}
	return marshalXML(out)
}

// jsonFeed is gorilla/feeds' JSON Feed with its items always present, as
// JSON Feed 1.1 requires.
type jsonFeed struct {
	*feeds.JSONFeed
	Items []*feeds.JSONItem `json:"items"`
}

// JSON writes the feed in JSON Feed 1.1.
func (f *Feed) JSON() ([]byte, error) {
	jf := (&feeds.JSON{Feed: f.Feed}).JSONFeed()
	jf.Language = language
	jf.FeedUrl = f.ch.Self
	out := &jsonFeed{JSONFeed: jf, Items: jf.Items}
	if out.Items == nil {
		out.Items = []*feeds.JSONItem{}
	}
	for i, it := range out.Items {
		if u := f.entries[i].StructureURL; u != "" {
			it.Author.Url = u // Author and Authors[0] are the same
		}
		for _, c := range f.categories[i] {
			it.Tags = append(it.Tags, c.label)
		}
	}
	b, err := json.MarshalIndent(out, "", "  ")
	return append(b, '\n'), err
}

func marshalXML(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	e := xml.NewEncoder(&b)
	e.Indent("", "  ")
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

var tagLike = regexp.MustCompile(`<[^<>]*>`)

// markupless drops what looks like a tag and turns the remaining angle
// brackets into quotation marks that no reader takes for markup.
func markupless(s string) string {
	s = tagLike.ReplaceAllString(s, "")
	return strings.Join(strings.Fields(strings.NewReplacer("<", "‹", ">", "›").Replace(s)), " ")
}
