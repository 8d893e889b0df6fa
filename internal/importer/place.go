package importer

import (
	"context"
	"strings"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// GeoQuery is an address to place on the map.
type GeoQuery struct {
	Address, PostalCode, CodeInsee, CommuneName string
	// Set by the geocoder when it found the address.
	Lon, Lat  float64
	Precision string // directory.PositionAddress or PositionStreet
	Found     bool
}

// Geocoder places addresses: the national address base (BAN) when
// configured. Geocode fills the queries it can place and leaves the others.
type Geocoder interface {
	Geocode(ctx context.Context, qs []*GeoQuery) error
}

// place is what the pipeline knows of where a record is.
type place struct {
	address, complement, postal, code, name *string
	lon, lat                                **float64
	position                                *string
}

func servicePlace(s *directory.Service) place {
	return place{&s.Address, &s.AddressComplement, &s.PostalCode, &s.CodeInsee, &s.CommuneName, &s.Longitude, &s.Latitude, &s.Provenance.Position}
}

func structurePlace(s *directory.Structure) place {
	return place{&s.Address, &s.AddressComplement, &s.PostalCode, &s.CodeInsee, &s.CommuneName, &s.Longitude, &s.Latitude, &s.Provenance.Position}
}

func (p place) hasPoint() bool { return *p.lon != nil && *p.lat != nil }

// resolveCommune finds the commune of a record from what the source gives,
// in order of trust: a current INSEE code (arrondissements give their
// commune); the postal code and the commune name (folded: "LILLE",
// "Villeneuve d Ascq"); the commune whose outline holds the coordinates (old
// merged codes, misspelt names); the postal code alone when it has a single
// commune; the name alone when unique in France.
func resolveCommune(gaz *geo.Gazetteer, code, postal, name string, lon, lat *float64) *directory.Commune {
	code = strings.ToUpper(strings.TrimSpace(code))
	if c, ok := gaz.Commune(code); ok {
		return c
	}
	folded := geo.Fold(name)
	var byPostal []*directory.Commune
	if directory.CheckPostalCode(postal) == nil {
		byPostal = gaz.Resolve(postal)
		for _, c := range byPostal {
			if folded != "" && geo.Fold(c.Name) == folded {
				return c
			}
		}
	}
	if lon != nil && lat != nil {
		if c, ok := gaz.At(orb.Point{*lon, *lat}); ok {
			return c
		}
	}
	if len(byPostal) == 1 {
		return byPostal[0]
	}
	if folded != "" {
		byName := gaz.Resolve(name)
		if len(byName) > 1 && len(byPostal) > 0 {
			// Several communes of that name: the one in the postal code's département.
			var same []*directory.Commune
			for _, c := range byName {
				if c.Departement == byPostal[0].Departement {
					same = append(same, c)
				}
			}
			byName = same
		}
		if len(byName) == 1 {
			return byName[0]
		}
	}
	if len(byPostal) > 1 && folded != "" {
		// "Villeneuve d'Ascq" spelt "VILLENEUVE D ASCQ CEDEX": a commune of
		// the postal code whose name starts the given one.
		for _, c := range byPostal {
			if strings.HasPrefix(folded, geo.Fold(c.Name)) {
				return c
			}
		}
	}
	return nil
}

// locate fills the commune fields of a record (code, official name, postal
// code when missing) and, without coordinates, the centre of the commune;
// it returns false when the commune cannot be found. Coordinates given by
// the source are kept. Addresses without coordinates are collected for the
// geocoder first (see geocode), so locate only falls back to the centre.
func locate(gaz *geo.Gazetteer, p place) bool {
	c := resolveCommune(gaz, *p.code, *p.postal, *p.name, *p.lon, *p.lat)
	if c == nil {
		return false
	}
	*p.code, *p.name = c.Code, c.Name
	if *p.postal == "" && len(c.PostalCodes) > 0 {
		*p.postal = c.PostalCodes[0]
	}
	switch {
	case p.hasPoint():
		if *p.position == "" {
			*p.position = directory.PositionSource
		}
	case c.Center != nil:
		lon, lat := c.Center.X(), c.Center.Y()
		*p.lon, *p.lat, *p.position = &lon, &lat, directory.PositionCommune
	}
	return true
}
