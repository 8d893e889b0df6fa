package ui

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/repere-spie/repere/web"
)

func TestCheckAssetsRefusesMissingFiles(t *testing.T) {
	templates := fstest.MapFS{
		"head.html": {Data: []byte(`<link href="{{asset "vendor/dsfr/dsfr.min.css"}}"><script src="{{asset "site.js"}}"></script>`)},
	}
	full := fstest.MapFS{
		"site.js":                          {Data: []byte("//")},
		"vendor/dsfr/dsfr.min.css":         {Data: []byte(`@font-face{src:url(fonts/Marianne.woff2) format("woff2")} .i{background:url("../dsfr/icons/x.svg?v=1")} .d{background:url(data:image/png;base64,AA)}`)},
		"vendor/dsfr/fonts/Marianne.woff2": {Data: []byte("font")},
		"vendor/dsfr/icons/x.svg":          {Data: []byte("<svg/>")},
	}
	check := func(fsys fstest.MapFS) error {
		a, err := newAssets(fsys)
		if err != nil {
			t.Fatal(err)
		}
		return checkAssets(a, templates)
	}
	if err := check(full); err != nil {
		t.Fatalf("complete assets refused: %v", err)
	}
	for _, gone := range []string{"vendor/dsfr/dsfr.min.css", "site.js", "vendor/dsfr/fonts/Marianne.woff2", "vendor/dsfr/icons/x.svg"} {
		fsys := fstest.MapFS{}
		for k, v := range full {
			if k != gone {
				fsys[k] = v
			}
		}
		err := check(fsys)
		if err == nil || !strings.Contains(err.Error(), gone) || !strings.Contains(err.Error(), "make") {
			t.Errorf("without %s: %v", gone, err)
		}
	}
}

// The binary under test embeds everything its templates and stylesheets
// name (make assets ran).
func TestEmbeddedAssetsComplete(t *testing.T) {
	a, err := newAssets(web.Static)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkAssets(a, web.Templates, faviconICO); err != nil {
		t.Fatal(err)
	}
	if len(a.files) < 20 {
		t.Fatalf("only %d static files embedded", len(a.files))
	}
}
