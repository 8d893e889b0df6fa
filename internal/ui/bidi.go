package ui

import (
	"bytes"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// bidiControls are the Unicode embedding, override and isolate controls
// (U+202A–U+202E, U+2066–U+2069). In a name they reverse what follows
// ("\u202egpj.exe" shows as "exe.jpg"): a page never shows them, whatever
// the data or the query hold.
var bidiControls = strings.NewReplacer(
	"\u202a", "", "\u202b", "", "\u202c", "", "\u202d", "", "\u202e", "",
	"\u2066", "", "\u2067", "", "\u2068", "", "\u2069", "")

// stripBidiControls removes them from every HTML page, once rendered: one
// pass over the page rather than a filter on each name of each template.
func stripBidiControls(c *fiber.Ctx) error {
	err := c.Next()
	if !strings.HasPrefix(string(c.Response().Header.ContentType()), fiber.MIMETextHTML) {
		return err
	}
	body := c.Response().Body()
	// Every control starts with E2 80 AA–AE or E2 81 A6–A9.
	if bytes.Contains(body, []byte("\xe2\x80")) || bytes.Contains(body, []byte("\xe2\x81")) {
		if clean := bidiControls.Replace(string(body)); len(clean) != len(body) {
			c.Response().SetBodyString(clean)
		}
	}
	return err
}
