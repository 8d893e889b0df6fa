package ui

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/observatory"
)

// observatoryPage shows where the offer is missing in a territory for a
// thématique: the figures, a choropleth, the largest gaps and the same
// figures in a table.
type observatoryPage struct {
	Layout
	Picker    observatoryPicker
	Ready     bool   // the coverage has been computed once
	Built     string // when the offer was read
	Territory string // "Vienne (86)"
	Theme     string // "Mobilité"
	RadiusKm  int
	Kind      directory.ZoneKind
	// The figures, formatted.
	Population, Communes, Uncovered, UncoveredPopulation, RemoteOnly string
	Share                                                            string // uncovered share of the population, "12,4 %"

	Map       *choropleth
	Gaps      []gapRow
	Areas     []areaRow    // France and a région: by département
	Rows      []communeRow // a département or an EPCI
	Within    []Link       // the EPCIs of a département
	Wider     []Link       // the wider territories
	Downloads []Link
	Demand    string // the demand page of the same choice, for moderators
}

type observatoryPicker struct {
	Territories []optionGroup
	Columns     []optionGroup
	Radii       []option
}

type optionGroup struct {
	Label   string
	Options []option
}

type gapRow struct {
	Rank       int
	Commune    Link
	Population string
	Nearest    *Link // the service, nil when none
	Where      string
	Km         string
}

type areaRow struct {
	Code, Name string
	URL        string
	Class      string
	// Formatted: the population, the uncovered one, its share, the
	// uncovered communes and all the communes.
	Population, Uncovered, Share, UncoveredCommunes, Communes string
	UncoveredPopulation                                       int
}

type communeRow struct {
	Code, Name      string
	URL             string
	Class           string
	Population      string
	PopulationValue int
	OnSite          int
	Remote          int
}

// choropleth is a map ready for the template: shapes with their class and
// title, a legend.
type choropleth struct {
	Width, Height int
	Shapes        []mapShape
	Insets        []observatory.Inset
	Legend        []legendItem
}

type mapShape struct {
	Code, Path, Class, Title string
}

type legendItem struct{ Class, Label string }

// observatoryQuery reads the picker: territoire (a zone key: France, a
// région, a département, an EPCI), thematique (a category or besoin) and
// rayon (km). Missing values take the defaults.
func (s *Server) observatoryQuery(c *fiber.Ctx) (observatory.Query, error) {
	q := observatory.Query{Territory: directory.France, RadiusKm: 10}
	if v := c.Query("territoire"); v != "" {
		z, ok := directory.ParseZoneKey(v)
		if !ok || z.Kind == directory.ZoneCommune {
			return q, directory.Errorf(directory.EINVALID, "Territoire inconnu : « %s ». Choisissez la France, une région, un département ou une intercommunalité.", v)
		}
		q.Territory = z
	}
	th := c.Query("thematique", observatory.Columns()[defaultColumn].Value)
	col, ok := observatory.ColumnOf(th)
	if !ok {
		return q, directory.Errorf(directory.EINVALID, "Thématique inconnue : « %s ».", th)
	}
	q.Column = col
	if v := c.Query("rayon"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || !validRadius(n) {
			return q, directory.Errorf(directory.EINVALID, "Le rayon doit valoir 5, 10, 20 ou 50 km.")
		}
		q.RadiusKm = n
	}
	if s.Gazetteer.ZoneLabel(q.Territory) == q.Territory.Key() && q.Territory.Kind != directory.ZoneFrance {
		return q, directory.Errorf(directory.ENOTFOUND, "Territoire inconnu : « %s ».", q.Territory.Key())
	}
	return q, nil
}

// defaultColumn is the thématique the observatory shows first: mobility,
// the first obstacle to work the SPIE partners name.
var defaultColumn, _ = observatory.ColumnOf("mobilite")

func validRadius(km int) bool { return slices.Contains(observatory.Radii[:], km) }

// observatoryURL is the page of q; path may name a download instead.
func observatoryURL(path string, q observatory.Query) string {
	v := url.Values{}
	v.Set("territoire", q.Territory.Key())
	v.Set("thematique", observatory.Columns()[q.Column].Value)
	v.Set("rayon", strconv.Itoa(q.RadiusKm))
	return path + "?" + v.Encode()
}

