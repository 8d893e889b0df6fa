package ui

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"github.com/repere-spie/repere/web"
)

// routes is the one route table of the site.
func (s *Server) routes(app *fiber.App) {
	app.Get("/", s.home)
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Use("/static", filesystem.New(filesystem.Config{Root: httpFS(web.Static), MaxAge: 3600}))
	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
