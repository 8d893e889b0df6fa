// Package seed generates Repère's demo data: fictional structures and services
// spread over the real French communes, deterministic for a given seed.
//
// Everything it writes is fiction: e-mail addresses and web sites are on the
// reserved example.org/.com/.net domains, telephone numbers come from the
// blocks ARCEP reserves for fiction, and the SIRET numbers are random (with a
// valid check digit).
package seed

import (
	"encoding/base32"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// Source is the data·inclusion "source" of every demo record.
const Source = "repere-demo"

// DefaultServices is the number of services of the default dataset.
const DefaultServices = 3000

// ReferenceDay is the day every demo date is counted from when Options.Now
// is not given: records were last updated before it and suspensions end
// after it. A constant, so that the same seed and count give the same
// records whenever they are generated; as real time moves on, more demo
// services show as not confirmed recently.
var ReferenceDay = time.Date(2026, 12, 1, 0, 0, 0, 0, directory.Paris)

// Options tunes the generator.
type Options struct {
	Seed     int64 // the same seed, count, day and geography give the same records, byte for byte
	Services int   // how many services; 0 means DefaultServices
	// Now is the reference for dates. Only its day (Paris time) counts, so
	// that two runs minutes apart agree; zero means ReferenceDay.
	Now time.Time
}

func (o Options) withDefaults() Options {
	if o.Services <= 0 {
		o.Services = DefaultServices
	}
	if o.Now.IsZero() {
		o.Now = ReferenceDay
	}
	y, m, d := o.Now.In(directory.Paris).Date()
	o.Now = time.Date(y, m, d, 0, 0, 0, 0, directory.Paris)
	return o
}

// Generate creates the dataset and calls emit once per structure with its
// services, in a deterministic order. It stops at the first error of emit.
func Generate(g *directory.Geography, opt Options, emit func(*directory.Structure, []*directory.Service) error) error {
	opt = opt.withDefaults()
	gen, err := newGenerator(g, opt)
	if err != nil {
		return err
	}
	remaining := opt.Services
	for _, c := range gen.named() {
		if err := emit(c.structure, c.services); err != nil {
			return err
		}
		remaining -= len(c.services)
	}
	for i := 0; remaining > 0; i++ {
		// The first pass goes through every kind once so that every network
		// appears; then kinds come by weight.
		var k *kind
		if i < len(kinds) {
			k = &kinds[i]
		} else {
			k = &kinds[gen.pickKind()]
		}
		n := k.services[0] + gen.r.IntN(k.services[1]-k.services[0]+1)
		n = min(n, remaining)
		st, services := gen.structure(k, gen.placeStructure(k), n)
		if err := emit(st, services); err != nil {
			return err
		}
		remaining -= n
	}
	return nil
}

type generator struct {
	opt Options
	r   *rand.Rand

	communes   []*directory.Commune // those that can hold a structure
	cumulative []int64              // running population totals over communes
	byRegion   map[string][]int     // indexes into communes, for kinds tied to a région
	byEPCI     map[string][]int
	epcis      map[string]*directory.EPCI
	deps       map[string]*directory.Departement
	regions    map[string]*directory.Region
	regionDeps map[string][]string
	byCode     map[string]*directory.Commune

	kindCumulative []int
	offersByBesoin map[string][]int
	cursor         map[string]int // per category: the next besoin, so every besoin comes up
	publicsCursor  map[string]int

	names     map[string]bool // structure names in use
	slugCache map[string]string
}

func newGenerator(g *directory.Geography, opt Options) (*generator, error) {
	gen := &generator{
		opt:            opt,
		r:              rand.New(rand.NewPCG(uint64(opt.Seed), 0x7265706572652d64)),
		byRegion:       map[string][]int{},
		byEPCI:         map[string][]int{},
		epcis:          map[string]*directory.EPCI{},
		deps:           map[string]*directory.Departement{},
		regions:        map[string]*directory.Region{},
		regionDeps:     map[string][]string{},
		byCode:         map[string]*directory.Commune{},
		offersByBesoin: map[string][]int{},
		cursor:         map[string]int{},
		publicsCursor:  map[string]int{},
		names:          map[string]bool{},
		slugCache:      map[string]string{},
	}
	for i := range g.Regions {
		gen.regions[g.Regions[i].Code] = &g.Regions[i]
	}
	for i := range g.Departements {
		d := &g.Departements[i]
		gen.deps[d.Code] = d
		gen.regionDeps[d.Region] = append(gen.regionDeps[d.Region], d.Code)
	}
	for i := range g.EPCIs {
		gen.epcis[g.EPCIs[i].Code] = &g.EPCIs[i]
	}
	var total int64
	for i := range g.Communes {
		c := &g.Communes[i]
		gen.byCode[c.Code] = c
		// The overseas collectivities (région codes of three digits) have
		// their own social systems, outside the SPIE.
		if c.Population <= 0 || len(c.PostalCodes) == 0 || len(c.Region) != 2 || gen.deps[c.Departement] == nil {
			continue
		}
		idx := len(gen.communes)
		gen.communes = append(gen.communes, c)
		total += int64(c.Population)
		gen.cumulative = append(gen.cumulative, total)
		gen.byRegion[c.Region] = append(gen.byRegion[c.Region], idx)
		if c.EPCI != "" {
			gen.byEPCI[c.EPCI] = append(gen.byEPCI[c.EPCI], idx)
		}
	}
	if len(gen.communes) == 0 {
		return nil, errors.New("seed: the geography has no populated commune")
	}
	sum := 0
	for _, k := range kinds {
		sum += k.weight
		gen.kindCumulative = append(gen.kindCumulative, sum)
	}
	for i, o := range offers {
		gen.offersByBesoin[o.besoin] = append(gen.offersByBesoin[o.besoin], i)
	}
	return gen, nil
}

func (g *generator) pickKind() int {
	n := g.r.IntN(g.kindCumulative[len(g.kindCumulative)-1])
	i, _ := slices.BinarySearch(g.kindCumulative, n+1)
	return i
}

// pickCommune draws a commune weighted by population.
func (g *generator) pickCommune() *directory.Commune {
	n := g.r.Int64N(g.cumulative[len(g.cumulative)-1])
	i, _ := slices.BinarySearch(g.cumulative, n+1)
	return g.communes[i]
}

// pickAmong draws one of the communes at idx weighted by population.
func (g *generator) pickAmong(idx []int) *directory.Commune {
	var total int64
	for _, i := range idx {
		total += int64(g.communes[i].Population)
	}
	n := g.r.Int64N(total)
	for _, i := range idx {
		n -= int64(g.communes[i].Population)
		if n < 0 {
			return g.communes[i]
		}
	}
	return g.communes[idx[len(idx)-1]]
}

// placeStructure picks the commune of a new structure. Departmental and
// regional bodies sit in towns, not villages.
func (g *generator) placeStructure(k *kind) *directory.Commune {
	pick := g.pickCommune
	if idx := g.byRegion[k.region]; k.region != "" && len(idx) > 0 {
		pick = func() *directory.Commune { return g.pickAmong(idx) }
	}
	c := pick()
	if k.scope == directory.ZoneDepartement || k.scope == directory.ZoneRegion || k.scope == directory.ZoneFrance {
		for try := 0; try < 20 && c.Population < 8000; try++ {
			c = pick()
		}
	}
	return c
}

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// newID draws an identifier shaped like directory.NewID's, from the seeded
// generator.
func (g *generator) newID() string {
	var b [10]byte
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	return idEncoding.EncodeToString(b[:])
}

func slug(s string) string { return geo.Slug(s) }

// cachedSlug memoises slug for the names that come back often: offers and
// communes.
func (g *generator) cachedSlug(s string) string {
	v, ok := g.slugCache[s]
	if !ok {
		v = slug(s)
		g.slugCache[s] = v
	}
	return v
}

// fill replaces the name placeholders of a kind for commune c.
func (g *generator) fill(tmpl string, c *directory.Commune) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl
	}
	terr := deCommune(c.Name)
	if e := g.epcis[c.EPCI]; e != nil {
		terr = territory(e.Name)
	}
	dep := g.deps[c.Departement]
	region := ""
	if r := g.regions[c.Region]; r != nil {
		region = r.Name
	}
	return strings.NewReplacer(
		"{commune}", c.Name,
		"{de_commune}", deCommune(c.Name),
		"{a_commune}", aCommune(c.Name),
		"{de_territoire}", terr,
		"{departement}", dep.Name,
		"{de_departement}", deDepartement(dep.Name),
		"{region}", region,
		"{assoc}", pick(g.r, assocNames),
	).Replace(tmpl)
}

