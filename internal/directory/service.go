package directory

import "time"

// Service is an offer of help (data·inclusion v1 "service"), plus Repère's own
// publication, versioning and freshness fields.
type Service struct {
	ID          string
	Slug        string
	StructureID string // structure_id
	Source      string // source

	Name                string   // nom
	Description         string   // description (Markdown)
	SourceLink          string   // lien_source
	Type                string   // type (types-de-services)
	Thematiques         []string // thematiques (besoins "categorie--besoin")
	Fees                string   // frais
	FeesDetails         string   // frais_precisions
	Publics             []string // publics
	PublicsDetails      string   // publics_precisions
	AccessConditions    string   // conditions_acces
	CommuneName         string   // commune
	PostalCode          string   // code_postal
	CodeInsee           string   // code_insee
	Address             string   // adresse
	AddressComplement   string   // complement_adresse
	Longitude           *float64 // longitude
	Latitude            *float64 // latitude
	Phone               string   // telephone, E.164
	Email               string   // courriel
	ContactName         string   // contact_nom_prenom
	ReceptionModes      []string // modes_accueil
	EligibilityZone     []string // zone_eligibilite: commune, EPCI, département, région codes or "france"
	MobilisationLink    string   // lien_mobilisation
	MobilisationModes   []string // modes_mobilisation
	MobilisableBy       []string // mobilisable_par
	MobilisationDetails string   // mobilisation_precisions
	OpeningHours        string   // horaires_accueil, OSM opening_hours syntax
	WeeksCount          *int     // nombre_semaines
	WeeklyHours         *float64 // volume_horaire_hebdomadaire
	Status              Status
	SuspendedUntil      *time.Time // hidden from search until this instant, when set
	UpdateFrequency     UpdateFrequency
	Version             int64 // incremented by every successful write
	CreatedAt           time.Time
	UpdatedAt           time.Time  // exported as date_maj
	PublishedAt         *time.Time // first publication
	Provenance          Provenance
}

// Visible reports whether the service may appear on public pages at now.
func (s *Service) Visible(now time.Time) bool {
	return s.Status == StatusPublished && (s.SuspendedUntil == nil || !now.Before(*s.SuspendedUntil))
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
