package ui

import (
	"net/url"
	"strings"
)

// localPath reports whether p, read as a browser reads a Location, is a path
// of this site, safe to redirect to. Browsers drop tabs and line breaks
// anywhere in a URL, trim control characters and spaces at its ends, and
// read a backslash as a slash, so "/\t/evil.example" and "/\\evil.example"
// both lead to another host: any control character or backslash is refused,
// then the path must start with exactly one slash and carry no scheme or
// host.
func localPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return false
		}
	}
	u, err := url.Parse(p)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil && strings.HasPrefix(u.EscapedPath(), "/") && !strings.HasPrefix(u.EscapedPath(), "//")
}
