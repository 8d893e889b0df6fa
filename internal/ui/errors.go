package ui

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/importer"
)

// helpError is an error that comes with places to go instead: the
// communes a wrong code may have meant, for example.
type helpError struct {
	err         error
	Suggestions []Link
	Place       string // the place typed, when it names no commune: the search page asks again
}

func (e *helpError) Error() string { return e.err.Error() }
func (e *helpError) Unwrap() error { return e.err }

type errorPage struct {
	Layout
	Status      int
	Heading     string
	Message     string
	Fields      []fieldError
	Suggestions []Link
}

type fieldError struct{ Label, Message string }

// paramLabels names the search parameters in error messages.
var paramLabels = map[string]string{
	"code_commune": "Commune", "code_postal": "Code postal", "commune": "Commune", "lat": "Latitude", "lon": "Longitude",
	"rayon": "Rayon", "q": "Mots-clés", "thematiques": "Thématiques", "types": "Types de service",
	"frais": "Frais", "publics": "Publics", "modes_accueil": "Modes d’accueil", "sort": "Tri",
	"page": "Page", "size": "Taille de page", "vue": "Vue", "raccourci": "Raccourci", "structure": "Structure",
}

// statusOf maps an error to its HTTP status.
func statusOf(err error) int {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return fe.Code
	}
	var tm *tooManyRequests
	if errors.As(err, &tm) {
		return http.StatusTooManyRequests
	}
	switch directory.ErrorCode(err) {
	case directory.EINVALID:
		return http.StatusBadRequest
	case directory.ENOTFOUND:
		return http.StatusNotFound
	case directory.ECONFLICT:
		return http.StatusConflict
	case directory.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case directory.EFORBIDDEN:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// handleError maps domain error codes to HTTP statuses in one place. Internal
// errors are logged and shown as a generic message; the API gets an RFC 9457
// problem document, the site a page in its own look.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	status := statusOf(err)
	if status >= 500 {
		s.Logger.Error("request failed", "method", c.Method(), "path", c.Path(), "err", err)
	}
	if strings.HasPrefix(c.Path(), "/api/") || strings.HasPrefix(c.Path(), "/donnees/") {
		return apiProblem(c, status, err)
	}
	p := errorPage{Status: status}
	var de *directory.Error
	var fe *fiber.Error
	switch {
	case status == http.StatusNotFound:
		p.Heading, p.Message = "Page non trouvée", "La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée."
		if errors.As(err, &de) {
			p.Message = de.Message
		}
	case status == http.StatusUnauthorized:
		p.Heading, p.Message = "Connexion nécessaire", "Connectez-vous pour continuer."
		p.Suggestions = []Link{{Label: "Se connecter", URL: "/connexion"}}
	case status == http.StatusForbidden:
		p.Heading, p.Message = "Accès refusé", "Vous n’avez pas le droit de faire cela."
		if errors.As(err, &de) && !errors.As(err, &fe) {
			p.Message = de.Message
		}
	case status == http.StatusRequestEntityTooLarge:
		p.Heading, p.Message = "Envoi trop volumineux", "Ce que vous avez envoyé dépasse la taille autorisée. Pour un import, le fichier ne doit pas dépasser "+
			fmt.Sprint(importer.MaxUpload>>20)+" Mo."
	case status < 500:
		p.Heading, p.Message = "Demande invalide", "Votre demande n’a pas pu être traitée."
		if errors.As(err, &de) && !errors.As(err, &fe) {
			p.Message = de.Message
			p.Fields = fieldErrors(de.Fields)
		}
	default:
		p.Heading, p.Message = "Erreur inattendue", "Le service rencontre un problème. Veuillez réessayer dans quelques instants."
	}
	var he *helpError
	if errors.As(err, &he) {
		p.Suggestions = he.Suggestions
	}
	p.Layout = s.layout(c, p.Heading, "")
	p.Canonical, p.NoIndex = "", true
	c.Status(status)
	return c.Render("error", p)
}

func fieldErrors(fields map[string]string) []fieldError {
	var out []fieldError
	for name, msg := range fields {
		label := paramLabels[name]
		if label == "" {
			label = name
		}
		out = append(out, fieldError{Label: label, Message: msg})
	}
	slices.SortFunc(out, func(a, b fieldError) int { return strings.Compare(a.Label, b.Label) })
	return out
}

// problem is an RFC 9457 problem document.
type problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail,omitempty"`
	Instance string         `json:"instance,omitempty"`
	Errors   []problemField `json:"errors,omitempty"`
}

type problemField struct {
	Parameter string `json:"parameter"`
	Detail    string `json:"detail"`
}

func apiProblem(c *fiber.Ctx, status int, err error) error {
	p := problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Instance: c.Path()}
	var de *directory.Error
	var tm *tooManyRequests
	if errors.As(err, &tm) {
		p.Detail = tm.Error()
	}
	if status < 500 && errors.As(err, &de) {
		p.Detail = de.Message
		for name, msg := range de.Fields {
			p.Errors = append(p.Errors, problemField{Parameter: name, Detail: msg})
		}
		slices.SortFunc(p.Errors, func(a, b problemField) int { return strings.Compare(a.Parameter, b.Parameter) })
	}
	c.Status(status)
	if err := c.JSON(p); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/problem+json")
	return nil
}
