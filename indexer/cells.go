package indexer

import (
	"math"
	"strconv"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/geo"
)

// On-site services carry the grid cells of their place as filter terms, at
// two sizes. A search selects the cells that may hold points within its
// radius, a cheap term disjunction, and checks the exact distance on the place
// kept in the keys doc values (keyPlace). bleve's geo distance query finds the
// same set but spent about 3 ms per query computing its cell ranges at 100k
// services, the whole budget of a commune search.
type gridLevel struct {
	prefix     string
	dLat, dLon float64 // degrees
}

var gridLevels = []gridLevel{
	{"g1=", 0.25, 0.35},     // about 28 × 27 km in metropolitan France
	{"g2=", 0.0625, 0.0875}, // about 7 × 7 km
}

// maxCoverCells bounds the cells of a search; the finest level within the
// bound is used.
const maxCoverCells = 30

func cellIndex(v, d, origin float64) int { return int(math.Floor((v - origin) / d)) }

func cellTerm(l gridLevel, i, j int) string {
	return l.prefix + strconv.Itoa(i) + "," + strconv.Itoa(j)
}

// cellTerms returns the cells of p, one per level.
func cellTerms(p orb.Point) []string {
	var out []string
	for _, l := range gridLevels {
		out = append(out, cellTerm(l, cellIndex(p[1], l.dLat, -90), cellIndex(p[0], l.dLon, -180)))
	}
	return out
}

// coverTerms returns the cells of one level that hold every point within
// radius metres of center.
func coverTerms(center orb.Point, radius float64) []string {
	lat, lon := center[1], center[0]
	dLat := radius / 111_000 // a degree of latitude is 111.2 km on the sphere of geo.Distance
	maxLat := math.Min(89, math.Abs(lat)+dLat)
	dLon := math.Min(180, radius/(111_000*math.Cos(maxLat*math.Pi/180)))
	var best []string
	for _, l := range gridLevels {
		i0, i1 := cellIndex(lat-dLat, l.dLat, -90), cellIndex(lat+dLat, l.dLat, -90)
		j0, j1 := cellIndex(lon-dLon, l.dLon, -180), cellIndex(lon+dLon, l.dLon, -180)
		if best != nil && (i1-i0+1)*(j1-j0+1) > maxCoverCells {
			break
		}
		var terms []string
		for i := i0; i <= i1; i++ {
			for j := j0; j <= j1; j++ {
				// The point of the cell nearest to the centre decides.
				south, west := -90+float64(i)*l.dLat, -180+float64(j)*l.dLon
				nLat := math.Max(south, math.Min(lat, south+l.dLat))
				nLon := math.Max(west, math.Min(lon, west+l.dLon))
				if geo.Distance(center, orb.Point{nLon, nLat}) <= radius*1.01 {
					terms = append(terms, cellTerm(l, i, j))
				}
			}
		}
		best = terms
	}
	return best
}
