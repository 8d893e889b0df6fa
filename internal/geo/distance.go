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

// A Disc is the points within a radius of a centre, tested many times:
// a search around a commune tests every service in the cells near its
// centre, most of them beyond the radius. It answers as Distance(centre,
// p) <= radius does, to the bit, but refuses most far points from their
// latitude alone and the others without the arc sine, which Distance only
// computes for the points within.
type Disc struct {
	center     orb.Point
	radius     float64
	lat1, cos1 float64 // of the centre, in radians
	maxDLat    float64 // a latitude difference beyond it is beyond the radius
	maxH       float64 // a haversine beyond it is beyond the radius
	// Inside's ellipse: dLat² + lonWeight·dLon² <= inner (radians).
	lonWeight, inner float64
}

// slack keeps the shortcuts on the safe side of rounding errors (about
// 1e-16 relative): a point within slack of the radius is measured.
const slack = 1e-9

// NewDisc returns the disc of radius metres around center.
func NewDisc(center orb.Point, radius float64) Disc {
	lat1 := center[1] * radians
	d := Disc{center: center, radius: radius, lat1: lat1, cos1: math.Cos(lat1),
		maxDLat: radius / EarthRadius * (1 + slack), maxH: 1}
	if half := radius / (2 * EarthRadius); half < math.Pi/2 {
		s := math.Sin(half)
		d.maxH = s * s * (1 + slack)
		// As |sin x| <= |x|, the haversine is at most dLat²/4 +
		// cos(lat1)·cos(lat2)·dLon²/4, and within the radius cos(lat2) is
		// at most the cosine at the latitude of the disc nearest the
		// equator.
		d.lonWeight = d.cos1 * math.Cos(max(0, math.Abs(lat1)-d.maxDLat))
		d.inner = 4 * s * s * (1 - slack)
	}
	return d
}

// Inside reports that p is certainly within the radius, without
// trigonometry: true for most points within, false for some near the edge
// (and across the antimeridian), which Within then decides.
func (d *Disc) Inside(p orb.Point) bool {
	dLat := (p[1] - d.center[1]) * radians
	dLon := (p[0] - d.center[0]) * radians
	return dLat*dLat+d.lonWeight*dLon*dLon <= d.inner
}

// Within returns Distance(center, p) and whether it is at most the radius;
// the distance is only computed when it is.
func (d *Disc) Within(p orb.Point) (float64, bool) {
	lat2 := p[1] * radians
	// The great-circle distance is at least the difference of latitudes.
	if math.Abs(lat2-d.lat1) > d.maxDLat {
		return 0, false
	}
	// As Distance, but for the cosine of the centre's latitude, the same.
	sLat := math.Sin((lat2 - d.lat1) / 2)
	sLon := math.Sin((p[0] - d.center[0]) * radians / 2)
	h := sLat*sLat + d.cos1*math.Cos(lat2)*sLon*sLon
	if h > d.maxH {
		return 0, false
	}
	dist := 2 * EarthRadius * math.Asin(math.Sqrt(min(h, 1)))
	return dist, dist <= d.radius
}
