package directory

import (
	"fmt"
	"math"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// Search sort orders.
const (
	SortPertinence = "pertinence" // relevance with text, else distance with daily-shuffled ties
	SortDistance   = "distance"   // nearest first; remote-only services last
	SortDate       = "date"       // most recently updated first
)

// Search limits.
const (
	DefaultRadiusKm   = 50
	DefaultSearchSize = 20
	MaxSearchSize     = 100
	MaxSearchPage     = 1000
	MaxSearchText     = 200
)

// SearchRadii are the radius choices, in kilometres.
var SearchRadii = []int{5, 10, 20, 50}

// Facet names, the data·inclusion parameter each one counts values of.
// "categories" and "thematiques" both count the thematiques filter.
const (
	FacetCategories     = "categories"
	FacetThematiques    = "thematiques"
	FacetTypes          = "types"
	FacetFees           = "frais"
	FacetPublics        = "publics"
	FacetReceptionModes = "modes_accueil"
)

// SearchQuery asks the index for services. The zero value, once defaults are
// applied, lists every visible service of France.
//
// Place: CommuneCode, or Lat and Lon (both), or neither for all of France.
// With a position and no commune, the commune is the one containing the
// position; distances are measured from the position when given, else from the
// commune centre.
type SearchQuery struct {
	CommuneCode string   // code_commune: INSEE code (arrondissements accepted)
	Lat, Lon    *float64 // lat, lon: WGS84
	RadiusKm    int      // rayon: one of SearchRadii; 0 means DefaultRadiusKm

	Text           string   // q
	Thematiques    []string // besoins or category slugs; a category means all its besoins
	Types          []string
	Fees           []string // frais
	Publics        []string // services with no publics or "tous-publics" match any value
	ReceptionModes []string // modes_accueil
	StructureID    string
	UpdatedSince   *time.Time

	Sort string // SortPertinence (default), SortDistance or SortDate
	Page int    // from 1; 0 means 1
	Size int    // 0 means DefaultSearchSize; at most MaxSearchSize

	Now  time.Time // decides suspensions; zero means the time of the search
	Seed int64     // shuffles ties; zero means the day of Now in Paris
}

// Position returns the query position, when both coordinates are given.
func (q *SearchQuery) Position() (orb.Point, bool) {
	if q.Lat == nil || q.Lon == nil {
		return orb.Point{}, false
	}
	return orb.Point{*q.Lon, *q.Lat}, true
}

// Normalize applies the defaults: radius, sort, page, size.
func (q *SearchQuery) Normalize() {
	if q.RadiusKm == 0 {
		q.RadiusKm = DefaultRadiusKm
	}
	if q.Sort == "" {
		q.Sort = SortPertinence
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Size == 0 {
		q.Size = DefaultSearchSize
	}
}

// Validate checks the query, zero values being allowed for the defaults. The
// error is an EINVALID *Error whose Fields are keyed by the API parameter
// names.
func (q *SearchQuery) Validate() error {
	f := FieldErrors{}
	if q.CommuneCode != "" && !communeCodeShape(q.CommuneCode) {
		f.Add("code_commune", "Le code commune doit être un code INSEE à 5 caractères.")
	}
	switch {
	case (q.Lat == nil) != (q.Lon == nil):
		if q.Lat == nil {
			f.Add("lat", "Indiquez la latitude avec la longitude.")
		} else {
			f.Add("lon", "Indiquez la longitude avec la latitude.")
		}
	case q.Lat != nil:
		if math.IsNaN(*q.Lat) || *q.Lat < -90 || *q.Lat > 90 {
			f.Add("lat", "La latitude doit être comprise entre -90 et 90.")
		}
		if math.IsNaN(*q.Lon) || *q.Lon < -180 || *q.Lon > 180 {
			f.Add("lon", "La longitude doit être comprise entre -180 et 180.")
		}
	}
	if q.RadiusKm != 0 && !slices.Contains(SearchRadii, q.RadiusKm) {
		f.Add("rayon", "Le rayon doit valoir 5, 10, 20 ou 50 km.")
	}
	if utf8.RuneCountInString(q.Text) > MaxSearchText {
		f.Add("q", fmt.Sprintf("La recherche ne doit pas dépasser %d caractères.", MaxSearchText))
	}
	for _, t := range q.Thematiques {
		if !Thematiques.Has(t) && !ThematiqueCategories.Has(t) {
			f.Add("thematiques", fmt.Sprintf("Thématique inconnue : « %s ».", t))
		}
	}
	checkValues(f, "types", "Type de service inconnu", q.Types, ServiceTypes)
	checkValues(f, "frais", "Frais inconnus", q.Fees, Fees)
	checkValues(f, "publics", "Public inconnu", q.Publics, Publics)
	checkValues(f, "modes_accueil", "Mode d’accueil inconnu", q.ReceptionModes, ReceptionModes)
	if q.StructureID != "" && (len(q.StructureID) > 64 || !utf8.ValidString(q.StructureID)) {
		f.Add("structure", "L’identifiant de structure est invalide.")
	}
	switch q.Sort {
	case "", SortPertinence, SortDistance, SortDate:
	default:
		f.Add("sort", "Le tri doit valoir « pertinence », « distance » ou « date ».")
	}
	if q.Page < 0 || q.Page > MaxSearchPage {
		f.Add("page", fmt.Sprintf("La page doit être comprise entre 1 et %d.", MaxSearchPage))
	}
	if q.Size < 0 || q.Size > MaxSearchSize {
		f.Add("size", fmt.Sprintf("Le nombre de résultats par page doit être compris entre 1 et %d.", MaxSearchSize))
	}
	return f.Err()
}

func checkValues(f FieldErrors, field, msg string, values []string, v *Vocabulary) {
	for _, x := range values {
		if !v.Has(x) {
			f.Add(field, fmt.Sprintf("%s : « %s ».", msg, x))
		}
	}
}

func communeCodeShape(code string) bool {
	if len(code) != 5 {
		return false
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// SearchResults is one page of results with the facets of the whole result
// set.
type SearchResults struct {
	Total   int
	Page    int
	Size    int
	Center  *orb.Point // the point distances are measured from; nil without a place
	Commune string     // INSEE code of the commune searched, "" without a place
	Hits    []Hit
	// Facets maps a facet name (FacetThematiques, …) to its values in
	// vocabulary order. Each facet counts as if its own filter were off.
	Facets map[string][]FacetValue
}

// Hit is one result: everything a result card shows, read from the index.
type Hit struct {
	ID             string
	Name           string
	StructureID    string
	StructureName  string
	CommuneName    string
	CommuneCode    string
	DistanceMeters *float64 // nil for remote-only services and searches without a place
	Thematiques    []string
	ReceptionModes []string
	Fees           string
	Excerpt        string // plain text, about 200 characters
	UpdatedAt      time.Time
	OpeningHours   string
	Remote         bool
	Lat, Lon       *float64 // the place where people are received, when on site
}

// FacetValue is a value of a facet with the number of results it would give.
type FacetValue struct {
	Value string
	Label string
	Count int
}
