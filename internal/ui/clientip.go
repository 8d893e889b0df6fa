package ui

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// proxies are the reverse proxies whose forwarding headers are believed.
type proxies []netip.Prefix

func (p proxies) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, pr := range p {
		if pr.Contains(a) {
			return true
		}
	}
	return false
}

// clientIP is the address of the visitor. A request from a trusted proxy
// names the addresses it was forwarded for (Forwarded, else
// X-Forwarded-For), each proxy appending its peer: the visitor is the
// rightmost address that is not a trusted proxy, since anything to its left
// was written by the visitor itself. From any other peer the headers are
// ignored. (Fiber's ProxyHeader takes the leftmost address, which the
// visitor chooses.)
func (s *Server) clientIP(c *fiber.Ctx) string {
	peer, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return c.Context().RemoteIP().String()
	}
	peer = peer.Unmap()
	if !s.proxies.trusted(peer) {
		return peer.String()
	}
	hops := forwardedFor(string(c.Request().Header.Peek("Forwarded")))
	if hops == nil {
		for _, h := range strings.Split(string(c.Request().Header.Peek(fiber.HeaderXForwardedFor)), ",") {
			hops = append(hops, strings.TrimSpace(h))
		}
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			break // a hop we cannot read: stop at the last one we could
		}
		client = a.Unmap()
		if !s.proxies.trusted(client) {
			break
		}
	}
	return client.String()
}

// forwardedFor lists the for= addresses of an RFC 7239 Forwarded header,
// nil without any: `for=192.0.2.60;proto=https, for="[2001:db8::1]:443"`.
// An obfuscated or unknown node is kept as is, so that it stops the walk.
func forwardedFor(h string) []string {
	var out []string
	for _, elem := range strings.Split(h, ",") {
		for _, pair := range strings.Split(elem, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
			if !ok || !strings.EqualFold(k, "for") {
				continue
			}
			v = strings.Trim(v, `"`)
			if strings.HasPrefix(v, "[") { // [v6]:port
				if end := strings.IndexByte(v, ']'); end > 0 {
					v = v[1:end]
				}
			} else if host, _, ok := strings.Cut(v, ":"); ok && strings.Count(v, ":") == 1 {
				v = host // v4:port
			}
			out = append(out, v)
		}
	}
	return out
}

func trustedProxyStrings(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}