// structureName makes the name unique: a second CAF of the Vienne becomes an
// antenna of its commune.
func (g *generator) structureName(k *kind, c *directory.Commune) string {
	name := g.fill(pick(g.r, k.names), c)
	if g.names[name] && !strings.Contains(name, c.Name) {
		name += " – antenne " + deCommune(c.Name)
	}
	if g.names[name] {
		base := name
		for n := 2; g.names[name]; n++ {
			name = base + " – antenne " + strconv.Itoa(n)
		}
	}
	g.names[name] = true
	return name
}

// place is a postal address with its position.
type place struct {
	address, complement string
	commune             *directory.Commune
	lon, lat            *float64
}

func (g *generator) newPlace(c *directory.Commune) place {
	p := place{commune: c}
	num := 1 + g.r.IntN(120)
	p.address = strconv.Itoa(num) + " " + pick(g.r, streets)
	if num < 60 && g.r.IntN(12) == 0 {
		p.address = strconv.Itoa(num) + " bis " + pick(g.r, streets)
	}
	if g.r.IntN(4) == 0 {
		p.complement = pick(g.r, addressComplements)
	}
	if c.Center != nil {
		lon, lat := g.jitter(*c.Center, c.Population)
		p.lon, p.lat = &lon, &lat
	}
	return p
}

