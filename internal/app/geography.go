package app

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"os"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

func geoSource(spec string) geo.Source {
	if strings.HasPrefix(spec, "http://") || strings.HasPrefix(spec, "https://") {
		return geo.API(spec, nil)
	}
	return geo.Dir(spec)
}

// ImportGeography loads and checks the whole source before writing anything,
// so a bad file leaves the current geography in place. Importing the same
// data again changes nothing; force writes it all the same.
func (m *Main) ImportGeography(ctx context.Context, force bool) error {
	start := time.Now()
	fmt.Fprintf(os.Stderr, "Géographie : lecture de %s\n", m.Config.GeoSource)
	g, err := geo.Load(ctx, geoSource(m.Config.GeoSource))
	if err != nil {
		return fmt.Errorf("import de la géographie : %w", err)
	}
	fmt.Fprintf(os.Stderr, "  %d communes, %d EPCI, %d départements, %d régions lus en %.1f s\n",
		len(g.Communes), len(g.EPCIs), len(g.Departements), len(g.Regions), time.Since(start).Seconds())
	sum := geographyHash(g)
	if cur, err := m.Store.Geography(ctx); err == nil && cur.Hash == sum && !force {
		fmt.Fprintln(os.Stderr, "  déjà à jour : rien à écrire")
		return nil
	}
	p := m.progress(ctx)
	if err := m.Store.SaveGeography(ctx, g, sum, p.update); err != nil {
		return fmt.Errorf("import de la géographie : %w", err)
	}
	fmt.Fprintf(os.Stderr, "Géographie importée en %.1f s\n", time.Since(start).Seconds())
	return nil
}

// geographyHash fingerprints the content, whatever the source's formatting.
func geographyHash(g *directory.Geography) string {
	h := sha256.New()
	str := func(ss ...string) {
		for _, s := range ss {
			h.Write([]byte(s))
			h.Write([]byte{0})
		}
	}
	for _, r := range g.Regions {
		str(r.Code, r.Name)
	}
	for _, d := range g.Departements {
		str(d.Code, d.Name, d.Region)
	}
	for _, e := range g.EPCIs {
		str(e.Code, e.Name, fmt.Sprint(e.Population, e.Departements, e.Regions))
	}
	for _, f := range g.Former {
		str(f.Code, f.Name, f.Commune)
	}
	for i := range g.Communes {
		c := &g.Communes[i]
		str(c.Code, c.Name, c.SIREN, c.EPCI, c.Departement, c.Region, fmt.Sprint(c.Population, c.PostalCodes))
		if c.Center != nil {
			writePoint(h, *c.Center)
		}
		if c.Contour != nil {
			orbPoints(c.Contour, func(p orb.Point) { writePoint(h, p) })
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writePoint(h hash.Hash, p orb.Point) {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], math.Float64bits(p[0]))
	binary.LittleEndian.PutUint64(b[8:], math.Float64bits(p[1]))
	h.Write(b[:])
}

func orbPoints(g orb.Geometry, fn func(orb.Point)) {
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			for _, p := range r {
				fn(p)
			}
		}
	case orb.MultiPolygon:
		for _, poly := range g {
			orbPoints(poly, fn)
		}
	}
}
