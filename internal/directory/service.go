package directory

import "time"

// Service is an offer of help (data·inclusion v1 "service"), plus Repère's own
// publication, versioning and freshness fields.
type Service struct {
	ID          string `bson:"_id"`
	StructureID string `bson:"structure_id"`
	Source      string `bson:"source"`

	Name                string          `bson:"nom"`
	Description         string          `bson:"description"` // Markdown
	SourceLink          string          `bson:"lien_source,omitempty"`
	Type                string          `bson:"type,omitempty"` // types-de-services
	Thematiques         []string        `bson:"thematiques"`    // besoins "categorie--besoin"
	Fees                string          `bson:"frais,omitempty"`
	FeesDetails         string          `bson:"frais_precisions,omitempty"`
	Publics             []string        `bson:"publics"`
	PublicsDetails      string          `bson:"publics_precisions,omitempty"`
	AccessConditions    string          `bson:"conditions_acces,omitempty"`
	CommuneName         string          `bson:"commune,omitempty"`
	PostalCode          string          `bson:"code_postal,omitempty"`
	CodeInsee           string          `bson:"code_insee,omitempty"`
	Address             string          `bson:"adresse,omitempty"`
	AddressComplement   string          `bson:"complement_adresse,omitempty"`
	Longitude           *float64        `bson:"longitude,omitempty"`
	Latitude            *float64        `bson:"latitude,omitempty"`
	Phone               string          `bson:"telephone,omitempty"` // E.164
	Email               string          `bson:"courriel,omitempty"`
	ContactName         string          `bson:"contact_nom_prenom,omitempty"`
	ReceptionModes      []string        `bson:"modes_accueil"`
	EligibilityZone     []Zone          `bson:"zone_eligibilite"`
	MobilisationLink    string          `bson:"lien_mobilisation,omitempty"`
	MobilisationModes   []string        `bson:"modes_mobilisation"`
	MobilisableBy       []string        `bson:"mobilisable_par"`
	MobilisationDetails string          `bson:"mobilisation_precisions,omitempty"`
	OpeningHours        string          `bson:"horaires_accueil,omitempty"` // OSM opening_hours syntax
	WeeksCount          *int            `bson:"nombre_semaines,omitempty"`
	WeeklyHours         *float64        `bson:"volume_horaire_hebdomadaire,omitempty"`
	Status              Status          `bson:"statut"`
	SuspendedUntil      *time.Time      `bson:"suspendu_jusqu_au,omitempty"` // hidden from search until this instant, when set
	UpdateFrequency     UpdateFrequency `bson:"frequence_maj,omitempty"`
	Version             int64           `bson:"version"` // incremented by every successful write
	CreatedAt           time.Time       `bson:"cree_le"`
	UpdatedAt           time.Time       `bson:"maj_le"`              // exported as date_maj
	PublishedAt         *time.Time      `bson:"publie_le,omitempty"` // first publication
	// AnnouncedAt is when the service was published or last changed in a way
	// its users must hear of (see SignificantChange): what feeds announce.
	AnnouncedAt      *time.Time `bson:"annonce_le,omitempty"`
	AnnouncedVersion int64      `bson:"annonce_version,omitempty"` // the version announced then
	Provenance       Provenance `bson:"provenance"`
}

// Visible reports whether the service may appear on public pages at now.
func (s *Service) Visible(now time.Time) bool {
	return s.Listed() && (s.SuspendedUntil == nil || !now.Before(*s.SuspendedUntil))
}

// Listed reports whether the service belongs in searches: published, and not
// the duplicate of a service another source also brought (suspensions are
// checked at search time, since they end without a write).
func (s *Service) Listed() bool {
	return s.Status == StatusPublished && s.Provenance.DuplicateOf == ""
}

// Stale reports whether the service has not been confirmed within its update
// frequency.
func (s *Service) Stale(now time.Time) bool {
	return now.Sub(s.UpdatedAt) > s.UpdateFrequency.Period()
}

// Remote reports whether the service is offered at a distance.
func (s *Service) Remote() bool { return contains(s.ReceptionModes, "a-distance") }

// OnSite reports whether the service receives people at its address.
func (s *Service) OnSite() bool { return contains(s.ReceptionModes, "en-presentiel") }

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
