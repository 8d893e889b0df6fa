package ui

import (
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// BenchmarkRequestStrings measures what Fiber's Immutable setting (a copy of
// every request string a handler reads) costs a request reading what a
// results page reads: about fifteen query parameters, a path parameter, a
// few headers and cookies.
func BenchmarkRequestStrings(b *testing.B) {
	for _, immutable := range []bool{false, true} {
		name := "mutable"
		if immutable {
			name = "immutable"
		}
		b.Run(name, func(b *testing.B) {
			app := fiber.New(fiber.Config{Immutable: immutable})
			keys := []string{"code_commune", "commune", "lat", "lon", "rayon", "q", "thematiques", "types", "frais",
				"publics", "modes_accueil", "sort", "page", "vue", "raccourci"}
			var sink int
			app.Get("/recherche/:ref", func(c *fiber.Ctx) error {
				for _, k := range keys {
					sink += len(c.Query(k))
				}
				sink += len(c.Params("ref")) + len(c.Get(fiber.HeaderAccept)) + len(c.Get(fiber.HeaderAcceptEncoding)) +
					len(c.Cookies("repere_session")) + len(c.Cookies("repere_anon")) + len(c.Path()) + len(c.IP())
				return nil
			})
			h := app.Handler()
			var ctx fasthttp.RequestCtx
			b.ReportAllocs()
			for b.Loop() {
				ctx.Request.Reset()
				ctx.Request.SetRequestURI("/recherche/x?code_commune=86066&rayon=10&q=permis+de+conduire&thematiques=mobilite&frais=gratuit&publics=jeunes&sort=distance&page=2")
				ctx.Request.Header.Set(fiber.HeaderAccept, "text/html,application/xhtml+xml")
				ctx.Request.Header.Set(fiber.HeaderAcceptEncoding, "gzip, br")
				ctx.Request.Header.Set(fiber.HeaderCookie, "repere_session=abcdefghijklmnopqrstuvwxyz012345; repere_anon=0123456789")
				h(&ctx)
			}
			_ = sink
		})
	}
}
