package directory

import (
	"strconv"
	"time"
	_ "time/tzdata" // Europe/Paris must resolve on machines without zoneinfo files
)

// Status is the publication state of a service.
type Status string

const (
	StatusDraft     Status = "brouillon"
	StatusPublished Status = "publie"
	StatusArchived  Status = "archive"
)

// Label is the French label of the status.
func (s Status) Label() string {
	switch s {
	case StatusDraft:
		return "Brouillon"
	case StatusPublished:
		return "Publié"
	case StatusArchived:
		return "Archivé"
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return s == StatusDraft || s == StatusPublished || s == StatusArchived
}

// UpdateFrequency says how often a service must be confirmed up to date.
type UpdateFrequency string

const (
	FrequencyMonthly    UpdateFrequency = "mensuelle"
	FrequencyQuarterly  UpdateFrequency = "trimestrielle"
	FrequencyHalfYearly UpdateFrequency = "semestrielle"
	FrequencyYearly     UpdateFrequency = "annuelle"
)

// UpdateFrequencies lists the choices in order, for forms.
var UpdateFrequencies = []UpdateFrequency{FrequencyMonthly, FrequencyQuarterly, FrequencyHalfYearly, FrequencyYearly}

// Period is the time after which an unconfirmed service is stale; unknown or
// empty values count as half-yearly, the platform default.
func (f UpdateFrequency) Period() time.Duration {
	const day = 24 * time.Hour
	switch f {
	case FrequencyMonthly:
		return 31 * day
	case FrequencyQuarterly:
		return 92 * day
	case FrequencyYearly:
		return 366 * day
	}
	return 183 * day
}

// Label is the French label of the frequency.
func (f UpdateFrequency) Label() string {
	switch f {
	case FrequencyMonthly:
		return "Tous les mois"
	case FrequencyQuarterly:
		return "Tous les trois mois"
	case FrequencyYearly:
		return "Tous les ans"
	}
	return "Tous les six mois"
}

// Provenance says where a record comes from.
type Provenance struct {
	Kind       string `bson:"kind"`                  // "saisie" (typed in Repère), "import" or "demo"
	Origin     string `bson:"origin,omitempty"`      // e.g. the producer of an import, or the demo seed
	ExternalID string `bson:"external_id,omitempty"` // the id at the origin, when imported

	// The rest is set by imports.
	Feed       string     `bson:"flux,omitempty"`          // the import that brings it: "datainclusion", "france-services", "tableur"
	Licence    string     `bson:"licence,omitempty"`       // the licence of the source, as shown
	SourceDate *time.Time `bson:"date_source,omitempty"`   // the source's own date_maj
	ImportedAt *time.Time `bson:"importe_le,omitempty"`    // the last import that wrote it
	Hash       string     `bson:"empreinte,omitempty"`     // of the record as last imported: same hash, nothing to write
	Fields     []byte     `bson:"empreintes,omitempty"`    // per-field hashes of the values last imported (see importer)
	Position   string     `bson:"position,omitempty"`      // how the coordinates were found, see Position*
	Missing    *time.Time `bson:"absent_depuis,omitempty"` // first import the record was missing from
	// DuplicateOf is the record another source also holds: this one stays
	// out of public pages, linked to it.
	DuplicateOf string `bson:"doublon_de,omitempty"`
	// Proposed are the source's values for fields a partner has edited
	// since: kept for moderators to compare, never applied.
	Proposed []ProposedValue `bson:"propositions,omitempty"`
}

// ProposedValue is a value a source proposes for a field a partner edited.
type ProposedValue struct {
	Field string    `bson:"champ"` // data·inclusion field name
	Value string    `bson:"valeur"`
	At    time.Time `bson:"le"`
}

// How the coordinates of an imported record were found.
const (
	PositionSource  = "source"  // given by the source
	PositionAddress = "adresse" // the address, geocoded
	PositionStreet  = "rue"     // the street, geocoded
	PositionCommune = "commune" // the centre of the commune
)

// Approximate reports whether the position is only the centre of the commune.
func (p Provenance) Approximate() bool { return p.Position == PositionCommune }

// Paris is the time zone of every date shown to users.
var Paris = mustLoadParis()

func mustLoadParis() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err) // unreachable: time/tzdata is linked in
	}
	return loc
}

var frenchMonths = [13]string{"", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// FrenchDate is t as a French reads it, in Paris: "1er mars 2026", "3 mars 2026".
func FrenchDate(t time.Time) string {
	t = t.In(Paris)
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return day + " " + frenchMonths[t.Month()] + " " + strconv.Itoa(t.Year())
}
