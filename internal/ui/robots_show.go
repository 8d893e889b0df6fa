package ui

import "github.com/gofiber/fiber/v2"

// robots lets crawlers in, except into searches and the API, and points
// them to the sitemap.
func (s *Server) robots(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.SendString("User-agent: *\nDisallow: /recherche\nDisallow: /api/\nAllow: /\n\nSitemap: " + s.baseURL + "/sitemap.xml\n")
}
