package ui

import (
	"github.com/repere-spie/repere/internal/directory"
)

// communeChoiceLabel tells homonyms apart: "Saint-Denis – 93200, Seine-Saint-Denis".
func (s *Server) communeChoiceLabel(c *directory.Commune) string {
	label := c.Name
	if len(c.PostalCodes) > 0 {
		label += " – " + c.PostalCodes[0]
	}
	if d, ok := s.Gazetteer.Departement(c.Departement); ok {
		label += ", " + d.Name
	}
	return label
}

// placeName is the search place in a sentence: "Poitiers (Vienne)".
func (s *Server) placeName(c *directory.Commune) string {
	if d, ok := s.Gazetteer.Departement(c.Departement); ok {
		return c.Name + " (" + d.Name + ")"
	}
	return c.Name
}
