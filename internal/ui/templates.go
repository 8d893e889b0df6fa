package ui

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/gofiber/template/html/v2"

	"github.com/repere-spie/repere/web"
)

// templates parses every template once. Pages include the partials "head"
// and "foot" themselves rather than using a Fiber layout, whose rendering
// holds an exclusive lock.
func (s *Server) templates() (*html.Engine, error) {
	engine := html.NewFileSystem(http.FS(web.Templates), ".html")
	engine.Reload(false)
	engine.AddFuncMap(template.FuncMap{
		"asset":     s.assets.URL,
		"countOf":   countLabel,
		"showCount": showCount,
		"lastIndex": func(l []Link) int { return len(l) - 1 },
		"lower":     strings.ToLower,
	})
	if err := engine.Load(); err != nil {
		return nil, err
	}
	return engine, nil
}
