package ui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

type communePage struct {
	Layout
	C           *directory.Commune
	Departement *Link
	Region      string
	EPCI        string
	Population  string
	PostalCodes string
	Total       int
	SearchURL   string
	Categories  []categoryView
	Cards       []cardView
	Map         *mapView
	Missing     *missingHere // nil until the observatory has computed its coverage
}

// categoryView is a thématique category with its count and its besoins.
type categoryView struct {
	Link
	Besoins []Link
}

// communeCards is the number of services listed on a commune page.
const communeCards = 10

// communeShow shows what is available to the people living in a commune,
// by thématique, with its outline on a map.
func (s *Server) communeShow(c *fiber.Ctx) error {
	cm, err := s.communeOf(c)
	if err != nil || cm == nil {
		return err
	}
	res, err := s.Index.Search(c.UserContext(), directory.SearchQuery{Commune: cm, Size: communeCards})
	if err != nil {
		return err
	}
	label := cm.Name
	p := communePage{
		C:           cm,
		Population:  number(cm.Population),
		PostalCodes: strings.Join(cm.PostalCodes, ", "),
		Total:       res.Total,
		SearchURL:   placeSearch(cm).URL(),
		Cards:       s.cards(res.Hits),
	}
	if d, ok := s.Gazetteer.Departement(cm.Departement); ok {
		p.Departement = &Link{Label: d.Label(), URL: departementURL(d)}
		label += " (" + d.Code + ")"
	}
	if r, ok := s.Gazetteer.Region(cm.Region); ok {
		p.Region = r.Name
	}
	if e, ok := s.Gazetteer.EPCI(cm.EPCI); ok {
		p.EPCI = e.Name
	}
	p.Categories = communeCategories(cm, res.Facets)
	p.Missing = s.missingHere(cm)
	p.Map = s.mapView("carte-commune", "Carte de "+cm.Name+" et des services à proximité", "services-commune")
	if cm.Contour != nil {
		p.Map.OutlineURL = communeURL(cm) + "/contour.geojson"
	}
	if cm.Center != nil {
		p.Map.Lat, p.Map.Lon = fmt.Sprintf("%.5f", cm.Center[1]), fmt.Sprintf("%.5f", cm.Center[0])
	}
	p.Layout = s.layout(c, "Aides à l’insertion à "+label,
		fmt.Sprintf("%s pour les habitants de %s : mobilité, garde d’enfants, logement, santé, emploi et formation.", countLabel(res.Total), label))
	p.Leaflet = true
	p.Feeds = s.feedLinks(placeSearch(cm))
	p.Breadcrumb = crumbs(Link{Label: cm.Name})
	if p.Departement != nil {
		p.Breadcrumb = crumbs(Link{Label: "Territoires", URL: "/departements"}, *p.Departement, Link{Label: cm.Name})
	}
	return c.Render("commune", p)
}

// communeOf reads the commune of a /communes/{code}-{slug} URL. It
// redirects to the canonical URL (and returns nil) when the URL is not it,
// and explains an unknown code with the communes it may have meant.
func (s *Server) communeOf(c *fiber.Ctx) (*directory.Commune, error) {
	code, sl := splitRef(c.Params("ref"))
	cm, ok := s.Gazetteer.Commune(code)
	if !ok {
		he := &helpError{err: directory.Errorf(directory.ENOTFOUND, "Aucune commune ne porte le code « %s ». Les communes sont désignées par leur code INSEE, qui n’est pas toujours leur code postal.", code)}
		cands := s.Gazetteer.Resolve(code)
		if len(cands) == 0 && sl != "" {
			cands = s.Gazetteer.Resolve(strings.ReplaceAll(sl, "-", " "))
		}
		for _, cand := range cands[:min(len(cands), 10)] {
			he.Suggestions = append(he.Suggestions, Link{Label: s.communeChoiceLabel(cand), URL: communeURL(cand)})
		}
		return nil, he
	}
	canonical := communeURL(cm)
	if !strings.HasSuffix(c.Path(), "/contour.geojson") && c.Path() != canonical {
		return nil, c.Redirect(canonical, http.StatusMovedPermanently)
	}
	return cm, nil
}

// communeCategories lists the categories that have services for the
// commune, each with its besoins, linking to the matching searches.
func communeCategories(cm *directory.Commune, facets map[string][]directory.FacetValue) []categoryView {
	var out []categoryView
	for _, cat := range facets[directory.FacetCategories] {
		if cat.Count == 0 {
			continue
		}
		v := categoryView{Link: Link{Label: cat.Label, Count: cat.Count, URL: placeSearch(cm, cat.Value).URL()}}
		for _, b := range facets[directory.FacetThematiques] {
			if b.Count > 0 && b.Value != cat.Value && directory.CategoryOf(b.Value) == cat.Value {
				v.Besoins = append(v.Besoins, Link{Label: b.Label, Count: b.Count, URL: placeSearch(cm, b.Value).URL()})
			}
		}
		out = append(out, v)
	}
	return out
}
