package ui

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// apiDocPage is the page /api: the OpenAPI document, read back, for people.
type apiDocPage struct {
	Layout
	Summary, Version string
	Description      []string // paragraphs
	Groups           []apiDocGroup
}

type apiDocGroup struct {
	Name, Description string
	Endpoints         []apiDocEndpoint
}

type apiDocEndpoint struct {
	ID, Path, Summary, Description, Curl string
	Params                               []apiDocParam
	Responses                            []apiDocResponse
}

type apiDocParam struct {
	Name, In, Description, Type, Values, Example string
	Required                                     bool
}

type apiDocResponse struct{ Status, Description string }

// openAPIDoc is the part of the document the page shows.
type openAPIDoc struct {
	Info struct {
		Summary, Version, Description string
	}
	Tags []struct {
		Name, Description string
	}
	Paths map[string]struct {
		Get struct {
			OperationID string `json:"operationId"`
			Tags        []string
			Summary     string
			Description string
			Parameters  []struct {
				Name, In, Description string
				Required              bool
				Example               any
				Schema                struct {
					Type   any
					Format string
					Enum   []any
					Items  *struct{ Enum []any }
				}
			}
			Responses map[string]struct {
				Ref         string `json:"$ref"`
				Description string
			}
		}
	}
}

// apiDoc serves /api from the same document as /api/v1/openapi.json.
func (s *Server) apiDoc(c *fiber.Ctx) error {
	var doc openAPIDoc
	if err := json.Unmarshal(s.apiDocument(), &doc); err != nil {
		return err
	}
	p := apiDocPage{Summary: doc.Info.Summary, Version: doc.Info.Version, Description: splitSentences(doc.Info.Description)}
	for _, tag := range doc.Tags {
		g := apiDocGroup{Name: tag.Name, Description: tag.Description}
		for path, item := range doc.Paths {
			op := item.Get
			if !slices.Contains(op.Tags, tag.Name) {
				continue
			}
			e := apiDocEndpoint{ID: op.OperationID, Path: path, Summary: op.Summary, Description: op.Description}
			example := url.Values{}
			curlPath := path
			for _, pr := range op.Parameters {
				dp := apiDocParam{Name: pr.Name, In: pr.In, Description: pr.Description, Required: pr.Required, Type: fmt.Sprint(pr.Schema.Type)}
				if l, ok := pr.Example.([]any); ok && len(l) > 0 {
					dp.Example = fmt.Sprint(l[0])
				} else if pr.Example != nil {
					dp.Example = fmt.Sprint(pr.Example)
				}
				enum := pr.Schema.Enum
				if pr.Schema.Items != nil {
					dp.Type, enum = "liste", pr.Schema.Items.Enum
				}
				dp.Values = values(enum)
				switch {
				case pr.In == "path":
					curlPath = strings.Replace(curlPath, "{"+pr.Name+"}", dp.Example, 1)
				case pr.Required || len(example) == 0 && dp.Example != "" && pr.Name != "cursor":
					example.Set(pr.Name, dp.Example)
				}
				e.Params = append(e.Params, dp)
			}
			e.Curl = "curl '" + s.baseURL + curlPath
			if len(example) > 0 {
				e.Curl += "?" + example.Encode()
			}
			e.Curl += "'"
			if i := strings.LastIndexByte(path, '.'); i > 0 && !strings.Contains(path, "openapi") {
				e.Curl += " -o resultats" + path[i:]
			} else if strings.HasPrefix(path, "/donnees/") {
				e.Curl += " -O"
			}
			for status, r := range op.Responses {
				d := r.Description
				if d == "" {
					d = map[string]string{"400": "Demande invalide : document de problème nommant les paramètres en cause.",
						"404": "Introuvable : document de problème.", "429": "Trop de requêtes : document de problème, en-tête Retry-After."}[status]
				}
				e.Responses = append(e.Responses, apiDocResponse{status, d})
			}
			slices.SortFunc(e.Responses, func(a, b apiDocResponse) int { return strings.Compare(a.Status, b.Status) })
			g.Endpoints = append(g.Endpoints, e)
		}
		slices.SortFunc(g.Endpoints, func(a, b apiDocEndpoint) int { return strings.Compare(a.Path, b.Path) })
		p.Groups = append(p.Groups, g)
	}
	p.Layout = s.layout(c, "API", "L’API publique de Repère : recherche, services et structures au format data·inclusion v1, téléchargements, sans jeton.")
	p.Breadcrumb = crumbs(Link{Label: "API"})
	return c.Render("api", p)
}

// values shows an enumeration, the first dozen values of a long one.
func values(enum []any) string {
	var out []string
	for _, v := range enum {
		if v != nil {
			out = append(out, fmt.Sprint(v))
		}
	}
	if len(out) > 12 {
		return strings.Join(out[:12], ", ") + fmt.Sprintf("… (%d valeurs, voir openapi.json)", len(out))
	}
	return strings.Join(out, ", ")
}

// splitSentences makes paragraphs of a description written as sentences
// separated by ". ".
func splitSentences(s string) []string {
	var out []string
	for _, p := range strings.SplitAfter(s, ". ") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
