package ui

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"
)

// assets are the static files, held in memory and served under
// /static/<version>/<path>. The version is a hash of every file: the DSFR
// stylesheet refers to its fonts and icons by relative URLs, so one version
// for the whole tree keeps those URLs content-addressed too.
type assets struct {
	version string
	files   map[string]*asset
}

type asset struct {
	body  []byte
	ctype string
	etag  string

	once   sync.Once // compresses on first request: start-up and tests pay nothing
	gz, br []byte    // nil when compression does not pay
}

func newAssets(fsys fs.FS) (*assets, error) {
	a := &assets{files: map[string]*asset{}}
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a.files[p] = &asset{body: body, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		names = append(names, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte(a.files[n].etag))
	}
	a.version = hex.EncodeToString(h.Sum(nil))[:12]
	return a, nil
}

// URL returns the versioned URL of a static file.
func (a *assets) URL(p string) string {
	return "/static/" + a.version + "/" + p
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") ||
		strings.Contains(ctype, "json") || strings.Contains(ctype, "svg") || strings.Contains(ctype, "manifest")
}

func (f *asset) compress() {
	if len(f.body) < 512 || !compressible(f.ctype) {
		return
	}
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write(f.body)
	zw.Close()
	if b.Len() < len(f.body)*9/10 {
		f.gz = bytes.Clone(b.Bytes())
	}
	b.Reset()
	bw := brotli.NewWriterLevel(&b, 9)
	bw.Write(f.body)
	bw.Close()
	if b.Len() < len(f.body)*9/10 {
		f.br = bytes.Clone(b.Bytes())
	}
}

// static serves a file. A request for the current version is cached for a
// year; an old version (a page rendered before a deploy) gets today's file
// without long caching.
func (s *Server) static(c *fiber.Ctx) error {
	f, ok := s.assets.files[c.Params("*")]
	if !ok {
		return fiber.ErrNotFound
	}
	if c.Params("version") == s.assets.version {
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	c.Set(fiber.HeaderETag, f.etag)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	c.Set(fiber.HeaderContentType, f.ctype)
	if string(c.Request().Header.Peek(fiber.HeaderIfNoneMatch)) == f.etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	f.once.Do(f.compress)
	accept := string(c.Request().Header.Peek(fiber.HeaderAcceptEncoding))
	switch {
	case f.br != nil && acceptsEncoding(accept, "br"):
		c.Set(fiber.HeaderContentEncoding, "br")
		return c.Send(f.br)
	case f.gz != nil && acceptsEncoding(accept, "gzip"):
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(f.gz)
	}
	return c.Send(f.body)
}

// acceptsEncoding reports whether an Accept-Encoding header lists enc with a
// non-zero quality.
func acceptsEncoding(header, enc string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), enc) {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
