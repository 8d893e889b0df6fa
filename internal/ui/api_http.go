package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
)

// apiExposed are the response headers a script of another origin may read.
const apiExposed = "ETag, Last-Modified, Link, Retry-After, RateLimit-Policy, RateLimit"

// publicRead makes the public reads (the API, the open-data files) good
// citizens of the web: any origin may read them (CORS without credentials:
// no token is needed for public data), and an answer carries an ETag, a
// hash of its body unless the handler gave its own, so that a client asking
// again with If-None-Match, or with If-Modified-Since where the handler set
// Last-Modified, gets 304 and no body.
func (s *Server) publicRead(c *fiber.Ctx) error {
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	c.Set(fiber.HeaderAccessControlExposeHeaders, apiExposed)
	if c.Method() == http.MethodOptions {
		// The preflight of a conditional request (If-None-Match is not a
		// "simple" header).
		c.Set(fiber.HeaderAccessControlAllowMethods, "GET, HEAD")
		c.Set(fiber.HeaderAccessControlAllowHeaders, "If-None-Match, If-Modified-Since")
		c.Set(fiber.HeaderAccessControlMaxAge, "86400")
		return c.SendStatus(http.StatusNoContent)
	}
	if err := c.Next(); err != nil {
		return err
	}
	if m := c.Method(); m != http.MethodGet && m != http.MethodHead || c.Response().StatusCode() != http.StatusOK ||
		c.Response().IsBodyStream() { // a download checks its own conditions before it starts
		return nil
	}
	etag := string(c.Response().Header.Peek(fiber.HeaderETag))
	if etag == "" {
		sum := sha256.Sum256(c.Response().Body())
		etag = `W/"` + hex.EncodeToString(sum[:12]) + `"`
		c.Set(fiber.HeaderETag, etag)
	}
	if notModified(c, etag, lastModified(c)) {
		c.Response().ResetBody()
		c.Status(http.StatusNotModified)
	}
	return nil
}

// lastModified is the Last-Modified the handler set, zero without one.
func lastModified(c *fiber.Ctx) time.Time {
	t, err := http.ParseTime(string(c.Response().Header.Peek(fiber.HeaderLastModified)))
	if err != nil {
		return time.Time{}
	}
	return t
}

// setLastModified sets Last-Modified, when t is known.
func setLastModified(c *fiber.Ctx, t time.Time) {
	if !t.IsZero() {
		c.Set(fiber.HeaderLastModified, t.UTC().Format(http.TimeFormat))
	}
}