// jitter moves a commune centre by up to 2 km (less in villages, whose
// territory is smaller), rounded to 5 decimals (about a metre).
func (g *generator) jitter(center orb.Point, population int) (lon, lat float64) {
	radius := 2.0
	if population < 2000 {
		radius = 0.8
	} else if population < 20000 {
		radius = 1.5
	}
	d := radius * math.Sqrt(g.r.Float64())
	a := 2 * math.Pi * g.r.Float64()
	lat = center.Lat() + d*math.Sin(a)/111.32
	lon = center.Lon() + d*math.Cos(a)/(111.32*math.Cos(center.Lat()*math.Pi/180))
	return round5(lon), round5(lat)
}

func round5(x float64) float64 { return math.Round(x*1e5) / 1e5 }

// moment returns a date within the days days before the reference day,
// during office hours, Paris time. Recent dates are likelier (the age goes
// as the cube of a uniform draw), so that about a third of the services are
// stale. It draws the same numbers whatever the hour: the dataset depends on
// the reference day only.
func (g *generator) moment(days int) time.Time {
	u := g.r.Float64()
	y, m, d := g.opt.Now.AddDate(0, 0, -1-int(float64(days-1)*u*u*u)).Date()
	return time.Date(y, m, d, 8, 0, 0, 0, directory.Paris).Add(time.Duration(g.r.IntN(10*3600)) * time.Second)
}

var tlds = []string{".example.org", ".example.org", ".example.org", ".example.com", ".example.net"}

// structure creates a structure of kind k in commune c with n services.
func (g *generator) structure(k *kind, c *directory.Commune, n int) (*directory.Structure, []*directory.Service) {
	name := g.structureName(k, c)
	s := &directory.Structure{
		ID:          g.newID(),
		Source:      Source,
		Name:        name,
		CodeInsee:   c.Code,
		PostalCode:  c.PostalCodes[0],
		CommuneName: c.Name,
		Networks:    slices.Clone(k.networks),
		Provenance:  directory.Provenance{Kind: "demo", Origin: "seed=" + strconv.FormatInt(g.opt.Seed, 10)},
	}
	p := g.newPlace(c)
	s.Address, s.AddressComplement, s.Longitude, s.Latitude = p.address, p.complement, p.lon, p.lat
	if g.r.IntN(100) < 85 {
		s.SIRET = siret(g.r, k.siren)
	}
	s.Description = k.about + " " + pick(g.r, structureSentences)

	label := k.domain
	if label != "" {
		label += "-" + g.cachedSlug(c.Name)
	} else {
		label = slug(name)
	}
	domain := domainLabel(label) + pick(g.r, tlds)
	area := phoneArea(c.Region)
	if g.r.IntN(10) > 0 {
		s.Phone = phone(g.r, area)
	}
	s.Email = pick(g.r, []string{"contact", "accueil", "secretariat"}) + "@" + domain
	if g.r.IntN(10) < 6 {
		s.Website = "https://www." + domain
	}
	if g.r.IntN(7) == 0 {
		s.AccessibilityLink = "https://acceslibre.example.org/erp/" + s.ID + "/"
	}
	if g.r.IntN(10) > 0 {
		s.OpeningHours = pick(g.r, hours)
	}
	s.UpdatedAt = g.moment(540)
	s.CreatedAt = s.UpdatedAt.Add(-time.Duration(g.r.IntN(1100*24)) * time.Hour)
	s.Version = 1 + int64(g.r.IntN(4))

	services := make([]*directory.Service, 0, n)
	used := map[int]bool{}
	for range n {
		o := g.pickOffer(k, used)
		services = append(services, g.service(s, k, p, area, domain, o))
	}
	return s, services
}

// pickOffer chooses an offer of kind k, avoiding the ones the structure
// already runs when it can.
func (g *generator) pickOffer(k *kind, used map[int]bool) int {
	var o int
	for try := 0; try < 4; try++ {
		besoin := pick(g.r, k.offers)
		if !strings.Contains(besoin, "--") {
			list := directory.Besoins(besoin)
			besoin = list[g.cursor[besoin]%len(list)]
			g.cursor[strings.SplitN(besoin, "--", 2)[0]]++
		}
		o = pick(g.r, g.offersByBesoin[besoin])
		if !used[o] {
			break
		}
	}
	used[o] = true
	return o
}
