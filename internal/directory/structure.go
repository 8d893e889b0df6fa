package directory

import "time"

// Structure is an organisation offering services (data·inclusion v1
// "structure"), plus Repère's own bookkeeping fields.
type Structure struct {
	ID     string
	Slug   string
	Source string // data·inclusion "source": the producer of the record

	Name              string   // nom
	SIRET             string   // siret
	Description       string   // description (Markdown)
	Address           string   // adresse
	AddressComplement string   // complement_adresse
	PostalCode        string   // code_postal
	CodeInsee         string   // code_insee
	CommuneName       string   // commune
	Longitude         *float64 // longitude
	Latitude          *float64 // latitude
	Phone             string   // telephone, E.164
	Email             string   // courriel
	Website           string   // site_web
	SourceLink        string   // lien_source
	AccessibilityLink string   // accessibilite_lieu
	OpeningHours      string   // horaires_accueil, OSM opening_hours syntax
	Networks          []string // reseaux_porteurs

	Version    int64
	CreatedAt  time.Time
	UpdatedAt  time.Time // exported as date_maj
	Provenance Provenance
}
