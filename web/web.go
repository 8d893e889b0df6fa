// Package web embeds the site's templates and static files, so the binary is
// all a server needs.
package web

import (
	"embed"
	"io/fs"
)

//go:embed templates
var templates embed.FS

//go:embed static
var static embed.FS

// Templates holds the html/template files, rooted at templates/.
var Templates = mustSub(templates, "templates")

// Static holds the files served under /static/, rooted at static/.
var Static = mustSub(static, "static")

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
