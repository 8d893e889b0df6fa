package directory

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"
)

// Places resolves the places a search names; geo.Gazetteer implements it.
type Places interface {
	// Commune returns today's commune of an INSEE code: the arrondissements
	// of Paris, Lyon and Marseille, and communes since merged into
	// another, give that commune.
	Commune(code string) (*Commune, bool)
	// PostalCode returns the communes of a postal code, most populated
	// first.
	PostalCode(code string) []*Commune
	// Locate returns the commune whose contour holds p ([longitude,
	// latitude]) or, when none does (a coast, an islet, an overseas
	// collectivity without contours), the nearest within NearbyKm.
	Locate(p orb.Point) (*Commune, bool)
}

// NearbyKm is how far from a position the nearest commune is looked for
// when no commune contour holds it.
const NearbyKm = 5

// SearchSyntax is the set of parameters a search URL may carry and how
// strictly they are read.
type SearchSyntax struct {
	params map[string]bool
	// strict refuses unknown and repeated parameters (the API: a typo never
	// silently widens a search); otherwise they are ignored (pages and
	// feeds, whose links from elsewhere carry their own).
	strict bool
}

// The parameters of a search, named after the data·inclusion API.
var (
	placeParams  = []string{"code_commune", "code_postal", "lat", "lon", "rayon"}
	filterParams = []string{"q", "thematiques", "types", "frais", "publics", "modes_accueil"}
)

// The three ways a search is read: the JSON API, the results page, and the
// feed of a search (which neither sorts nor pages).
var (
	APISearch  = newSyntax(true, placeParams, filterParams, []string{"structure", "maj_depuis", "sort", "page", "size"})
	PageSearch = newSyntax(false, placeParams, filterParams, []string{"sort", "page"})
	FeedSearch = newSyntax(false, placeParams, filterParams)
)

func newSyntax(strict bool, groups ...[]string) *SearchSyntax {
	s := &SearchSyntax{params: map[string]bool{}, strict: strict}
	for _, g := range groups {
		for _, p := range g {
			s.params[p] = true
		}
	}
	return s
}

// maxValues bounds each multi-valued parameter; the vocabularies are smaller.
const maxValues = 100

// PlaceChoiceError is the error of a place that names several communes (a
// postal code shared by several): an EINVALID error whose message lists
// them, and the communes, so that a page can offer the choice.
type PlaceChoiceError struct {
	Param    string
	Communes []*Commune
	err      *Error
}

func (e *PlaceChoiceError) Error() string { return e.err.Error() }
func (e *PlaceChoiceError) Unwrap() error { return e.err }

// ParseSearch reads a search from URL parameters with the given syntax and
// resolves its place once: code_commune (an INSEE code), code_postal, or
// lat and lon, at most one of them. It applies the rules of the domain (a
// category with some of its besoins narrows to those besoins) and validates
// the query, whose defaults are not applied. Every malformed, unknown (in
// the strict syntax) or contradicting parameter is reported by name in one
// EINVALID error; a postal code of several communes is a
// *PlaceChoiceError.
func ParseSearch(v url.Values, syntax *SearchSyntax, places Places) (SearchQuery, error) {
	p := parser{v: v, syntax: syntax, f: FieldErrors{}}
	if syntax.strict {
		for name := range v {
			if !syntax.params[name] {
				p.f.Add(name, fmt.Sprintf("Paramètre inconnu : « %s ».", name))
			}
		}
	}
	var q SearchQuery
	q.RadiusKm = p.integer("rayon", "Le rayon doit être un nombre entier de kilomètres.")
	q.Text = p.one("q")
	q.Thematiques = NarrowThematiques(p.list("thematiques"))
	q.Types, q.Fees, q.Publics, q.ReceptionModes = p.list("types"), p.list("frais"), p.list("publics"), p.list("modes_accueil")
	q.StructureID = p.one("structure")
	if s := p.one("maj_depuis"); s != "" {
		t, err := time.ParseInLocation(time.DateOnly, s, Paris)
		if err != nil {
			p.f.Add("maj_depuis", "La date doit être au format AAAA-MM-JJ.")
		} else {
			q.UpdatedSince = &t
		}
	}
	q.Sort = p.one("sort")
	q.Page = p.integer("page", "La page doit être un nombre entier positif.")
	q.Size = p.integer("size", "Le nombre de résultats par page doit être un nombre entier positif.")
	choice := p.place(&q, places)
	if err := q.Validate(); err != nil {
		for k, m := range err.(*Error).Fields {
			p.f.Add(k, m)
		}
	}
	if err := p.f.Err(); err != nil {
		return q, err
	}
	if choice != nil {
		return q, choice
	}
	return q, nil
}

