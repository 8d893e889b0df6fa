// Package ui is Repère's HTTP layer: pages and JSON API on Fiber.
package ui

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/valyala/fasthttp"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/alert"
	"github.com/repere-spie/repere/internal/catalog"
	"github.com/repere-spie/repere/internal/config"
	"github.com/repere-spie/repere/internal/demand"
	"github.com/repere-spie/repere/internal/geo"
	"github.com/repere-spie/repere/internal/importer"
	"github.com/repere-spie/repere/internal/mail"
	"github.com/repere-spie/repere/internal/observatory"
	"github.com/repere-spie/repere/internal/opendata"
	"github.com/repere-spie/repere/internal/outbox"
	"github.com/repere-spie/repere/internal/remind"
	sched "github.com/repere-spie/repere/internal/schedule" // ui has a schedule of its own: opening hours
	"github.com/repere-spie/repere/web"
)

// Deps are what the handlers need; internal/app wires them.
type Deps struct {
	Config    *config.Config
	Gazetteer *geo.Gazetteer
	Index     *indexer.Index
	Catalog   *catalog.Catalog  // the write path of services
	Accounts  *account.Accounts // partners: accounts, sessions, structures, permissions
	OpenData  *opendata.Data    // the records and files published for reuse
	Mailbox   *mail.Mailbox     // development mailbox; nil when an SMTP server is configured
	Imports   *importer.Runs    // imports started in the partner space
	Demand    *demand.Counter   // counts the searches, and those without results; nil counts nothing
	Outbox    *outbox.Outbox    // periodic mails
	Scheduler *sched.Scheduler
	Reminders *remind.Reminders
	Alerts    *alert.Alerts
	Logger    *slog.Logger
	Stats     func() Stats
	Site      Site
	Now       func() time.Time // nil means time.Now; tests fix the clock
	// Observatory measures where the offer is missing; nil shows its
	// pages as not computed yet.
	Observatory *observatory.Observatory
	// Ready checks the store and the index for /readyz: nil, or a
	// *NotReady saying which is unusable. Nil means always ready.
	Ready func(ctx context.Context) error
}

// Stats are the figures shown on the home page.
type Stats struct {
	Services, Structures, Communes int
	Counted                        bool // the three figures above are known
	Demo                           bool
}

// Site holds the settings of the public pages.
type Site struct {
	// TilesURL is the Leaflet URL template of the map background
	// ({z}/{x}/{y}); empty shows outlines and markers on a blank map.
	TilesURL         string
	TilesAttribution string
	// ContactEmail receives the "Signaler une erreur" messages.
	ContactEmail string
}

// Server holds the handlers' dependencies.
type Server struct {
	Deps
	assets  *assets
	csp     string
	baseURL string
	md      *markdown
	caches  caches
	limiter *limiter // nil without a limit
	boot    int64    // when the server started: tells apart index revisions of two runs
	proxies proxies  // whose forwarding headers are believed

	openAPIOnce sync.Once
	openAPI     []byte // the API's description, see openapi.go

	bigOnce sync.Once
	big     []Link
	terr    territories // the zone picker's territories
}

