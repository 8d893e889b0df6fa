package ui

import (
	"slices"
	"strconv"

	"github.com/repere-spie/repere/internal/directory"
)

// formView is the search form as the templates fill it in.
type formView struct {
	Place       string // the "Où ?" text
	PlaceError  string
	CodeCommune string
	Lat, Lon    string
	Text        string
	Radii       []option
}

type option struct {
	Value, Label string
	Selected     bool
}

// positionLabel stands in the "Où ?" field for a search around a position.
const positionLabel = "Autour de ma position"

func (s *Server) formView(f searchForm) formView {
	v := formView{Place: f.Place, Text: f.Text}
	switch {
	case f.Position != nil:
		v.Place = positionLabel
		v.Lat, v.Lon = strconv.FormatFloat(f.Position[1], 'f', -1, 64), strconv.FormatFloat(f.Position[0], 'f', -1, 64)
	case f.Commune != nil:
		v.Place, v.CodeCommune = f.Commune.Label(), f.Commune.Code
	}
	radius := f.radius()
	for _, r := range directory.SearchRadii {
		v.Radii = append(v.Radii, option{Value: strconv.Itoa(r), Label: "Moins de " + strconv.Itoa(r) + " km", Selected: r == radius})
	}
	return v
}

// needGroup is a category of thématiques with its besoins, for the "Quel
// besoin ?" list.
type needGroup struct {
	option
	Besoins []option
}

func needGroups(selected []string) []needGroup {
	var out []needGroup
	for _, c := range directory.ThematiqueCategories.Terms() {
		g := needGroup{option: option{Value: c.Value, Label: c.Label, Selected: slices.Contains(selected, c.Value)}}
		for _, b := range directory.Besoins(c.Value) {
			g.Besoins = append(g.Besoins, option{Value: b, Label: directory.Thematiques.Label(b), Selected: slices.Contains(selected, b)})
		}
		out = append(out, g)
	}
	return out
}

// shortcuts are the needs people ask for most, one click from the home page.
var shortcuts = []option{
	{Value: "mobilite", Label: "Mobilité"},
	{Value: "famille--garde-denfants", Label: "Garde d’enfants"},
	{Value: "logement-hebergement", Label: "Logement"},
	{Value: "sante", Label: "Santé"},
	{Value: "trouver-un-emploi", Label: "Emploi"},
}
