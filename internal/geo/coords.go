package geo

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/paulmach/orb"
)

// pointSlab hands out rings carved from large shared arrays: 1.2 million
// contour points then cost their 16 bytes each, without the spare capacity
// and per-ring allocations of decoding into nested slices.
type pointSlab struct {
	buf     []orb.Point
	scratch []orb.Point
}

const slabSize = 1 << 16

func (s *pointSlab) ring(pts []orb.Point) orb.Ring {
	if cap(s.buf)-len(s.buf) < len(pts) {
		s.buf = make([]orb.Point, 0, max(slabSize, len(pts)))
	}
	start := len(s.buf)
	s.buf = append(s.buf, pts...)
	return orb.Ring(s.buf[start:len(s.buf):len(s.buf)])
}

// coordParser reads GeoJSON coordinates from text the JSON decoder has
// already checked for syntax, so it only checks shapes and values.
type coordParser struct {
	b    []byte
	i    int
	slab *pointSlab
}

// parseGeometry decodes a Polygon or MultiPolygon, checking that every
// position has two coordinates in range and every ring is closed.
func parseGeometry(typ string, coords []byte, slab *pointSlab) (orb.Geometry, error) {
	p := &coordParser{b: coords, slab: slab}
	var g orb.Geometry
	var err error
	switch typ {
	case "Polygon":
		g, err = p.polygon()
	case "MultiPolygon":
		var mp orb.MultiPolygon
		err = p.list(func(i int) error {
			poly, err := p.polygon()
			if err != nil {
				return fmt.Errorf("polygon %d: %w", i, err)
			}
			mp = append(mp, poly)
			return nil
		})
		if err == nil && len(mp) == 0 {
			err = errors.New("multipolygon without polygons")
		}
		g = mp
	default:
		return nil, fmt.Errorf("geometry type %q is not Polygon or MultiPolygon", typ)
	}
	if err != nil {
		return nil, err
	}
	if p.skipSpace(); p.i != len(p.b) {
		return nil, errors.New("unexpected data after coordinates")
	}
	return g, nil
}

func (p *coordParser) polygon() (orb.Polygon, error) {
	var poly orb.Polygon
	err := p.list(func(i int) error {
		r, err := p.ring()
		if err != nil {
			return fmt.Errorf("ring %d: %w", i, err)
		}
		poly = append(poly, r)
		return nil
	})
	if err == nil && len(poly) == 0 {
		err = errors.New("polygon without rings")
	}
	return poly, err
}

func (p *coordParser) ring() (orb.Ring, error) {
	pts := p.slab.scratch[:0]
	err := p.list(func(i int) error {
		var pt orb.Point
		n := 0
		err := p.list(func(int) error {
			if n == 2 {
				return errors.New("more than two coordinates")
			}
			v, err := p.number()
			pt[n] = v
			n++
			return err
		})
		if err == nil && n != 2 {
			err = errors.New("fewer than two coordinates")
		}
		if err == nil && !inRange(pt) {
			err = errors.New("coordinates out of range")
		}
		if err != nil {
			return fmt.Errorf("position %d: %w", i, err)
		}
		pts = append(pts, pt)
		return nil
	})
	p.slab.scratch = pts
	if err != nil {
		return nil, err
	}
	if len(pts) < 4 {
		return nil, fmt.Errorf("%d positions, a ring needs at least 4", len(pts))
	}
	if pts[0] != pts[len(pts)-1] {
		return nil, errors.New("ring not closed")
	}
	return p.slab.ring(pts), nil
}

// list reads "[ elem, elem, ... ]", calling elem for each element.
func (p *coordParser) list(elem func(i int) error) error {
	if p.skipSpace(); p.i >= len(p.b) || p.b[p.i] != '[' {
		return errors.New("expected an array")
	}
	p.i++
	for i := 0; ; i++ {
		if p.skipSpace(); p.i < len(p.b) && p.b[p.i] == ']' && i == 0 {
			p.i++
			return nil
		}
		if err := elem(i); err != nil {
			return err
		}
		if p.skipSpace(); p.i >= len(p.b) {
			return errors.New("unterminated array")
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return nil
		default:
			return errors.New("expected ',' or ']'")
		}
	}
}

func (p *coordParser) number() (float64, error) {
	p.skipSpace()
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			p.i++
			continue
		}
		break
	}
	if start == p.i {
		return 0, errors.New("expected a number")
	}
	return strconv.ParseFloat(string(p.b[start:p.i]), 64)
}

func (p *coordParser) skipSpace() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}
