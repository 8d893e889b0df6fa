// Package ui is Repère's HTTP layer: pages and JSON API on Fiber.
package ui

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/template/html/v2"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/config"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
	"github.com/repere-spie/repere/internal/store"
	"github.com/repere-spie/repere/web"
)

// Deps are what the handlers need; main wires them.
type Deps struct {
	Config    *config.Config
	Store     *store.Store
	Gazetteer *geo.Gazetteer
	Index     *indexer.Index
	Logger    *slog.Logger
	Stats     func() Stats
}

// Stats are the figures shown on the home page.
type Stats struct {
	Services, Structures, Communes int
	Demo                           bool
}

// Server holds the handlers' dependencies.
type Server struct {
	Deps
}

// New builds the Fiber application with every route.
func New(d Deps) (*fiber.App, error) {
	engine := html.NewFileSystem(http.FS(web.Templates), ".html")
	engine.Reload(false)
	if err := engine.Load(); err != nil {
		return nil, err // a broken template stops the start, not a request
	}
	s := &Server{Deps: d}
	app := fiber.New(fiber.Config{
		Views:                 engine,
		ViewsLayout:           "layout",
		ErrorHandler:          s.handleError,
		ReadTimeout:           d.Config.ReadTimeout,
		WriteTimeout:          d.Config.WriteTimeout,
		IdleTimeout:           2 * time.Minute,
		BodyLimit:             d.Config.BodyLimit,
		DisableStartupMessage: true,
	})
	app.Use(recover.New())
	app.Use(securityHeaders)
	s.routes(app)
	return app, nil
}

// Layout is embedded in every page's data.
type Layout struct {
	Title       string
	Description string
	Demo        bool
}

func (s *Server) layout(title, description string) Layout {
	return Layout{Title: title, Description: description, Demo: s.Stats().Demo}
}

func securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'")
	return c.Next()
}

type errorPage struct {
	Layout
	Heading, Message string
}

// handleError maps domain error codes to HTTP statuses in one place. Internal
// errors are logged and shown as a generic message.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	status := http.StatusInternalServerError
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		status = fe.Code
	default:
		switch directory.ErrorCode(err) {
		case directory.EINVALID:
			status = http.StatusBadRequest
		case directory.ENOTFOUND:
			status = http.StatusNotFound
		case directory.ECONFLICT:
			status = http.StatusConflict
		case directory.EUNAUTHORIZED:
			status = http.StatusUnauthorized
		case directory.EFORBIDDEN:
			status = http.StatusForbidden
		}
	}
	if status >= 500 {
		s.Logger.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
	}
	heading, msg := "Une erreur est survenue", "Le service rencontre un problème. Veuillez réessayer dans quelques instants."
	switch {
	case status == http.StatusNotFound:
		heading, msg = "Page introuvable", "La page que vous cherchez n’existe pas ou a été déplacée."
	case status < 500:
		heading, msg = "Requête invalide", directory.ErrorMessage(err)
		if fe != nil {
			msg = "Votre demande n’a pas pu être traitée."
		}
	}
	c.Status(status)
	return c.Render("error", errorPage{Layout: s.layout(heading, ""), Heading: heading, Message: msg})
}
