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
)

// searchForm is a search as the URL of the results page carries it: the
// parameters of the search API (code_commune, lat, lon, rayon, q,
// thematiques, types, frais, publics, modes_accueil, sort, page), plus the
// place as typed when no script chose a commune ("commune"), a shortcut
// button of the home page ("raccourci") and the view ("vue").
type searchForm struct {
	Commune     string
	CodeCommune string
	Lat, Lon    string
	Radius      int
	Text        string
	Thematiques []string
	Types       []string
	Fees        []string
	Publics     []string
	Modes       []string
	Sort        string
	Page        int
	View        string
	Shortcut    string
}

// Views of the results page.
const (
	viewList = "liste"
	viewMap  = "carte"
)

// maxValues bounds each multi-valued parameter; the vocabularies are smaller.
const maxValues = 100

// parseSearchForm reads the query string. Malformed numbers and oversized
// lists are EINVALID errors keyed by parameter name; unknown parameters are
// ignored, as links from elsewhere carry their own.
func parseSearchForm(c *fiber.Ctx) (searchForm, error) {
	var f searchForm
	errs := directory.FieldErrors{}
	args := c.Context().QueryArgs()
	one := func(name string) string { return strings.TrimSpace(string(args.Peek(name))) }
	many := func(name string) []string {
		var out []string
		for _, v := range args.PeekMulti(name) {
			for _, part := range strings.Split(string(v), ",") {
				if part = strings.TrimSpace(part); part != "" && !slices.Contains(out, part) {
					out = append(out, part)
				}
			}
		}
		if len(out) > maxValues {
			errs.Add(name, fmt.Sprintf("Pas plus de %d valeurs.", maxValues))
			out = out[:maxValues]
		}
		return out
	}
	number := func(name, msg string) int {
		v := one(name)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(strings.TrimSuffix(v, "km"))
		if err != nil {
			errs.Add(name, msg)
		}
		return n
	}
	f.Commune = one("commune")
	f.CodeCommune = one("code_commune")
	f.Lat, f.Lon = one("lat"), one("lon")
	f.Radius = number("rayon", "Le rayon doit être un nombre de kilomètres.")
	f.Text = one("q")
	f.Thematiques = many("thematiques")
	f.Types = many("types")
	f.Fees = many("frais")
	f.Publics = many("publics")
	f.Modes = many("modes_accueil")
	f.Sort = one("sort")
	f.Page = number("page", "La page doit être un nombre.")
	f.View = one("vue")
	f.Shortcut = one("raccourci")
	switch f.View {
	case "", viewList, viewMap:
	default:
		errs.Add("vue", "La vue doit valoir « liste » ou « carte ».")
	}
	if f.Shortcut != "" {
		if !directory.Thematiques.Has(f.Shortcut) && !directory.ThematiqueCategories.Has(f.Shortcut) {
			errs.Add("raccourci", "Thématique inconnue.")
		}
	}
	return f, errs.Err()
}

// query is the index query of the form. Within the thématiques, a category
// that also has some of its besoins selected is refined to those besoins.
func (f *searchForm) query() (directory.SearchQuery, error) {
	q := directory.SearchQuery{
		CommuneCode:    f.CodeCommune,
		RadiusKm:       f.Radius,
		Text:           f.Text,
		Thematiques:    refineThematiques(f.Thematiques),
		Types:          f.Types,
		Fees:           f.Fees,
		Publics:        f.Publics,
		ReceptionModes: f.Modes,
		Sort:           f.Sort,
		Page:           f.Page,
	}
	errs := directory.FieldErrors{}
	coord := func(name, v string) *float64 {
		if v == "" {
			return nil
		}
		x, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			errs.Add(name, "Coordonnée invalide.")
			return nil
		}
		return &x
	}
	q.Lat, q.Lon = coord("lat", f.Lat), coord("lon", f.Lon)
	if err := errs.Err(); err != nil {
		return q, err
	}
	return q, q.Validate()
}

// refineThematiques drops a category when some of its besoins are selected
// too: ticking a besoin under a ticked category narrows the search.
func refineThematiques(values []string) []string {
	var out []string
	for _, v := range values {
		if directory.ThematiqueCategories.Has(v) && slices.ContainsFunc(values, func(o string) bool {
			return o != v && directory.CategoryOf(o) == v
		}) {
			continue
		}
		out = append(out, v)
	}
	return out
}

// hasPlace reports whether the search is around a commune or a position.
func (f *searchForm) hasPlace() bool {
	return f.CodeCommune != "" || f.Lat != "" && f.Lon != ""
}

// URL is the canonical results URL of the form: parameters in a fixed
// order, defaults left out.
func (f searchForm) URL() string {
	var b strings.Builder
	b.WriteString("/recherche")
	sep := byte('?')
	add := func(name, value string) {
		b.WriteByte(sep)
		sep = '&'
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(value))
	}
	switch {
	case f.CodeCommune != "":
		add("code_commune", f.CodeCommune)
	case f.Lat != "" && f.Lon != "":
		add("lat", f.Lat)
		add("lon", f.Lon)
	case f.Commune != "":
		add("commune", f.Commune)
	}
	if f.Radius != 0 && f.Radius != directory.DefaultRadiusKm {
		add("rayon", strconv.Itoa(f.Radius))
	}
	if f.Text != "" {
		add("q", f.Text)
	}
	for _, p := range []struct {
		name   string
		values []string
	}{{"thematiques", f.Thematiques}, {"types", f.Types}, {"frais", f.Fees}, {"publics", f.Publics}, {"modes_accueil", f.Modes}} {
		for _, v := range p.values {
			add(p.name, v)
		}
	}
	if f.Sort != "" && f.Sort != directory.SortPertinence {
		add("sort", f.Sort)
	}
	if f.View == viewMap {
		add("vue", viewMap)
	}
	if f.Page > 1 {
		add("page", strconv.Itoa(f.Page))
	}
	return b.String()
}

func (f searchForm) withPage(n int) searchForm {
	f.Page = n
	return f
}

func (f searchForm) withView(v string) searchForm {
	f.View = v
	return f
}

func (f searchForm) withRadius(r int) searchForm {
	f.Radius, f.Page = r, 0
	return f
}

// without drops one value of a multi-valued parameter, or a whole
// single-valued one ("q", "commune").
func (f searchForm) without(param, value string) searchForm {
	f.Page = 0
	drop := func(list []string) []string {
		return slices.DeleteFunc(slices.Clone(list), func(v string) bool { return v == value })
	}
	switch param {
	case "thematiques":
		f.Thematiques = drop(f.Thematiques)
	case "types":
		f.Types = drop(f.Types)
	case "frais":
		f.Fees = drop(f.Fees)
	case "publics":
		f.Publics = drop(f.Publics)
	case "modes_accueil":
		f.Modes = drop(f.Modes)
	case "q":
		f.Text = ""
	case "lieu":
		f.CodeCommune, f.Lat, f.Lon, f.Commune = "", "", "", ""
	}
	return f
}
