package ui

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/alert"
	"github.com/repere-spie/repere/internal/directory"
)

type resultsPage struct {
	Layout
	Form        formView
	Heading     string
	Criteria    []string
	Reach       *reachNote // around a place, when some results work at a distance
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
	if f.Commune == nil && !f.Everywhere {
		// No place, with words or without: all of France only when chosen.
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
		Reach:      newReachNote(&f, res),
		Total:      res.Total,
		Cards:      s.cards(res.Hits),
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

// reachNote says how the results around a place split between those
// received on site within the radius and those listed for their remote
// reach, and where the remote ones rank, so that services from far away
// never look local and a search finding nothing nearby says so.
type reachNote struct {
	Alert bool // no result receives people within the radius
	Text  string
	Widen *Link // with Alert: the widest radius, when not chosen yet
}

// The page states the interleave of the index's ranking in words: this line
// stops the build if indexer.RemoteEvery changes without the sentence below.
var _ = [1]struct{}{}[indexer.RemoteEvery-3]

func newReachNote(f *searchForm, res *directory.SearchResults) *reachNote {
	if !f.hasPlace() || res.Remote == 0 {
		return nil
	}
	km := itoa(f.radius()) + " km"
	nationwide := ""
	switch {
	case res.Nationwide == res.Remote:
		nationwide = " pour toute la France"
	case res.Nationwide > 0:
		nationwide = " (dont " + itoa(res.Nationwide) + " pour toute la France)"
	}
	if res.Remote == res.Total {
		if len(f.ReceptionModes) > 0 {
			return nil // the person asked for these modes
		}
		found := "les " + itoa(res.Total) + " services trouvés travaillent"
		if res.Total == 1 {
			found = "le seul service trouvé travaille"
		}
		n := &reachNote{Alert: true, Text: "Aucun service ne reçoit le public à moins de " + km + " : " + found + " à distance" + nationwide + "."}
		if widest := slices.Max(directory.SearchRadii); f.radius() < widest {
			n.Widen = &Link{Label: "Chercher à moins de " + itoa(widest) + " km", URL: f.withRadius(widest).URL()}
		}
		return n
	}
	works := " travaillent"
	if res.Remote == 1 {
		works = " travaille"
	}
	text := plural(res.Total-res.Remote, "service reçoit", "services reçoivent") + " le public à moins de " + km + ", " +
		itoa(res.Remote) + works + " à distance" + nationwide + "."
	switch f.Sort {
	case "", directory.SortPertinence:
		text += " Par pertinence, ils alternent : deux sur place, puis un à distance."
	case directory.SortDistance:
		text += " Par distance, les services à distance viennent après."
	}
	return &reachNote{Text: text}
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