// observatoryShow renders /observatoire.
func (s *Server) observatoryShow(c *fiber.Ctx) error {
	q, err := s.observatoryQuery(c)
	if err != nil {
		return err
	}
	p := observatoryPage{RadiusKm: q.RadiusKm, Kind: q.Territory.Kind, Territory: s.Gazetteer.ZoneLabel(q.Territory)}
	p.Theme = observatory.Columns()[q.Column].Label
	p.Picker = s.observatoryPicker(q)
	p.Layout = s.layout(c, "Observatoire des manques : "+p.Theme+", "+p.Territory,
		"Où l’offre d’insertion manque : la population sans service sur place à moins de "+strconv.Itoa(q.RadiusKm)+" km, commune par commune.")
	p.Canonical = s.baseURL + observatoryURL("/observatoire", q)
	p.Section = sectionObservatory
	p.Breadcrumb = crumbs(Link{Label: "Observatoire des manques"})
	cv := s.observatory().Coverage()
	if cv == nil {
		c.Set(fiber.HeaderRetryAfter, "60")
		return c.Render("observatoire", p)
	}
	rep, err := cv.Report(q)
	if err != nil {
		return err
	}
	p.Ready = true
	p.Built = directory.FrenchDate(cv.Built) + " à " + clockOf(cv.Built)
	p.Population, p.Communes = number(rep.Population), number(rep.Communes)
	p.Uncovered, p.UncoveredPopulation = number(rep.Uncovered), number(rep.UncoveredPopulation)
	p.RemoteOnly = number(rep.RemoteOnlyPopulation)
	p.Share = percent(rep.UncoveredShare())
	if p.Map, err = s.choropleth(q, rep); err != nil {
		return err
	}
	if p.Gaps, err = s.gapRows(rep); err != nil {
		return err
	}
	for _, a := range rep.Areas {
		z := directory.Zone{Kind: directory.ZoneDepartement, Code: a.Departement.Code}
		p.Areas = append(p.Areas, areaRow{Code: a.Departement.Code, Name: a.Departement.Label(),
			URL:   observatoryURL("/observatoire", observatory.Query{Territory: z, Column: q.Column, RadiusKm: q.RadiusKm}),
			Class: shareClass(a.UncoveredShare()), Population: number(a.Population), Uncovered: number(a.UncoveredPopulation),
			UncoveredPopulation: a.UncoveredPopulation, Share: percent(a.UncoveredShare()),
			UncoveredCommunes: number(a.Uncovered), Communes: number(a.Communes)})
	}
	if len(rep.Areas) == 0 {
		for _, r := range rep.Rows {
			p.Rows = append(p.Rows, communeRow{Code: r.Commune.Code, Name: r.Commune.Name, URL: communeURL(r.Commune),
				Class: countClass(r), Population: number(r.Commune.Population), PopulationValue: r.Commune.Population, OnSite: r.OnSite, Remote: r.Remote})
		}
	}
	p.Within, p.Wider = s.observatoryNeighbours(q)
	p.Demand = observatoryURL(demandPath, q)
	p.Downloads = []Link{
		{Label: "Télécharger les chiffres par commune (CSV)", URL: observatoryURL("/observatoire/donnees.csv", q)},
		{Label: "Télécharger les chiffres par commune (XLSX)", URL: observatoryURL("/observatoire/donnees.xlsx", q)},
	}
	return c.Render("observatoire", p)
}

// observatoryPicker lists the choices of the form, q's selected.
func (s *Server) observatoryPicker(q observatory.Query) observatoryPicker {
	var p observatoryPicker
	sel := q.Territory.Key()
	france := optionGroup{Label: "Pays", Options: []option{{Value: directory.France.Key(), Label: "France entière", Selected: sel == directory.France.Key()}}}
	regions := optionGroup{Label: "Régions"}
	deps := optionGroup{Label: "Départements"}
	for _, t := range s.territoryList() {
		o := option{Value: t.Key, Label: t.Label, Selected: t.Key == sel}
		switch t.rank {
		case 1:
			regions.Options = append(regions.Options, o)
		case 2:
			deps.Options = append(deps.Options, o)
		}
	}
	p.Territories = []optionGroup{france, regions, deps}
	if q.Territory.Kind == directory.ZoneEPCI {
		p.Territories = append(p.Territories, optionGroup{Label: "Intercommunalité", Options: []option{{Value: sel, Label: s.Gazetteer.ZoneLabel(q.Territory), Selected: true}}})
	}
	cols := observatory.Columns()
	groups := map[string]int{}
	for i, col := range cols {
		if col.Category == "" {
			groups[col.Value] = len(p.Columns)
			p.Columns = append(p.Columns, optionGroup{Label: col.Label, Options: []option{{Value: col.Value, Label: col.Label + " (toute la thématique)", Selected: i == q.Column}}})
		}
	}
	for i, col := range cols {
		if g, ok := groups[col.Category]; ok && col.Category != "" {
			p.Columns[g].Options = append(p.Columns[g].Options, option{Value: col.Value, Label: col.Label, Selected: i == q.Column})
		}
	}
	for _, r := range observatory.Radii {
		p.Radii = append(p.Radii, option{Value: strconv.Itoa(r), Label: strconv.Itoa(r) + " km", Selected: r == q.RadiusKm})
	}
	return p
}