type parser struct {
	v      url.Values
	syntax *SearchSyntax
	f      FieldErrors
}

// one is a single-valued parameter, trimmed; repeated, it is an error in
// the strict syntax and its first value otherwise.
func (p *parser) one(name string) string {
	if !p.syntax.params[name] {
		return ""
	}
	vs := p.v[name]
	if len(vs) == 0 {
		return ""
	}
	if len(vs) > 1 && p.syntax.strict {
		p.f.Add(name, "Ce paramètre ne peut être donné qu’une fois.")
	}
	return strings.TrimSpace(vs[0])
}

// list is a multi-valued parameter, repeated or comma-separated, without
// empty or repeated values.
func (p *parser) list(name string) []string {
	if !p.syntax.params[name] {
		return nil
	}
	var out []string
	for _, v := range p.v[name] {
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
	}
	if len(out) > maxValues {
		p.f.Add(name, fmt.Sprintf("Pas plus de %d valeurs.", maxValues))
		out = out[:maxValues]
	}
	return out
}

// integer is a positive whole number; "20km" is read as 20 for the radius.
func (p *parser) integer(name, msg string) int {
	s := strings.TrimSuffix(p.one(name), "km")
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		p.f.Add(name, msg)
		return 0
	}
	return n
}

// coordinate is a decimal number, with a point or a comma.
func (p *parser) coordinate(name string) *float64 {
	s := p.one(name)
	if s == "" {
		return nil
	}
	x, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		p.f.Add(name, "Ce paramètre doit être un nombre décimal, par exemple 46.81.")
		return nil
	}
	return &x
}

// place resolves the one place of the search into q.Commune (and
// q.Position for a position). It returns the choice error of a postal code
// of several communes.
func (p *parser) place(q *SearchQuery, places Places) *PlaceChoiceError {
	code, postal := strings.ToUpper(p.one("code_commune")), p.one("code_postal")
	lat, lon := p.coordinate("lat"), p.coordinate("lon")
	if p.contradict(code != "", postal != "", lat != nil || lon != nil) {
		return nil
	}
	switch {
	case code != "":
		p.communeOf(q, code, places)
	case postal != "":
		return p.communeOfPostalCode(q, postal, places)
	case lat != nil || lon != nil:
		p.communeAt(q, lat, lon, places)
	}
	return nil
}

// contradict reports (naming them) place parameters given together.
func (p *parser) contradict(code, postal, position bool) bool {
	var given []string
	if code {
		given = append(given, "code_commune")
	}
	if postal {
		given = append(given, "code_postal")
	}
	if position {
		given = append(given, "lat", "lon")
	}
	if len(given) < 2 || len(given) == 2 && position {
		return false
	}
	msg := "Indiquez un seul lieu : " + strings.Replace(strings.Join(given, ", "), "lat, lon", "lat et lon", 1) + " se contredisent."
	for _, g := range given {
		p.f.Add(g, msg)
	}
	return true
}

// communeOf resolves code_commune, strictly an INSEE code.
func (p *parser) communeOf(q *SearchQuery, code string, places Places) {
	if CheckInseeCode(code) != nil {
		p.f.Add("code_commune", "Le code commune doit être un code INSEE à 5 caractères (pour un code postal, utilisez code_postal).")
	} else if c, ok := places.Commune(code); ok {
		q.Commune = c
	} else {
		p.f.Add("code_commune", fmt.Sprintf("Aucune commune n’a le code INSEE « %s » (pour un code postal, utilisez code_postal).", code))
	}
}

