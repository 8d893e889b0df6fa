package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// routes is the one route table of the site.
func (s *Server) routes(app *fiber.App) {
	app.Get("/", s.home)
	app.Get("/recherche", s.searchResults)
	app.Get("/services/:ref", s.serviceShow)
	app.Get("/structures/:ref", s.structureShow)
	app.Get("/communes/:ref/contour.geojson", s.communeContour)
	app.Get("/communes/:ref", s.communeShow)
	app.Get("/departements", s.departementList)
	app.Get("/departements/:ref", s.departementShow)
	app.Get("/a-propos", s.info("about", "À propos", "Repère, la cartographie de l’offre d’insertion : d’où viennent les données et comment fonctionne la recherche.", sectionAbout))
	app.Get("/mentions-legales", s.info("legal", "Mentions légales", "Mentions légales et données personnelles du site Repère.", ""))
	app.Get("/accessibilite", s.info("accessibility", "Déclaration d’accessibilité", "Déclaration d’accessibilité du site Repère.", ""))
	app.Get("/plan-du-site", s.info("plan", "Plan du site", "Plan du site Repère.", ""))
	app.Get("/sitemap.xml", s.sitemapIndex)
	app.Get("/sitemaps/:part", s.sitemapPart)
	app.Get("/robots.txt", s.robots)
	app.Get("/favicon.ico", func(c *fiber.Ctx) error {
		return c.Redirect(s.assets.URL("vendor/dsfr/favicon/favicon.ico"), http.StatusMovedPermanently)
	})
	app.Get("/api/v1/search/services", s.apiSearch)
	app.Get("/api/v1/communes", s.apiCommunes)
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/static/:version/*", s.static)
	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