// New builds the Fiber application with every route.
func New(d Deps) (*fiber.App, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Stats == nil {
		d.Stats = func() Stats { return Stats{} }
	}
	if d.Site.TilesURL != "" && !strings.HasPrefix(d.Site.TilesURL, "https://") && !strings.HasPrefix(d.Site.TilesURL, "http://") {
		d.Site.TilesURL = "" // a relative or odd URL would also need its own CSP source
	}
	a, err := newAssets(web.Static)
	if err != nil {
		return nil, err
	}
	if err := checkAssets(a, web.Templates, faviconICO); err != nil {
		return nil, err // a page without its stylesheet or scripts stops the start, not a visitor
	}
	s := &Server{Deps: d, assets: a, md: newMarkdown(), caches: newCaches(),
		proxies: d.Config.TrustedProxies}
	s.baseURL = strings.TrimRight(d.Config.BaseURL, "/")
	s.limiter = newLimiter(d.Config.APIRate, d.Config.APIBurst, time.Now)
	s.boot = time.Now().UnixNano()
	s.csp = contentSecurityPolicy(d.Site.TilesURL, originOf(d.Config.ProConnect.Issuer))
	engine, err := s.templates()
	if err != nil {
		return nil, err // a broken template stops the start, not a request
	}
	app := fiber.New(fiber.Config{
		Views:                 engine,
		ErrorHandler:          s.handleError,
		ReadTimeout:           d.Config.ReadTimeout,
		WriteTimeout:          d.Config.WriteTimeout,
		IdleTimeout:           2 * time.Minute,
		BodyLimit:             max(d.Config.BodyLimit, uploadBodyLimit),
		DisableStartupMessage: true,
		// Every string a handler reads from the request (query, path
		// parameters, headers, cookies, body) is a copy, so none can change
		// under a cache, a goroutine or a log after the handler returns. It
		// costs about 16 small allocations a page (BenchmarkRequestStrings),
		// nothing beside a search and a template.
		Immutable: true,
		// Scheme and host headers only from the trusted proxies; the
		// visitor's address is clientIP's.
		EnableTrustedProxyCheck: true,
		TrustedProxies:          trustedProxyStrings(d.Config.TrustedProxies),
	})
	app.Server().HeaderReceived = bodyLimits(d.Config.BodyLimit)
	app.Use(recover.New())
	app.Use(s.securityHeaders)
	app.Use(compress.New(compress.Config{
		Level: compress.LevelBestSpeed,
		Next:  func(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/static/") },
	}))
	app.Use(stripBidiControls)
	app.Use("/api/", s.publicRead, s.limit)
	s.routes(app)
	primeRender(app)
	return app, nil
}

// uploadBodyLimit is the body an import upload may send: the file and the
// form around it.
const uploadBodyLimit = importer.MaxUpload + 64<<10

// bodyLimits bounds every request body by the configured limit, except
// the import upload's, which may carry a file up to importer.MaxUpload and
// takes longer to arrive. It runs once the headers are read, before the
// body is.
func bodyLimits(limit int) func(*fasthttp.RequestHeader) fasthttp.RequestConfig {
	return func(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
		if h.IsPost() && string(h.RequestURI()) == importsPath {
			return fasthttp.RequestConfig{MaxRequestBodySize: uploadBodyLimit, ReadTimeout: 5 * time.Minute}
		}
		return fasthttp.RequestConfig{MaxRequestBodySize: limit}
	}
}

// primeRender makes Fiber build, once and before any request, the list of
// mounted apps that its first Render otherwise builds lazily without a lock:
// concurrent first renders race on it (found by -race on the département
// page). The template name does not matter: the list is built before the
// template is looked up.
func primeRender(app *fiber.App) {
	c := app.AcquireCtx(&fasthttp.RequestCtx{})
	defer app.ReleaseCtx(c)
	_ = c.Render("", nil)
}

// contentSecurityPolicy allows this origin only, plus the tile server's
// origin for images and the sign-in provider's for the redirect that ends
// its session after the logout form. No inline script or style: every
// script is a file.
func contentSecurityPolicy(tiles, signIn string) string {
	img := "'self' data:"
	if origin := tileOrigin(tiles); origin != "" {
		img += " " + origin
	}
	form := "'self'"
	if signIn != "" {
		form += " " + signIn
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + img +
		"; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action " + form + "; frame-ancestors 'none'"
}

// originOf is the scheme and host of an absolute http(s) URL, "" otherwise.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(u.Host, " ;'") {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// tileOrigin is the CSP source of a tile URL template: its scheme and host,
// a {s} subdomain placeholder becoming a wildcard.
func tileOrigin(tiles string) string {
	scheme, rest, ok := strings.Cut(tiles, "://")
	if !ok || scheme != "http" && scheme != "https" {
		return ""
	}
	host, _, _ := strings.Cut(rest, "/")
	host, _, _ = strings.Cut(host, "?")
	if i := strings.IndexByte(host, '}'); i >= 0 {
		host = "*" + host[i+1:] // "{s}.tile.example" → "*.tile.example"
	}
	if host == "" || strings.ContainsAny(host, "{} ;'") {
		return ""
	}
	return scheme + "://" + host
}

func (s *Server) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", s.csp)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Permissions-Policy", "geolocation=(self), camera=(), microphone=(), payment=()")
	if len(c.Request().Header.Cookie(account.SessionCookieName)) > 0 {
		// A signed-in visitor's pages show their name and menu: never
		// stored (handlers of pages that are the same for all may say
		// otherwise).
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	if strings.HasPrefix(s.baseURL, "https://") {
		c.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	return c.Next()
}

// now is the time of the request, for opening hours and freshness.
func (s *Server) now() time.Time { return s.Now() }
