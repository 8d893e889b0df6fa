package directory

import "time"

// Structure is an organisation offering services (data·inclusion v1
// "structure"), plus Repère's own bookkeeping fields.
type Structure struct {
	ID     string `bson:"_id"`
	Source string `bson:"source"` // data·inclusion "source": the producer of the record

	Name              string   `bson:"nom"`
	SIRET             string   `bson:"siret,omitempty"`
	Description       string   `bson:"description,omitempty"` // (Markdown)
	Address           string   `bson:"adresse,omitempty"`
	AddressComplement string   `bson:"complement_adresse,omitempty"`
	PostalCode        string   `bson:"code_postal,omitempty"`
	CodeInsee         string   `bson:"code_insee,omitempty"`
	CommuneName       string   `bson:"commune,omitempty"`
	Longitude         *float64 `bson:"longitude,omitempty"`
	Latitude          *float64 `bson:"latitude,omitempty"`
	Phone             string   `bson:"telephone,omitempty"` // E.164
	Email             string   `bson:"courriel,omitempty"`
	Website           string   `bson:"site_web,omitempty"`
	SourceLink        string   `bson:"lien_source,omitempty"`
	AccessibilityLink string   `bson:"accessibilite_lieu,omitempty"`
	OpeningHours      string   `bson:"horaires_accueil,omitempty"` // OSM opening_hours syntax
	Networks          []string `bson:"reseaux_porteurs"`

	Version    int64      `bson:"version"`
	CreatedAt  time.Time  `bson:"cree_le"`
	UpdatedAt  time.Time  `bson:"maj_le"` // exported as date_maj
	Provenance Provenance `bson:"provenance"`
}
