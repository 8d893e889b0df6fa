package ui

import (
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/alert"
	"github.com/repere-spie/repere/internal/directory"
)

type resultsPage struct {
	Layout
	Form        formView
	Heading     string
	Criteria    []string
	Total       int
	Cards       []cardView
	Facets      []facetGroup
	Sorts       []option
	Pages       *pagination
	MapView     bool
	ListURL     string
	MapURL      string
	Map         *mapView
	Suggestions suggestions
	ClearURL    string
	Everywhere  bool   // all of France, chosen: the filters keep it
	AlertURL    string // saves the search as an alert
	Downloads   []download
}

// searchResults lists the services of a search, with filters, pagination
// and a map view. A place typed without scripts is resolved first.
func (s *Server) searchResults(c *fiber.Ctx) error {
	f, changed, choices, err := s.readSearch(c, directory.PageSearch)
	if he := placeProblem(err); he != nil {
		return s.askPlace(c, f, he) // the search page again, not an error page
	}
	if err != nil {
		return err
	}
	if choices != nil {
		return s.chooseCommune(c, f, choices)
	}
	if changed {
		return c.Redirect(f.URL(), http.StatusSeeOther)
	}
	if f.Commune == nil && !f.Everywhere && f.Text == "" {
		// No place and no words: all of France only when chosen.
		return s.askPlace(c, f, nil)
	}
	res, err := s.Index.Search(c.UserContext(), f.SearchQuery)
	if err != nil {
		return err
	}
	if len(res.Hits) == 0 && res.Total > 0 {
		return &helpError{err: directory.Errorf(directory.ENOTFOUND, "Cette page de résultats n’existe pas : la recherche en compte moins."),
			Suggestions: []Link{{Label: "Première page des résultats", URL: f.withPage(1).URL()}}}
	}
	p := resultsPage{
		Form:       s.formView(f),
		Heading:    s.resultsHeading(&f, res),
		Criteria:   criteria(&f),
		Total:      res.Total,
		Cards:      newCards(res.Hits, s.now()),
		Facets:     facetGroups(&f, res.Facets),
		Sorts:      sortOptions(&f),
		Pages:      newPagination(f, res.Page, res.Size, res.Total),
		MapView:    f.View == viewMap,
		Everywhere: f.Everywhere && f.Commune == nil,
		ListURL:    f.withView(viewList).URL(),
		MapURL:     f.withView(viewMap).URL(),
		ClearURL:   searchForm{SearchQuery: directory.SearchQuery{Commune: f.Commune, Position: f.Position, RadiusKm: f.RadiusKm}, View: f.View, Everywhere: f.Everywhere}.URL(),
	}
	if p.Suggestions, err = s.suggestions(c, f, res); err != nil {
		return err
	}
	if res.Total > 0 {
		p.Downloads = downloads(&f.SearchQuery, res.Total)
	}
	s.countSearch(&f.SearchQuery, res.Total)
	if p.MapView {
		p.Map = s.mapView("carte-resultats", "Carte des résultats", "resultats-liste")
	}
	p.Layout = s.layout(c, p.Heading, "Services d’aide à l’insertion : "+p.Heading+".")
	p.Canonical, p.NoIndex, p.Section, p.Leaflet = s.baseURL+f.URL(), true, sectionSearch, p.MapView
	p.Feeds = s.feedLinks(f)
	if g := f.feedForm(); g.Place == "" {
		p.AlertURL = alert.NewPath + strings.TrimPrefix(g.URL(), "/recherche")
	}
	p.Breadcrumb = crumbs(Link{Label: "Résultats de recherche"})
	return c.Render("results", p)
}

// resultsHeading is "12 services pour les habitants de Poitiers (Vienne)".
func (s *Server) resultsHeading(f *searchForm, res *directory.SearchResults) string {
	h := countLabel(res.Total)
	switch {
	case f.Position != nil:
		h += " autour de votre position (" + s.placeName(f.Commune) + ")"
	case f.Commune != nil:
		h += " pour les habitants de " + s.placeName(f.Commune)
	default:
		h += " dans toute la France"
	}
	return h
}

// criteria lists the search's criteria in words, for the summary.
func criteria(f *searchForm) []string {
	var out []string
	if f.hasPlace() {
		out = append(out, "accueil à moins de "+itoa(f.radius())+" km, ou à distance")
	}
	if f.Text != "" {
		out = append(out, "« "+f.Text+" »")
	}
	for _, t := range f.Thematiques {
		out = append(out, thematiqueLabel(t))
	}
	out = append(out, labels(directory.ReceptionModes, f.ReceptionModes)...)
	out = append(out, labels(directory.Fees, f.Fees)...)
	out = append(out, labels(directory.Publics, f.Publics)...)
	out = append(out, labels(directory.ServiceTypes, f.Types)...)
	return out
}

func sortOptions(f *searchForm) []option {
	cur := f.Sort
	if cur == "" {
		cur = directory.SortPertinence
	}
	opts := []option{{Value: directory.SortPertinence, Label: "Pertinence"}}
	if f.hasPlace() {
		opts = append(opts, option{Value: directory.SortDistance, Label: "Distance"})
	}
	opts = append(opts, option{Value: directory.SortDate, Label: "Date de mise à jour"})
	for i := range opts {
		opts[i].Selected = opts[i].Value == cur
	}
	return opts
}
