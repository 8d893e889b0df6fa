package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
)

// Layout is embedded in every page's data: what head.html and foot.html
// need.
type Layout struct {
	Title       string // without the site name
	Description string // meta description and og:description
	Canonical   string // absolute URL; "" for none
	NoIndex     bool
	Section     string // the current item of the main navigation
	Demo        bool
	Breadcrumb  []Link // from the home page to the current page, which is last
	Feeds       []Feed // alternate feeds of the page, when it has some
	Leaflet     bool   // the page shows a map
	ContactMail string

	// The partner space and the account pages.
	Espace     bool         // loads their stylesheet and script
	Account    *accountMenu // the signed-in user, on those pages
	HasSession bool         // a session cookie is present (public pages do not check it)
	CSRF       string       // the token of the page's forms
	Flash      string       // confirms the last action, after a redirect
	Refresh    int          // seconds after which the page reloads itself (a run in progress); 0: never
}

// accountMenu is the signed-in user as the header shows them.
type accountMenu struct {
	Name          string
	Moderator     bool
	PlatformAdmin bool
}

// Link is a labelled URL.
type Link struct {
	Label string
	URL   string
	Count int // for lists with counts; 0 when not shown
}

// Feed is an alternate representation of a page's listing, for feed
// readers.
type Feed struct {
	Title string
	URL   string
	Type  string // "application/atom+xml", "application/rss+xml", "application/feed+json"
}

// Sections of the main navigation.
const (
	sectionSearch       = "recherche"
	sectionDepartements = "departements"
	sectionAbout        = "a-propos"
	sectionObservatory  = "observatoire"
	sectionEspace       = "espace"
)

// layout fills the common part of a page whose canonical URL is its path.
func (s *Server) layout(c *fiber.Ctx, title, description string) Layout {
	return Layout{
		Title:       title,
		Description: description,
		Canonical:   s.baseURL + c.Path(),
		Demo:        s.Stats().Demo,
		ContactMail: s.Site.ContactEmail,
		HasSession:  c.Cookies(account.SessionCookieName) != "",
	}
}

// espaceLayout fills the common part of a page of the partner space or of
// the account forms: never indexed, with the account menu and the CSRF
// token of its forms.
func (s *Server) espaceLayout(c *fiber.Ctx, title string) Layout {
	l := s.layout(c, title, "")
	l.Canonical, l.NoIndex, l.Espace, l.Section = "", true, true, sectionEspace
	l.CSRF = s.csrfToken(c)
	l.Flash = flashes[c.Query("ok")]
	if a := actorOf(c); a != nil {
		l.HasSession = true
		l.Account = &accountMenu{Name: a.User.Name, Moderator: len(a.User.ModeratorOf) > 0, PlatformAdmin: a.User.PlatformAdmin}
	}
	return l
}

// crumbs builds a breadcrumb that starts at the home page.
func crumbs(links ...Link) []Link {
	return append([]Link{{Label: "Accueil", URL: "/"}}, links...)
}

// mapView is the data of one map: its background and what it shows. Markers
// come from the elements with data-lat and data-lon inside the element whose
// id is Items, so that the map and the list always agree.
type mapView struct {
	ID          string
	Label       string // accessible name of the map
	TilesURL    string
	Attribution string
	Items       string // id of the list whose items are the markers
	OutlineURL  string // GeoJSON outline to draw, "" for none
	Lat, Lon    string // centre when there are no markers nor outline
}

func (s *Server) mapView(id, label, items string) *mapView {
	attr := "Contours : IGN – Admin Express COG 2018, GEOFLA ; codes : INSEE COG 2026 (Etalab)"
	if s.Site.TilesURL != "" {
		attr = s.Site.TilesAttribution + " · " + attr
	}
	return &mapView{ID: id, Label: label, TilesURL: s.Site.TilesURL, Attribution: attr, Items: items}
}
