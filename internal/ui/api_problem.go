package ui

import (
	"errors"
	"net/http"
	"sort"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// problem is an RFC 9457 problem document.
type problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail,omitempty"`
	Instance string         `json:"instance,omitempty"`
	Errors   []problemField `json:"errors,omitempty"`
}

// problemField names the parameter at fault, as the client sent it.
type problemField struct {
	Parameter string `json:"parameter"`
	Detail    string `json:"detail"`
}

// apiError renders err as a problem document; the API never answers HTML.
func (s *Server) apiError(c *fiber.Ctx, err error) error {
	p := problem{Type: "about:blank", Status: http.StatusInternalServerError, Instance: c.OriginalURL()}
	var fe *fiber.Error
	var de *directory.Error
	switch {
	case errors.As(err, &fe):
		p.Status, p.Detail = fe.Code, fe.Message
	case errors.As(err, &de):
		p.Detail = de.Message
		switch de.Code {
		case directory.EINVALID:
			p.Status = http.StatusBadRequest
		case directory.ENOTFOUND:
			p.Status = http.StatusNotFound
		case directory.ECONFLICT:
			p.Status = http.StatusConflict
		case directory.EUNAUTHORIZED:
			p.Status = http.StatusUnauthorized
		case directory.EFORBIDDEN:
			p.Status = http.StatusForbidden
		}
		for name, msg := range de.Fields {
			p.Errors = append(p.Errors, problemField{name, msg})
		}
		sort.Slice(p.Errors, func(i, j int) bool { return p.Errors[i].Parameter < p.Errors[j].Parameter })
	}
	if p.Status >= 500 {
		s.Logger.Error("api request failed", "path", c.Path(), "err", err)
		p.Detail = "Une erreur interne est survenue."
	}
	p.Title = problemTitle(p.Status)
	c.Set(fiber.HeaderContentType, "application/problem+json")
	return c.Status(p.Status).JSON(p, "application/problem+json")
}

func problemTitle(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "Requête invalide"
	case http.StatusNotFound:
		return "Ressource introuvable"
	case http.StatusConflict:
		return "Conflit de version"
	case http.StatusUnauthorized:
		return "Authentification requise"
	case http.StatusForbidden:
		return "Accès refusé"
	case http.StatusMethodNotAllowed:
		return "Méthode non autorisée"
	case http.StatusRequestEntityTooLarge:
		return "Requête trop volumineuse"
	case http.StatusTooManyRequests:
		return "Trop de requêtes"
	}
	if status >= 500 {
		return "Erreur interne"
	}
	return http.StatusText(status)
}
