package ui

import (
	"net/url"
	"strings"
	"testing"
)

var redirectCases = []struct {
	path string
	ok   bool
}{
	{"/espace", true},
	{"/espace/services/abc?onglet=1#haut", true},
	{"/recherche?q=%2F%2Fevil.example", true},
	{"/%2F/evil.example", true}, // an encoded slash stays in the path
	{"", false},
	{"espace", false},
	{"//evil.example", false},
	{"/\t/evil.example", false}, // browsers strip the tab: //evil.example
	{"/%09/evil.example", true}, // still encoded: a path
	{"/\n/evil.example", false},
	{"/\r\n/evil.example", false},
	{"/\\evil.example", false},
	{"\\/evil.example", false},
	{"/\\/evil.example", false},
	{" /espace", false},
	{"\x00/espace", false},
	{"/espace\x7f", false},
	{"https://evil.example/", false},
	{"javascript:alert(1)", false},
	{"/\x0b/evil.example", false},
	{"///evil.example", false},
}

func TestLocalPath(t *testing.T) {
	for _, c := range redirectCases {
		if got := localPath(c.path); got != c.ok {
			t.Errorf("localPath(%q) = %v, want %v", c.path, got, c.ok)
		}
	}
}

// browserTarget resolves a Location as a browser does (WHATWG URL): it
// trims C0 controls and spaces at both ends, drops tabs and line breaks
// anywhere, and reads backslashes as slashes in http(s) URLs.
func browserTarget(base *url.URL, location string) (*url.URL, error) {
	s := strings.TrimFunc(location, func(r rune) bool { return r <= 0x20 })
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(s)
	ref, err := url.Parse(s)
	if err != nil {
		return nil, err
	}
	return base.ResolveReference(ref), nil
}

// FuzzLocalPath: whatever localPath accepts, a browser sends the visitor to
// this site. Seeds: the table above and testdata/fuzz/FuzzLocalPath.
// go test ./internal/ui -run '^$' -fuzz FuzzLocalPath -fuzztime 60s
func FuzzLocalPath(f *testing.F) {
	for _, c := range redirectCases {
		f.Add(c.path)
	}
	base, _ := url.Parse("https://repere.example/connexion")
	f.Fuzz(func(t *testing.T, p string) {
		if !localPath(p) {
			return
		}
		u, err := browserTarget(base, p)
		if err != nil {
			t.Fatalf("localPath accepts %q, which a browser cannot parse: %v", p, err)
		}
		if u.Scheme != "https" || u.Host != "repere.example" || u.User != nil {
			t.Fatalf("localPath accepts %q, which a browser reads as %s", p, u)
		}
	})
}
