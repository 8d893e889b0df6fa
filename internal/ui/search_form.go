package ui

import (
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// searchForm is a search as the URL of the results page carries it: the
// query, read by directory.ParseSearch with its place resolved, plus the
// place as typed when no script chose a commune ("commune") and the view
// ("vue").
type searchForm struct {
	directory.SearchQuery
	Place      string // "commune": the place as typed, not resolved yet
	View       string
	Everywhere bool // "partout=1": all of France, chosen explicitly
}

// Views of the results page.
const (
	viewList = "liste"
	viewMap  = "carte"
)

// placeSearch is the search of a commune, of some thématiques when given.
func placeSearch(c *directory.Commune, thematiques ...string) searchForm {
	return searchForm{SearchQuery: directory.SearchQuery{Commune: c, Thematiques: thematiques}}
}

// queryValues copies the query string of the request: fasthttp reuses its
// buffers.
func queryValues(c *fiber.Ctx) url.Values {
	v := url.Values{}
	c.Context().QueryArgs().VisitAll(func(k, val []byte) {
		v.Add(string(k), string(val))
	})
	return v
}

// readSearch reads the search of a page or feed URL (syntax says which).
// What a form without scripts sends is made canonical first: a shortcut
// becomes the thématique, and the place typed in "Où ?" becomes a commune.
// changed reports that the caller should redirect to f.URL(); choices, that
// the place names several communes. Text that names no commune is an
// EINVALID error with suggestions.
func (s *Server) readSearch(c *fiber.Ctx, syntax *directory.SearchSyntax) (f searchForm, changed bool, choices []*directory.Commune, err error) {
	v := queryValues(c)
	errs := directory.FieldErrors{}
	f.Place = strings.TrimSpace(v.Get("commune"))
	f.Everywhere = v.Get("partout") == "1"
	shortcut := strings.TrimSpace(v.Get("raccourci")) // a button of the home page
	f.View = strings.TrimSpace(v.Get("vue"))
	switch f.View {
	case "", viewList, viewMap:
	default:
		errs.Add("vue", "La vue doit valoir « liste » ou « carte ».")
	}
	if shortcut != "" {
		if !directory.Thematiques.Has(shortcut) && !directory.ThematiqueCategories.Has(shortcut) {
			errs.Add("raccourci", "Thématique inconnue.")
		}
		v.Set("thematiques", shortcut)
		changed = true
	}
	if f.Place != "" && !s.placeIsLabel(v, f.Place) {
		v.Del("code_commune") // the text typed wins over a place chosen before
		v.Del("code_postal")
		v.Del("lat")
		v.Del("lon")
	}
	f.SearchQuery, err = directory.ParseSearch(v, syntax, s.Gazetteer)
	var pc *directory.PlaceChoiceError
	switch {
	case errors.As(err, &pc):
		return f, false, pc.Communes, nil
	case err != nil:
		var de *directory.Error
		if errors.As(err, &de) {
			for k, m := range errs {
				de.Fields[k] = m
			}
		}
		return f, false, nil, err
	}
	if err := errs.Err(); err != nil {
		return f, false, nil, err
	}
	if f.Place == "" {
		return f, changed, nil, nil
	}
	text := f.Place
	f.Place = ""
	if f.Commune != nil {
		return f, true, nil, nil // the text is the one the form was filled with
	}
	cands := s.Gazetteer.Resolve(text)
	if len(cands) == 0 {
		// "chatellerault 86": the name with its département or postal code
		// is certain when it names one commune.
		if sg := s.Gazetteer.Suggest(text, 2); len(sg) > 0 && sg[0].Distance == 0 && (len(sg) == 1 || sg[1].Distance > 0) {
			cands = []*directory.Commune{sg[0].Commune}
		}
	}
	switch len(cands) {
	case 0:
		f.Place = text
		return f, false, nil, s.noSuchPlace(f, text)
	case 1:
		f.Commune = cands[0]
		return f, true, nil, nil
	}
	f.Place = text
	return f, false, cands, nil
}

// placeIsLabel reports whether the text typed is the label of the place
// the URL also names: the form, filled with a place, was sent unchanged.
func (s *Server) placeIsLabel(v url.Values, text string) bool {
	if c, ok := s.Gazetteer.Commune(strings.ToUpper(strings.TrimSpace(v.Get("code_commune")))); ok && text == c.Label() {
		return true
	}
	return text == positionLabel && v.Get("lat") != "" && v.Get("lon") != ""
}

// noSuchPlace is the error of a place text that names no commune, with the
// communes it may have meant: names within a few typing errors, or that
// start like it.
func (s *Server) noSuchPlace(f searchForm, text string) error {
	he := &helpError{err: &directory.Error{Code: directory.EINVALID, Message: "Aucune commune ne correspond à « " + text + " ».",
		Fields: map[string]string{"commune": "Vérifiez l’orthographe ou indiquez le code postal."}}, Place: text}
	var near []*directory.Commune
	for _, sg := range s.Gazetteer.Suggest(text, 8) {
		near = append(near, sg.Commune)
	}
	if len(near) == 0 {
		near = s.Gazetteer.Complete(text, 8)
	}
	for _, c := range near {
		g := f
		g.Place, g.Commune, g.Position = "", c, nil
		he.Suggestions = append(he.Suggestions, Link{Label: s.communeChoiceLabel(c), URL: g.URL()})
	}
	return he
}

// hasPlace reports whether the search is around a commune or a position.
func (f *searchForm) hasPlace() bool { return f.Commune != nil }

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
	if f.Commune == nil && f.Place != "" {
		add("commune", f.Place)
	}
	view := f.View == viewMap
	for _, kv := range f.Values(directory.PageSearch) {
		if kv[0] == "page" && view {
			add("vue", viewMap)
			view = false
		}
		add(kv[0], kv[1])
	}
	if view {
		add("vue", viewMap)
	}
	if f.Everywhere && f.Commune == nil {
		add("partout", "1")
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
	f.RadiusKm, f.Page = r, 0
	return f
}

// without drops one value of a multi-valued parameter, or a whole
// single-valued one ("q", "lieu").
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
		f.ReceptionModes = drop(f.ReceptionModes)
	case "q":
		f.Text = ""
	case "lieu":
		f.Commune, f.Position, f.Place = nil, nil, ""
	}
	return f
}

// radius is the radius of the search, the default when none was asked.
func (f *searchForm) radius() int {
	if f.RadiusKm == 0 {
		return directory.DefaultRadiusKm
	}
	return f.RadiusKm
}
