package ui

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// sitemapPartSize is the number of URLs of one sitemap part (the protocol
// allows 50,000).
const sitemapPartSize = 40_000

// sitemapIndex lists the sitemap parts: fixed pages and départements,
// communes with services, services and structures.
func (s *Server) sitemapIndex(c *fiber.Ctx) error {
	cat, err := s.catalogue(c.UserContext())
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(xmlHeader + `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	part := func(name string) {
		b.WriteString("<sitemap><loc>" + xmlEscape(s.baseURL+"/sitemaps/"+name+".xml") + "</loc></sitemap>\n")
	}
	part("pages")
	part("communes")
	for i := 0; i*sitemapPartSize < len(cat.Services) || i == 0; i++ {
		part("services-" + strconv.Itoa(i+1))
	}
	for i := 0; i*sitemapPartSize < len(cat.Structures) || i == 0; i++ {
		part("structures-" + strconv.Itoa(i+1))
	}
	b.WriteString("</sitemapindex>\n")
	return sendXML(c, b.String())
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

func sendXML(c *fiber.Ctx, body string) error {
	c.Set(fiber.HeaderContentType, "application/xml; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.SendString(body)
}

var xmlReplacer = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func xmlEscape(s string) string { return xmlReplacer.Replace(s) }