// observatoryNeighbours links the territories inside q's (a département's
// EPCIs) and around it (its région, France).
func (s *Server) observatoryNeighbours(q observatory.Query) (within, wider []Link) {
	at := func(z directory.Zone) Link {
		return Link{Label: s.Gazetteer.ZoneLabel(z), URL: observatoryURL("/observatoire", observatory.Query{Territory: z, Column: q.Column, RadiusKm: q.RadiusKm})}
	}
	var deps []string
	switch q.Territory.Kind {
	case directory.ZoneDepartement:
		deps = []string{q.Territory.Code}
		seen := map[string]bool{}
		for _, cm := range s.Gazetteer.CommunesOf(q.Territory.Code) {
			if cm.EPCI != "" && !seen[cm.EPCI] {
				seen[cm.EPCI] = true
				within = append(within, at(directory.Zone{Kind: directory.ZoneEPCI, Code: cm.EPCI}))
			}
		}
	case directory.ZoneEPCI:
		if e, ok := s.Gazetteer.EPCI(q.Territory.Code); ok {
			deps = e.Departements
			for _, d := range e.Departements {
				wider = append(wider, at(directory.Zone{Kind: directory.ZoneDepartement, Code: d}))
			}
		}
	case directory.ZoneRegion:
		for _, d := range s.Gazetteer.Departements() {
			if d.Region == q.Territory.Code {
				within = append(within, at(directory.Zone{Kind: directory.ZoneDepartement, Code: d.Code}))
			}
		}
	}
	seen := map[string]bool{}
	for _, code := range deps {
		if d, ok := s.Gazetteer.Departement(code); ok && !seen[d.Region] {
			seen[d.Region] = true
			wider = append(wider, at(directory.Zone{Kind: directory.ZoneRegion, Code: d.Region}))
		}
	}
	if q.Territory.Kind != directory.ZoneFrance {
		wider = append(wider, at(directory.France))
	}
	return within, wider
}

// choropleth colours the map of q's territory with rep.
func (s *Server) choropleth(q observatory.Query, rep *observatory.Report) (*choropleth, error) {
	m, err := s.caches.maps.Load(q.Territory.Key(), func() (*observatory.Map, error) {
		return s.observatory().Map(q.Territory)
	})
	if err != nil {
		return nil, err
	}
	ch := &choropleth{Width: m.Width, Height: m.Height, Insets: m.Insets}
	class, title := map[string]string{}, map[string]string{}
	if len(rep.Areas) > 0 {
		for _, a := range rep.Areas {
			class[a.Departement.Code] = shareClass(a.UncoveredShare())
			title[a.Departement.Code] = fmt.Sprintf("%s : %s de la population sans offre sur place à moins de %d km", a.Departement.Label(), percent(a.UncoveredShare()), q.RadiusKm)
		}
		ch.Legend = []legendItem{{"obs-s0", "Toute la population a une offre sur place"}, {"obs-s1", "Moins de 10 % sans offre"},
			{"obs-s2", "De 10 à 25 % sans offre"}, {"obs-s3", "De 25 à 50 % sans offre"}, {"obs-s4", "Plus de la moitié sans offre"}}
	} else {
		for _, r := range rep.Rows {
			class[r.Commune.Code] = countClass(r)
			title[r.Commune.Code] = fmt.Sprintf("%s : %s sur place à moins de %d km, %s à distance seulement",
				r.Commune.Name, plural(r.OnSite, "service", "services"), q.RadiusKm, number(r.Remote))
		}
		ch.Legend = []legendItem{{"obs-none", "Aucune offre"}, {"obs-remote", "À distance seulement"}, {"obs-1", "1 service sur place"},
			{"obs-2", "2 à 4 services sur place"}, {"obs-3", "5 à 9 services sur place"}, {"obs-4", "10 services sur place ou plus"}}
	}
	for _, a := range m.Areas {
		if cl, ok := class[a.Code]; ok {
			ch.Shapes = append(ch.Shapes, mapShape{Code: a.Code, Path: a.Path, Class: cl, Title: title[a.Code]})
		}
	}
	return ch, nil
}

