package ui

import (
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/opendata"
)

// openDataPage describes the whole-offer files: what each holds, its
// licence, where its records come from.
type openDataPage struct {
	Layout
	Files   []openDataFile
	Sources []opendata.Source
	Updated string
	Every   string
	// The fields of the records, as the page explains them.
	ServiceFields, StructureFields []opendata.Field
}

type openDataFile struct {
	opendata.File
	URL, Size, Records string
}

// openDataShow serves /donnees.
func (s *Server) openDataShow(c *fiber.Ctx) error {
	files, sources, err := s.OpenData.Files(c.UserContext())
	if err != nil {
		return err
	}
	p := openDataPage{Sources: sources, Every: fmt.Sprintf("%.0f minutes", opendata.RefreshEvery.Minutes()),
		ServiceFields: opendata.ServiceFields, StructureFields: opendata.StructureFields}
	for _, f := range files {
		p.Files = append(p.Files, openDataFile{File: f, URL: "/donnees/" + f.Name, Size: fileSize(f.Size), Records: number(f.Records)})
		p.Updated = directory.FrenchDate(f.Modified) + " à " + clockOf(f.Modified)
	}
	p.Layout = s.layout(c, "Données ouvertes", "L’offre d’insertion publiée sur Repère, à télécharger au format data·inclusion et Open Referral, sous Licence Ouverte 2.0.")
	p.Breadcrumb = crumbs(Link{Label: "Données ouvertes"})
	return c.Render("opendata", p)
}

func fileSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f Mo", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f ko", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d octets", n)
}

// openDataFile serves one whole-offer file, as stored: gzip, with its date
// for conditional requests. Any origin may fetch it; the rate limit of the
// API applies.
func (s *Server) openDataFile(c *fiber.Ctx) error {
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	c.Set(fiber.HeaderAccessControlExposeHeaders, apiExposed)
	if err := s.limited(c); err != nil {
		return err
	}
	if _, errs := strictQuery(c); errs.Err() != nil {
		return errs.Err()
	}
	fh, f, err := s.OpenData.OpenFile(c.UserContext(), c.Params("file"))
	if errors.Is(err, os.ErrNotExist) {
		return directory.Errorf(directory.ENOTFOUND, "Ce fichier n’existe pas : la liste des fichiers est sur /donnees.")
	} else if err != nil {
		return err
	}
	etag := fmt.Sprintf(`"%x-%x"`, f.Modified.UnixNano(), f.Size)
	c.Set(fiber.HeaderETag, etag)
	setLastModified(c, f.Modified)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	if notModified(c, etag, f.Modified) {
		fh.Close()
		return c.SendStatus(http.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, f.ContentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+f.Name+`"`)
	return c.SendStream(fh, int(f.Size)) // closed once sent
}