// communeOfPostalCode resolves code_postal when it names one commune.
func (p *parser) communeOfPostalCode(q *SearchQuery, postal string, places Places) *PlaceChoiceError {
	cs := places.PostalCode(postal)
	switch len(cs) {
	case 0:
		p.f.Add("code_postal", fmt.Sprintf("Aucune commune n’a le code postal « %s ».", postal))
		return nil
	case 1:
		q.Commune = cs[0]
		return nil
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name + " (" + c.Code + ")"
	}
	msg := fmt.Sprintf("Le code postal « %s » couvre plusieurs communes : %s. Indiquez le code INSEE de l’une d’elles (code_commune).", postal, strings.Join(names, ", "))
	return &PlaceChoiceError{Param: "code_postal", Communes: cs, err: &Error{Code: EINVALID, Message: msg, Fields: map[string]string{"code_postal": msg}}}
}

// communeAt resolves lat and lon to the commune there, or nearby.
func (p *parser) communeAt(q *SearchQuery, lat, lon *float64, places Places) {
	switch {
	case lat == nil:
		p.f.Add("lat", "Indiquez la latitude avec la longitude.")
	case lon == nil:
		p.f.Add("lon", "Indiquez la longitude avec la latitude.")
	case *lat < -90 || *lat > 90:
		p.f.Add("lat", "La latitude doit être comprise entre -90 et 90.")
	case *lon < -180 || *lon > 180:
		p.f.Add("lon", "La longitude doit être comprise entre -180 et 180.")
	default:
		pos := orb.Point{*lon, *lat}
		if c, ok := places.Locate(pos); ok {
			q.Commune, q.Position = c, &pos
		} else {
			p.f.Add("lat", fmt.Sprintf("Cette position n’est dans aucune commune française, ni à moins de %d km de l’une d’elles.", NearbyKm))
		}
	}
}

// NarrowThematiques drops a category when some of its besoins are selected
// too: ticking a besoin under a ticked category narrows the search.
func NarrowThematiques(values []string) []string {
	var out []string
	for _, v := range values {
		if ThematiqueCategories.Has(v) && slices.ContainsFunc(values, func(o string) bool {
			return o != v && CategoryOf(o) == v
		}) {
			continue
		}
		out = append(out, v)
	}
	return out
}

// Values is the canonical form of the query as URL parameters of the given
// syntax, in a fixed order and without defaults: what ParseSearch reads back
// into the same query.
func (q *SearchQuery) Values(syntax *SearchSyntax) [][2]string {
	var out [][2]string
	add := func(name, value string) {
		if syntax.params[name] {
			out = append(out, [2]string{name, value})
		}
	}
	switch {
	case q.Position != nil:
		add("lat", strconv.FormatFloat(q.Position[1], 'f', -1, 64))
		add("lon", strconv.FormatFloat(q.Position[0], 'f', -1, 64))
	case q.Commune != nil:
		add("code_commune", q.Commune.Code)
	}
	if q.RadiusKm != 0 && q.RadiusKm != DefaultRadiusKm {
		add("rayon", strconv.Itoa(q.RadiusKm))
	}
	if q.Text != "" {
		add("q", q.Text)
	}
	for _, p := range []struct {
		name   string
		values []string
	}{{"thematiques", q.Thematiques}, {"types", q.Types}, {"frais", q.Fees}, {"publics", q.Publics}, {"modes_accueil", q.ReceptionModes}} {
		for _, v := range p.values {
			add(p.name, v)
		}
	}
	if q.StructureID != "" {
		add("structure", q.StructureID)
	}
	if q.UpdatedSince != nil {
		add("maj_depuis", q.UpdatedSince.In(Paris).Format(time.DateOnly))
	}
	if q.Sort != "" && q.Sort != SortPertinence {
		add("sort", q.Sort)
	}
	if q.Page > 1 {
		add("page", strconv.Itoa(q.Page))
	}
	if q.Size != 0 && q.Size != DefaultSearchSize {
		add("size", strconv.Itoa(q.Size))
	}
	return out
}