// shareClass is the map class of an uncovered share of the population.
func shareClass(share float64) string {
	switch {
	case share == 0:
		return "obs-s0"
	case share < 0.10:
		return "obs-s1"
	case share < 0.25:
		return "obs-s2"
	case share < 0.50:
		return "obs-s3"
	}
	return "obs-s4"
}

// countClass is the map class of a commune.
func countClass(r observatory.Row) string {
	switch {
	case r.OnSite == 0 && r.Remote == 0:
		return "obs-none"
	case r.OnSite == 0:
		return "obs-remote"
	case r.OnSite == 1:
		return "obs-1"
	case r.OnSite < 5:
		return "obs-2"
	case r.OnSite < 10:
		return "obs-3"
	}
	return "obs-4"
}

// gapRows names the ranked gaps and their nearest services.
func (s *Server) gapRows(rep *observatory.Report) ([]gapRow, error) {
	var ids []string
	for _, g := range rep.Gaps {
		if g.Nearest != nil {
			ids = append(ids, g.Nearest.ServiceID)
		}
	}
	hits, err := s.Index.Hits(ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]directory.Hit{}
	for _, h := range hits {
		byID[h.ID] = h
	}
	out := make([]gapRow, len(rep.Gaps))
	for i, g := range rep.Gaps {
		out[i] = gapRow{Rank: i + 1, Commune: Link{Label: g.Commune.Label(), URL: communeURL(g.Commune)}, Population: number(g.Commune.Population)}
		if g.Nearest == nil {
			continue
		}
		if h, ok := byID[g.Nearest.ServiceID]; ok {
			out[i].Nearest = &Link{Label: h.Name, URL: serviceURL(h.ID, h.Name)}
			out[i].Where = h.CommuneName
			out[i].Km = kilometres(g.Nearest.Km)
		}
	}
	return out, nil
}

// percent is "12,4 %".
func percent(share float64) string {
	return strings.Replace(strconv.FormatFloat(math.Round(share*1000)/10, 'f', 1, 64), ".", ",", 1) + "\u00a0%"
}

// kilometres is "12,3 km".
func kilometres(km float64) string {
	return strings.Replace(strconv.FormatFloat(km, 'f', 1, 64), ".", ",", 1) + "\u00a0km"
}

// observatory is the observatory, or one without coverage when none is
// configured.
func (s *Server) observatory() *observatory.Observatory {
	if s.Observatory == nil {
		return noObservatory
	}
	return s.Observatory
}

var noObservatory = observatory.New(&directory.Geography{}, nil, nil, nil)

// missingRadius is the distance the "Ce qui manque ici" block of a commune
// page measures from.
const missingRadius = 10

// missingHere is the "Ce qui manque ici" block of a commune page: the
// thématiques with no service on site within missingRadius km of the
// commune's centre, each linking to the observatory of its intercommunalité
// (or département).
type missingHere struct {
	RadiusKm    int
	Themes      []Link
	Observatory string // the commune's territory in the observatory
}

func (s *Server) missingHere(cm *directory.Commune) *missingHere {
	cv := s.observatory().Coverage()
	if cv == nil {
		return nil
	}
	z := directory.Zone{Kind: directory.ZoneDepartement, Code: cm.Departement}
	if _, ok := s.Gazetteer.EPCI(cm.EPCI); ok {
		z = directory.Zone{Kind: directory.ZoneEPCI, Code: cm.EPCI}
	}
	ri := slices.Index(observatory.Radii[:], missingRadius)
	m := &missingHere{RadiusKm: missingRadius, Observatory: observatoryURL("/observatoire", observatory.Query{Territory: z, Column: defaultColumn, RadiusKm: missingRadius})}
	for i, col := range observatory.Columns() {
		if col.Category != "" {
			continue
		}
		cell, ok := cv.CellOf(cm.Code, i)
		if !ok {
			return nil
		}
		if cell.OnSite[ri] == 0 {
			m.Themes = append(m.Themes, Link{Label: col.Label, URL: observatoryURL("/observatoire", observatory.Query{Territory: z, Column: i, RadiusKm: missingRadius})})
		}
	}
	return m
}
