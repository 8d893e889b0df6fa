package directory

import (
	"fmt"
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
// applied, lists every visible service of France. ParseSearch reads one from
// URL parameters (the names in comments) and resolves its place once.
//
// Place: the Commune whose zones must cover a service (code_commune,
// code_postal, or the commune of lat and lon), nil for all of France.
// Distances are measured from Position when given, else from the commune
// centre.
type SearchQuery struct {
	Commune  *Commune
	Position *orb.Point // lat, lon: WGS84, [longitude, latitude]
	RadiusKm int        // rayon: one of SearchRadii; 0 means DefaultRadiusKm

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
	if q.Position != nil && q.Commune == nil {
		f.Add("lat", "Une position se cherche avec sa commune.")
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

// SearchResults is one page of results with the facets of the whole result
// set.
type SearchResults struct {
	Total  int
	Page   int
	Size   int
	Center *orb.Point // the point distances are measured from; nil without a place
	Hits   []Hit
	// Around a place, Remote counts the results listed for their remote
	// reach only (none receives people within the radius), and Nationwide
	// those of them whose zone is all of France: the page says so when no
	// result receives people nearby.
	Remote, Nationwide int
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
	DistanceMeters *float64 // nil without a place, and for services listed for their remote reach only (remote-only, or hybrid beyond the radius)
	Thematiques    []string
	ReceptionModes []string
	Fees           string
	Excerpt        string // plain text, about 200 characters
	UpdatedAt      time.Time
	OpeningHours   string
	Remote         bool
	Zones          []Zone   // the eligibility zone (the service's commune when none is given)
	Lat, Lon       *float64 // the place where people are received, when on site
}

// FacetValue is a value of a facet with the number of results it would give.
type FacetValue struct {
	Value string
	Label string
	Count int
}
