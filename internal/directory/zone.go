package directory

import "strings"

// ZoneKind is the kind of territory a zone code designates.
type ZoneKind string

const (
	ZoneCommune     ZoneKind = "commune"     // INSEE code, 5 characters
	ZoneEPCI        ZoneKind = "epci"        // SIREN, 9 digits
	ZoneDepartement ZoneKind = "departement" // 2 or 3 characters
	ZoneRegion      ZoneKind = "region"      // 2 digits
	ZoneFrance      ZoneKind = "france"      // no code
)

// Zone is one territory of a service's zone_eligibilite. The kind is explicit
// because région and département codes overlap ("75" is Paris and
// Nouvelle-Aquitaine, "01" is Ain and Guadeloupe).
type Zone struct {
	Kind ZoneKind `bson:"type"`
	Code string   `bson:"code,omitempty"`
}

// France is the nationwide zone.
var France = Zone{Kind: ZoneFrance}

// Key is the zone's unambiguous string form, "kind:code" ("france" alone); it
// is what the search index stores and what forms and URLs carry.
func (z Zone) Key() string {
	if z.Kind == ZoneFrance {
		return string(ZoneFrance)
	}
	return string(z.Kind) + ":" + z.Code
}

// ParseZoneKey is the inverse of Key. It checks the shape of the code, not
// that the territory exists.
func ParseZoneKey(s string) (Zone, bool) {
	if s == string(ZoneFrance) {
		return France, true
	}
	kind, code, ok := strings.Cut(s, ":")
	if !ok {
		return Zone{}, false
	}
	z := Zone{Kind: ZoneKind(kind), Code: code}
	switch z.Kind {
	case ZoneCommune:
		ok = len(code) == 5 && alnum(code)
	case ZoneEPCI:
		ok = len(code) == 9 && digits(code)
	case ZoneDepartement:
		ok = (len(code) == 2 || len(code) == 3) && alnum(code)
	case ZoneRegion:
		ok = len(code) == 2 && digits(code)
	default:
		ok = false
	}
	return z, ok
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return s != ""
}
