package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

func TestDistance(t *testing.T) {
	arc := func(degrees float64) float64 { return EarthRadius * degrees * math.Pi / 180 }
	cases := []struct {
		name string
		a, b orb.Point
		want float64 // metres
	}{
		{"same point", orb.Point{0.546, 46.817}, orb.Point{0.546, 46.817}, 0},
		// Along a meridian or the equator, the great circle is the arc.
		{"one degree of latitude", orb.Point{0.5, 46}, orb.Point{0.5, 47}, arc(1)},
		{"a hundredth of a degree of latitude overseas", orb.Point{55.45, -20.88}, orb.Point{55.45, -20.89}, arc(0.01)},
		{"one degree of longitude on the equator", orb.Point{-52, 0}, orb.Point{-53, 0}, arc(1)},
		// Along a parallel the great circle is shorter than the parallel:
		// 2R·asin(cos φ·sin(Δλ/2)).
		{"one degree of longitude at 60°N", orb.Point{10, 60}, orb.Point{11, 60}, 2 * EarthRadius * math.Asin(0.5*math.Sin(0.5*math.Pi/180))},
		{"antipodes", orb.Point{0, 45}, orb.Point{180, -45}, math.Pi * EarthRadius},
	}
	for _, c := range cases {
		if got := Distance(c.a, c.b); math.Abs(got-c.want) > 1e-6*math.Max(1, c.want) {
			t.Errorf("%s: %.4f m, want %.4f m", c.name, got, c.want)
		}
		if back := Distance(c.b, c.a); back != Distance(c.a, c.b) {
			t.Errorf("%s: not symmetric", c.name)
		}
	}
}

// A disc answers as Distance does, to the bit, including for points on its
// edge, and gives the same distance for the points within.
func TestDiscAsDistance(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	centres := []orb.Point{{2.35, 48.86}, {55.45, -20.88}, {-52.3, 4.9}, {0.34, 46.58}, {179.9, 0}, {10, 89.9}}
	within, refused := 0, 0
	within4, inside4 := 0, 0 // with the fourth radius, not at the point
	for _, c := range centres {
		for range 20000 {
			p := orb.Point{c[0] + (r.Float64()-0.5)*2, c[1] + (r.Float64()-0.5)*1.2}
			p[1] = max(-90, min(90, p[1]))
			want := Distance(c, p)
			radii := []float64{want, math.Nextafter(want, 0), math.Nextafter(want, math.Inf(1)), 1000 + r.Float64()*60000}
			for i, radius := range radii {
				d := NewDisc(c, radius)
				dist, ok := d.Within(p)
				if d.Inside(p) {
					if want > radius {
						t.Fatalf("centre %v, point %v, radius %v: inside, Distance %v", c, p, radius, want)
					}
					if i == 3 {
						inside4++
					}
				}
				if i == 3 && want <= radius {
					within4++
				}
				if ok != (want <= radius) {
					t.Fatalf("centre %v, point %v, radius %v: within %v, Distance %v", c, p, radius, ok, want)
				}
				if ok && dist != want {
					t.Fatalf("centre %v, point %v: distance %v, Distance %v", c, p, dist, want)
				}
				if ok {
					within++
				} else {
					refused++
				}
			}
		}
	}
	if within < 10000 || refused < 10000 {
		t.Errorf("%d points within, %d beyond: the cases do not test both sides", within, refused)
	}
	// At the radius or one ulp inside, only Within can tell; Inside must
	// take nearly all the points within a radius drawn apart from them.
	if inside4 < within4*95/100 {
		t.Errorf("%d of %d points within found inside", inside4, within4)
	}
}
