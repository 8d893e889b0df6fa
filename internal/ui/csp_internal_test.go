package ui

import "testing"

func TestTileOrigin(t *testing.T) {
	for _, c := range []struct{ tiles, want string }{
		{"https://data.geopf.fr/wmts?LAYER=PLANIGNV2&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}", "https://data.geopf.fr"},
		{"https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.fr"},
		{"http://127.0.0.1:8081/{z}/{x}/{y}.png", "http://127.0.0.1:8081"},
		{"", ""},
		{"/tiles/{z}/{x}/{y}.png", ""},
		{"javascript:alert(1)", ""},
		{"https://evil.example; script-src *", ""},
	} {
		if got := tileOrigin(c.tiles); got != c.want {
			t.Errorf("tileOrigin(%q) = %q, want %q", c.tiles, got, c.want)
		}
	}
}
