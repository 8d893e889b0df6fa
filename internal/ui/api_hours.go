package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/openinghours"
)

// hoursPreview is opening hours as people read them, or why they do not
// parse.
type hoursPreview struct {
	Valid  bool         `json:"valide"`
	Error  string       `json:"erreur,omitempty"`
	Status string       `json:"etat,omitempty"` // "Ouvert maintenant, ferme à 17 h"
	Days   []dayPreview `json:"jours,omitempty"`
}

type dayPreview struct {
	Day   string `json:"jour"`
	Hours string `json:"horaires"`
	Today bool   `json:"aujourdhui,omitempty"`
}

// apiHours reads opening hours in the OSM syntax and describes them, for
// the editor's live preview.
func (s *Server) apiHours(c *fiber.Ctx) error {
	if _, errs := strictQuery(c, "horaires"); errs.Err() != nil {
		return errs.Err()
	}
	h := strings.TrimSpace(c.Query("horaires"))
	if utf8.RuneCountInString(h) > 500 {
		return directory.FieldErrors{"horaires": "Les horaires doivent comporter au plus 500 caractères."}.Err()
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	if h == "" {
		return c.JSON(hoursPreview{})
	}
	if _, err := openinghours.Parse(h); err != nil {
		return c.JSON(hoursPreview{Error: err.Error()})
	}
	v := newHoursView(h, s.now())
	p := hoursPreview{Valid: true, Status: v.Status}
	for _, d := range v.Days {
		p.Days = append(p.Days, dayPreview(d))
	}
	return c.JSON(p)
}
