package ui

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
)

var (
	templateAsset = regexp.MustCompile(`asset "([^"]+)"`)
	cssURL        = regexp.MustCompile(`url\(\s*["']?([^"')]+)["']?\s*\)`)
)

// checkAssets refuses to start a site whose pages would miss a file: every
// file a template names with asset, every file a stylesheet refers to
// (DSFR's fonts and icons, Leaflet's images), and the extra names given.
// The npm packages (DSFR, Leaflet) are copied into web/static/vendor by
// make assets before the build embeds them; a binary built without that
// step has none of them.
func checkAssets(a *assets, templates fs.FS, extra ...string) error {
	want := slices.Clone(extra)
	err := fs.WalkDir(templates, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templates, p)
		for _, m := range templateAsset.FindAllSubmatch(b, -1) {
			want = append(want, string(m[1]))
		}
		return err
	})
	if err != nil {
		return err
	}
	for name, f := range a.files {
		if !strings.HasSuffix(name, ".css") {
			continue
		}
		for _, m := range cssURL.FindAllSubmatch(f.body, -1) {
			ref := string(m[1])
			if strings.HasPrefix(ref, "data:") || strings.Contains(ref, "://") || strings.HasPrefix(ref, "#") || strings.HasPrefix(ref, "/") {
				continue
			}
			ref, _, _ = strings.Cut(ref, "?")
			ref, _, _ = strings.Cut(ref, "#")
			want = append(want, path.Join(path.Dir(name), ref))
		}
	}
	var missing []string
	for _, w := range want {
		if a.files[w] == nil && !slices.Contains(missing, w) {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		if len(missing) > 5 {
			missing = append(missing[:5], fmt.Sprintf("et %d autres", len(missing)-5))
		}
		return fmt.Errorf("fichiers statiques absents du binaire : %s. Construisez-le avec make (make assets copie DSFR et Leaflet dans web/static/vendor avant go build)", strings.Join(missing, ", "))
	}
	return nil
}

// faviconICO is where /favicon.ico sends browsers.
const faviconICO = "vendor/dsfr/favicon/favicon.ico"
