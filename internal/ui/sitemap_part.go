package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// sitemapPart serves one part of the sitemap: /sitemaps/pages.xml,
// communes.xml, services-N.xml or structures-N.xml.
func (s *Server) sitemapPart(c *fiber.Ctx) error {
	name, ok := strings.CutSuffix(c.Params("part"), ".xml")
	if !ok {
		return fiber.ErrNotFound
	}
	cat, err := s.catalogue(c.UserContext())
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(xmlHeader + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	add := func(path string, lastmod time.Time) {
		b.WriteString("<url><loc>" + xmlEscape(s.baseURL+path) + "</loc>")
		if !lastmod.IsZero() {
			b.WriteString("<lastmod>" + lastmod.UTC().Format(time.DateOnly) + "</lastmod>")
		}
		b.WriteString("</url>\n")
	}
	kind, num, _ := strings.Cut(name, "-")
	n, _ := strconv.Atoi(num)
	entries := func(list []catalogueEntry, url func(id, name string) string) error {
		from := (n - 1) * sitemapPartSize
		if n < 1 || from > len(list) || (from == len(list) && n > 1) {
			return fiber.ErrNotFound
		}
		for _, e := range list[from:min(from+sitemapPartSize, len(list))] {
			add(url(e.ID, e.Name), e.Updated)
		}
		return nil
	}
	switch {
	case name == "pages":
		for _, p := range []string{"/", "/departements", "/a-propos", "/mentions-legales", "/accessibilite", "/plan-du-site"} {
			add(p, time.Time{})
		}
		for _, d := range s.Gazetteer.Departements() {
			add(departementURL(d), time.Time{})
		}
	case name == "communes":
		for _, code := range cat.Communes {
			if cm, ok := s.Gazetteer.Commune(code); ok {
				add(communeURL(cm), time.Time{})
			}
		}
	case kind == "services":
		err = entries(cat.Services, serviceURL)
	case kind == "structures":
		err = entries(cat.Structures, structureURL)
	default:
		err = fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	b.WriteString("</urlset>\n")
	return sendXML(c, b.String())
}
