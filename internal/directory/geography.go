package directory

import "github.com/paulmach/orb"

// Commune is a French commune as published by geo.api.gouv.fr (COG).
type Commune struct {
	Code        string // INSEE code, e.g. "86066"
	Name        string
	PostalCodes []string
	SIREN       string
	EPCI        string // SIREN of its EPCI, "" when none
	Departement string
	Region      string
	Population  int
	Center      *orb.Point   // nil for the overseas collectivities without a centre
	Contour     orb.Geometry // orb.Polygon or orb.MultiPolygon; nil when unknown
}

// EPCI is an établissement public de coopération intercommunale.
type EPCI struct {
	Code         string // SIREN, 9 digits
	Name         string
	Departements []string
	Regions      []string
	Population   int
}

// Departement is a French département.
type Departement struct {
	Code   string
	Name   string
	Region string
}

// Region is a French région.
type Region struct {
	Code string
	Name string
}

// FormerCommune is a commune merged into another (a commune associée or
// déléguée): its INSEE code still names a place, today's commune.
type FormerCommune struct {
	Code    string
	Name    string
	Commune string // INSEE code of today's commune
}

// Geography is a complete, consistent snapshot of the reference.
type Geography struct {
	Communes     []Commune
	EPCIs        []EPCI
	Departements []Departement
	Regions      []Region
	Former       []FormerCommune
}

// Label names a commune with its département: "Poitiers (86)".
func (c *Commune) Label() string { return c.Name + " (" + c.Departement + ")" }

// Label names a département with its code: "Vienne (86)".
func (d *Departement) Label() string { return d.Name + " (" + d.Code + ")" }
