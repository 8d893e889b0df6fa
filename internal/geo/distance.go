package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// EarthRadius is the mean radius of the Earth (IUGG), in metres. Every
// distance Repère filters, sorts or shows is measured on this one sphere:
// orb's and bleve's radii (equatorial, or varying with the latitude) would
// put a service on both sides of a radius depending on who measured.
const EarthRadius = 6_371_008.8

const radians = math.Pi / 180

// Distance returns the great-circle distance between two [longitude,
// latitude] points, in metres (haversine formula on a sphere of
// EarthRadius; exact for the sphere at every distance, antipodes included).
func Distance(a, b orb.Point) float64 {
	lat1, lat2 := a[1]*radians, b[1]*radians
	sLat := math.Sin((lat2 - lat1) / 2)
	sLon := math.Sin((b[0] - a[0]) * radians / 2)
	h := sLat*sLat + math.Cos(lat1)*math.Cos(lat2)*sLon*sLon
	return 2 * EarthRadius * math.Asin(math.Sqrt(min(h, 1)))
}
