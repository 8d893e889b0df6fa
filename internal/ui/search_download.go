package ui

import (
	"bufio"
	"context"
	"fmt"
	"hash/fnv"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/opendata"
)

// downloadTimeout bounds a download, however slow its reader.
const downloadTimeout = 10 * time.Minute

// searchDownload serves GET /api/v1/search/services.{csv,xlsx,geojson}:
// every result of a search, in the order of its pages, with the search
// API's parameters but page and size. The ranked ids are taken from the
// index at once; the rows are then read and written a chunk at a time
// while the client reads.
func (s *Server) searchDownload(c *fiber.Ctx) error {
	format := opendata.FormatOf(c.Params("format"))
	if format == nil {
		return fiber.ErrNotFound
	}
	v := queryValues(c)
	errs := directory.FieldErrors{}
	for _, p := range []string{"page", "size"} {
		if v.Has(p) {
			errs.Add(p, "Un téléchargement contient tous les résultats de la recherche : retirez ce paramètre.")
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	q, err := directory.ParseSearch(v, directory.APISearch, s.Gazetteer)
	if err != nil {
		return err
	}
	// The same search on the same index gives the same file.
	h := fnv.New64a()
	h.Write(c.Request().URI().QueryString())
	etag := fmt.Sprintf(`W/"%x-%d-%x"`, s.boot, s.Index.Revision(), h.Sum64())
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, listCacheControl)
	if notModified(c, etag, time.Time{}) {
		return c.SendStatus(http.StatusNotModified)
	}
	ranked, err := s.Index.All(c.UserContext(), q)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, format.ContentType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="repere-recherche-%s.%s"`,
		s.now().In(directory.Paris).Format("2006-01-02"), format.Ext))
	data, log := s.OpenData, s.Logger
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		// Runs after the handler, while the client reads: nothing of c
		// may be used here.
		ctx, cancel := context.WithTimeout(context.Background(), downloadTimeout)
		defer cancel()
		if err := data.Download(ctx, format, ranked, w); err != nil {
			log.Info("téléchargement interrompu", "format", format.Ext, "err", err)
		}
	})
	return nil
}
