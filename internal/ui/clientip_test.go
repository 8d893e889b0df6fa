package ui

import (
	"net"
	"net/netip"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

func TestClientIP(t *testing.T) {
	proxy := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	for _, c := range []struct {
		name    string
		trusted []netip.Prefix
		peer    string
		xff     string
		fwd     string
		want    string
	}{
		{"no proxy configured: headers ignored", nil, "198.51.100.7", "203.0.113.1", "", "198.51.100.7"},
		{"no proxy configured: Forwarded ignored", nil, "198.51.100.7", "", "for=203.0.113.1", "198.51.100.7"},
		{"untrusted peer: headers ignored", proxy, "198.51.100.7", "203.0.113.1", "", "198.51.100.7"},
		{"trusted proxy: its peer", proxy, "10.1.2.3", "203.0.113.1", "", "203.0.113.1"},
		{"trusted proxy: the visitor's own header is not believed", proxy, "10.1.2.3", "192.0.2.66, 203.0.113.1", "", "203.0.113.1"},
		{"two trusted proxies", proxy, "10.1.2.3", "192.0.2.66, 203.0.113.1, 10.9.9.9", "", "203.0.113.1"},
		{"trusted proxy without header", proxy, "10.1.2.3", "", "", "10.1.2.3"},
		{"garbage stops the walk", proxy, "10.1.2.3", "203.0.113.1, pas-une-adresse", "", "10.1.2.3"},
		{"Forwarded first", proxy, "10.1.2.3", "192.0.2.1", `for=192.0.2.66;proto=https, for="203.0.113.9:4711"`, "203.0.113.9"},
		{"Forwarded IPv6", proxy, "::1", "", `for="[2001:db8::17]:443"`, "2001:db8::17"},
		{"Forwarded unknown node", proxy, "10.1.2.3", "", `for=unknown`, "10.1.2.3"},
		{"IPv4-mapped peer", proxy, "::ffff:10.1.2.3", "203.0.113.1", "", "203.0.113.1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := &Server{proxies: c.trusted}
			app := fiber.New(fiber.Config{Immutable: true})
			var got string
			app.Get("/", func(ctx *fiber.Ctx) error { got = s.clientIP(ctx); return nil })
			var req fasthttp.Request
			req.SetRequestURI("/")
			if c.xff != "" {
				req.Header.Set("X-Forwarded-For", c.xff)
			}
			if c.fwd != "" {
				req.Header.Set("Forwarded", c.fwd)
			}
			var rc fasthttp.RequestCtx
			rc.Init(&req, &net.TCPAddr{IP: net.ParseIP(c.peer), Port: 40000}, nil)
			app.Handler()(&rc)
			if got != c.want {
				t.Errorf("client IP = %q, want %q", got, c.want)
			}
		})
	}
}
