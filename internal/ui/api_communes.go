package ui

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// apiCommune has the shape of a geo.api.gouv.fr commune, so clients written
// for that API read ours.
type apiCommune struct {
	Code         string    `json:"code"`
	Nom          string    `json:"nom"`
	CodesPostaux []string  `json:"codesPostaux"`
	Departement  string    `json:"codeDepartement"`
	Population   int       `json:"population"`
	Centre       *apiPoint `json:"centre"`
	URL          string    `json:"url"`
}

// apiCommunes autocompletes a commune name or postal code prefix, ranked by
// population. It answers from memory.
func (s *Server) apiCommunes(c *fiber.Ctx) error {
	if _, errs := strictQuery(c, "q", "limit"); errs.Err() != nil {
		return errs.Err()
	}
	q := strings.TrimSpace(c.Query("q"))
	if q == "" || utf8.RuneCountInString(q) > 100 {
		return directory.FieldErrors{"q": "Indiquez entre 1 et 100 caractères : un nom de commune ou un code postal."}.Err()
	}
	limit := 10
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50 {
			return directory.FieldErrors{"limit": "La limite doit être un entier entre 1 et 50."}.Err()
		}
		limit = n
	}
	found := s.Gazetteer.Complete(q, limit)
	out := make([]apiCommune, len(found))
	for i, cm := range found {
		out[i] = apiCommune{Code: cm.Code, Nom: cm.Name, CodesPostaux: cm.PostalCodes, Departement: cm.Departement,
			Population: cm.Population, URL: communeURL(cm)}
		if cm.Center != nil {
			out[i].Centre = &apiPoint{"Point", [2]float64{cm.Center[0], cm.Center[1]}}
		}
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.JSON(out)
}
