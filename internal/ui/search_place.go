package ui

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/repere-spie/repere/internal/directory"
)

// normalize turns what a form without scripts sends into a canonical search:
// a shortcut becomes the thématique, and the place typed in "Où ?" becomes a
// commune code. It reports whether the form changed (the caller redirects to
// the canonical URL) and, when the text names several communes, the choices.
// Text that names no commune is an EINVALID error with suggestions.
func (s *Server) normalize(f *searchForm) (changed bool, choices []*directory.Commune, err error) {
	if f.Shortcut != "" {
		f.Thematiques, f.Shortcut, changed = []string{f.Shortcut}, "", true
	}
	text := f.Commune
	if text == "" {
		return changed, nil, nil
	}
	f.Commune, changed = "", true
	if c, ok := s.Gazetteer.Commune(f.CodeCommune); ok && text == communeLabel(c) {
		return true, nil, nil // the text is the one the form was filled with
	}
	if f.Lat != "" && f.Lon != "" && text == positionLabel {
		return true, nil, nil
	}
	cands := s.resolve(text)
	switch len(cands) {
	case 0:
		sugg := s.Gazetteer.Complete(text, 8)
		he := &helpError{err: &directory.Error{Code: directory.EINVALID, Message: fmt.Sprintf("Aucune commune ne correspond à « %s ».", text),
			Fields: map[string]string{"commune": "Vérifiez l’orthographe ou indiquez le code postal."}}}
		for _, c := range sugg {
			g := *f
			g.CodeCommune, g.Lat, g.Lon = c.Code, "", ""
			he.Suggestions = append(he.Suggestions, Link{Label: s.communeChoiceLabel(c), URL: g.URL()})
		}
		f.Commune = text
		return false, nil, he
	case 1:
		f.CodeCommune, f.Lat, f.Lon = cands[0].Code, "", ""
		return true, nil, nil
	}
	f.Commune = text
	return false, cands, nil
}

// labelled matches "Poitiers (86)" and "Saint-Denis (97411)".
var labelled = regexp.MustCompile(`^(.+?)\s*\((\w{2,5})\)$`)

// resolve returns the communes a text names, accepting the "Name (86)" form
// the field itself shows.
func (s *Server) resolve(text string) []*directory.Commune {
	text = strings.TrimSpace(text)
	if m := labelled.FindStringSubmatch(text); m != nil {
		cands := s.Gazetteer.Resolve(m[1])
		cands = slices.DeleteFunc(cands, func(c *directory.Commune) bool {
			return c.Departement != m[2] && !slices.Contains(c.PostalCodes, m[2]) && c.Code != m[2]
		})
		if len(cands) > 0 {
			return cands
		}
	}
	return s.Gazetteer.Resolve(text)
}

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

// placeName is the search place in a sentence: "Poitiers (86)".
func (s *Server) placeName(code string) string {
	if c, ok := s.Gazetteer.Commune(code); ok {
		if d, ok := s.Gazetteer.Departement(c.Departement); ok {
			return c.Name + " (" + d.Name + ")"
		}
		return c.Name
	}
	return code
}
