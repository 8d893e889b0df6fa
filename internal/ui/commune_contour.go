package ui

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"
	"github.com/paulmach/orb"
)

// communeContour serves a commune's outline as a GeoJSON feature, for its
// map.
func (s *Server) communeContour(c *fiber.Ctx) error {
	cm, err := s.communeOf(c)
	if err != nil || cm == nil {
		return err
	}
	var kind string
	switch cm.Contour.(type) {
	case orb.Polygon:
		kind = "Polygon"
	case orb.MultiPolygon:
		kind = "MultiPolygon"
	default:
		return fiber.ErrNotFound
	}
	type geometry struct {
		Type        string       `json:"type"`
		Coordinates orb.Geometry `json:"coordinates"`
	}
	b, err := json.Marshal(struct {
		Type       string            `json:"type"`
		Properties map[string]string `json:"properties"`
		Geometry   geometry          `json:"geometry"`
	}{"Feature", map[string]string{"code": cm.Code, "nom": cm.Name}, geometry{kind, cm.Contour}})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/geo+json")
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.Send(b)
}
