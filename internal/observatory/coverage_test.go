package observatory

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// testGeography is a small hand-built geography: a grid of 20 communes in
// the Vienne (86), six in the Deux-Sèvres (79) some 40 km west, four in the
// Indre-et-Loire (37) 80 km north, and one commune without a centre. One
// EPCI spans 86 and 79, as a few real ones span two départements.
func testGeography() *directory.Geography {
	g := &directory.Geography{
		Regions:      []directory.Region{{Code: "75", Name: "Nouvelle-Aquitaine"}, {Code: "24", Name: "Centre-Val de Loire"}},
		Departements: []directory.Departement{{Code: "37", Name: "Indre-et-Loire", Region: "24"}, {Code: "79", Name: "Deux-Sèvres", Region: "75"}, {Code: "86", Name: "Vienne", Region: "75"}},
		EPCIs: []directory.EPCI{
			{Code: "200000001", Name: "CU du Nord", Departements: []string{"86"}, Regions: []string{"75"}},
			{Code: "200000002", Name: "CC des Deux Rives", Departements: []string{"79", "86"}, Regions: []string{"75"}},
			{Code: "200000003", Name: "CC de Touraine", Departements: []string{"37"}, Regions: []string{"24"}},
		},
	}
	add := func(code, dep, reg, epci string, lon, lat float64, pop int) {
		c := directory.Commune{Code: code, Name: "Commune " + code, Departement: dep, Region: reg, EPCI: epci, Population: pop}
		if lon != 0 || lat != 0 {
			c.Center = &orb.Point{lon, lat}
		}
		g.Communes = append(g.Communes, c)
	}
	for i := range 20 {
		epci := "200000001"
		if i >= 10 {
			epci = "200000002"
		}
		add(fmt.Sprintf("860%02d", i+1), "86", "75", epci, 0.20+0.08*float64(i%5), 46.50+0.05*float64(i/5), 200+137*i)
	}
	for i := range 6 {
		epci := ""
		if i < 2 {
			epci = "200000002"
		}
		add(fmt.Sprintf("790%02d", i+1), "79", "75", epci, -0.35+0.07*float64(i%3), 46.52+0.06*float64(i/3), 500+91*i)
	}
	for i := range 4 {
		add(fmt.Sprintf("370%02d", i+1), "37", "24", "200000003", 0.45+0.06*float64(i), 47.25, 900+50*i)
	}
	add("86099", "86", "75", "", 0, 0, 300) // no centre
	return g
}

// testThemes are the thématiques the test services use; every column they
// select is checked, with one no service has.
var testThemes = []string{
	"mobilite--preparer-un-permis", "mobilite--entretenir-reparer-son-vehicule", "famille--garde-denfants", "numerique",
}

// testServices returns n random services over g: every mix of zones,
// reception modes and places, with drafts and suspensions.
func testServices(g *directory.Geography, n int, now time.Time, seed uint64) []*directory.Service {
	rnd := rand.New(rand.NewPCG(seed, 1))
	zone := func(home *directory.Commune) directory.Zone {
		switch rnd.IntN(7) {
		case 5:
			return directory.Zone{Kind: directory.ZoneCommune, Code: home.Code}
		case 0:
			return directory.France
		case 1:
			return directory.Zone{Kind: directory.ZoneRegion, Code: g.Regions[rnd.IntN(len(g.Regions))].Code}
		case 2:
			return directory.Zone{Kind: directory.ZoneDepartement, Code: g.Departements[rnd.IntN(len(g.Departements))].Code}
		case 3:
			return directory.Zone{Kind: directory.ZoneEPCI, Code: g.EPCIs[rnd.IntN(len(g.EPCIs))].Code}
		}
		return directory.Zone{Kind: directory.ZoneCommune, Code: g.Communes[rnd.IntN(len(g.Communes))].Code}
	}
	var out []*directory.Service
	for i := range n {
		home := g.Communes[rnd.IntN(len(g.Communes)-1)]
		s := &directory.Service{
			ID: fmt.Sprintf("svc-%03d", i), Name: fmt.Sprintf("Service %d", i), Description: "Un service de test.",
			Status: directory.StatusPublished, Version: 1, CodeInsee: home.Code, CommuneName: home.Name,
			UpdatedAt: now.Add(-time.Hour), CreatedAt: now.Add(-time.Hour),
		}
		for _, t := range testThemes {
			if rnd.IntN(3) == 0 {
				s.Thematiques = append(s.Thematiques, t)
			}
		}
		if len(s.Thematiques) == 0 {
			s.Thematiques = []string{testThemes[rnd.IntN(len(testThemes))]}
		}
		switch m := rnd.IntN(10); {
		case m < 5:
			s.ReceptionModes = []string{"en-presentiel"}
		case m < 7:
			s.ReceptionModes = []string{"a-distance"}
		default:
			s.ReceptionModes = []string{"en-presentiel", "a-distance"}
		}
		switch p := rnd.IntN(10); {
		case p == 0: // a few on-site services have no position
		case p < 7 && home.Center != nil: // most near their commune
			lon := home.Center[0] + (rnd.Float64()-0.5)*0.3
			lat := home.Center[1] + (rnd.Float64()-0.5)*0.2
			s.Longitude, s.Latitude = &lon, &lat
		default: // some anywhere, some beyond 50 km
			lon := 0.40 + (rnd.Float64()-0.5)*1.6
			lat := 46.65 + (rnd.Float64()-0.5)*1.4
			s.Longitude, s.Latitude = &lon, &lat
		}
		for range rnd.IntN(3) { // none: the service's own commune
			s.EligibilityZone = append(s.EligibilityZone, zone(&home))
		}
		switch rnd.IntN(12) {
		case 0:
			s.Status = directory.StatusDraft
		case 1:
			until := now.Add(24 * time.Hour)
			s.SuspendedUntil = &until
		case 2:
			until := now.Add(-24 * time.Hour) // ended
			s.SuspendedUntil = &until
		}
		out = append(out, s)
	}
	return out
}

// fixedSource reads an index at a fixed revision, the clock of the test.
func openTestIndex(t *testing.T, g *directory.Geography, svcs []*directory.Service) *indexer.Index {
	t.Helper()
	ix, err := indexer.Open(t.TempDir(), geo.NewGazetteer(g))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	for _, s := range svcs {
		if err := ix.Put(s, nil); err != nil {
			t.Fatal(err)
		}
	}
	return ix
}

// searchCell runs the real search for a commune, a column and a radius and
// splits what it finds as a searcher reads it: the services shown with a
// distance within the radius are on site, the others reach the commune at a
// distance.
func searchCell(t *testing.T, ix *indexer.Index, c *directory.Commune, col string, km int, now time.Time) (onSite, remote int) {
	t.Helper()
	for page := 1; ; page++ {
		res, err := ix.Search(context.Background(), directory.SearchQuery{
			Commune: c, RadiusKm: km, Thematiques: []string{col}, Page: page, Size: directory.MaxSearchSize, Now: now,
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if h.DistanceMeters != nil && *h.DistanceMeters <= float64(km)*1000 {
				onSite++
			} else {
				remote++
			}
		}
		if page*directory.MaxSearchSize >= res.Total {
			return onSite, remote
		}
	}
}

// testColumns are the columns the test checks: those of testThemes, their
// categories, and one column no service has.
func testColumns(t *testing.T) []int {
	var cols []int
	add := func(v string) {
		c, ok := ColumnOf(v)
		if !ok {
			t.Fatalf("no column %s", v)
		}
		if !slices.Contains(cols, c) {
			cols = append(cols, c)
		}
	}
	for _, th := range testThemes {
		add(th)
		add(directory.CategoryOf(th))
	}
	add("sante--acces-aux-soins")
	return cols
}

func TestCoverageEqualsSearchCellByCell(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	g := testGeography()
	svcs := testServices(g, 300, now, 7)
	ix := openTestIndex(t, g, svcs)
	obs := New(g, ix, nil, func() time.Time { return now })
	if err := obs.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	cv := obs.Coverage()
	visible := 0
	for _, s := range svcs {
		if s.Visible(now) {
			visible++
		}
	}
	if cv.Services != visible {
		t.Fatalf("coverage read %d services, %d are visible", cv.Services, visible)
	}
	cells, nonZero := 0, 0
	for ci := range g.Communes {
		c := &g.Communes[ci]
		for _, col := range testColumns(t) {
			got := cv.Cell(int32(ci), col)
			for ri, km := range Radii {
				on, rem := searchCell(t, ix, c, columns[col].Value, km, now)
				if got.OnSite[ri] != on || got.Remote[ri] != rem {
					t.Errorf("%s × %s at %d km: coverage %d on site + %d remote, search %d + %d",
						c.Code, columns[col].Value, km, got.OnSite[ri], got.Remote[ri], on, rem)
				}
				cells++
				if on > 0 {
					nonZero++
				}
			}
		}
	}
	// The dataset must exercise the rule, not agree on zeros.
	if nonZero < cells/4 || nonZero == cells {
		t.Fatalf("%d of %d cells have services on site: the dataset does not test the split", nonZero, cells)
	}
}

func TestReportUncoveredPopulationAndGaps(t *testing.T) {
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	g := testGeography()
	svcs := testServices(g, 120, now, 11)
	ix := openTestIndex(t, g, svcs)
	obs := New(g, ix, nil, func() time.Time { return now })
	if err := obs.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	cv := obs.Coverage()
	territories := []directory.Zone{
		directory.France,
		{Kind: directory.ZoneRegion, Code: "75"},
		{Kind: directory.ZoneDepartement, Code: "86"},
		{Kind: directory.ZoneEPCI, Code: "200000002"},
	}
	in := func(z directory.Zone, c *directory.Commune) bool {
		switch z.Kind {
		case directory.ZoneRegion:
			return c.Region == z.Code
		case directory.ZoneDepartement:
			return c.Departement == z.Code
		case directory.ZoneEPCI:
			return c.EPCI == z.Code
		}
		return true
	}
	for _, th := range []string{"famille--garde-denfants", "mobilite"} {
		col, _ := ColumnOf(th)
		const km = 10
		onSite := map[string]int{}
		for i := range g.Communes {
			onSite[g.Communes[i].Code], _ = searchCell(t, ix, &g.Communes[i], th, km, now)
		}
		for _, z := range territories {
			rep, err := cv.Report(Query{Territory: z, Column: col, RadiusKm: km})
			if err != nil {
				t.Fatal(err)
			}
			var want Totals
			var gaps []*directory.Commune
			for i := range g.Communes {
				c := &g.Communes[i]
				if !in(z, c) {
					continue
				}
				want.Communes++
				want.Population += c.Population
				if onSite[c.Code] == 0 {
					want.Uncovered++
					want.UncoveredPopulation += c.Population
					gaps = append(gaps, c)
				}
			}
			if rep.Communes != want.Communes || rep.Population != want.Population ||
				rep.Uncovered != want.Uncovered || rep.UncoveredPopulation != want.UncoveredPopulation {
				t.Errorf("%s %s: report %+v, brute force %+v", z.Key(), th, rep.Totals, want)
			}
			if want.Uncovered == 0 || want.Uncovered == want.Communes {
				t.Errorf("%s %s: %d of %d communes uncovered: the dataset does not test gaps", z.Key(), th, want.Uncovered, want.Communes)
			}
			slices.SortFunc(gaps, func(a, b *directory.Commune) int { return b.Population - a.Population })
			if len(rep.Gaps) != min(len(gaps), MaxGaps) {
				t.Fatalf("%s %s: %d gaps ranked, want %d", z.Key(), th, len(rep.Gaps), min(len(gaps), MaxGaps))
			}
			for i, gap := range rep.Gaps {
				if gap.Commune.Code != gaps[i].Code {
					t.Errorf("%s %s: gap %d is %s, want %s", z.Key(), th, i, gap.Commune.Code, gaps[i].Code)
				}
				id, km, ok := nearestByHand(g, svcs, gaps[i], th, now)
				switch {
				case ok != (gap.Nearest != nil):
					t.Errorf("%s: nearest %v, by hand %v", gap.Commune.Code, gap.Nearest, ok)
				case ok && (gap.Nearest.ServiceID != id || math.Abs(gap.Nearest.Km-km) > 0.01):
					t.Errorf("%s: nearest %s at %.2f km, by hand %s at %.2f km", gap.Commune.Code, gap.Nearest.ServiceID, gap.Nearest.Km, id, km)
				}
			}
		}
	}
}

// nearestByHand reads the services themselves: the visible on-site one of
// thématique th nearest to c among those whose zone covers it.
func nearestByHand(g *directory.Geography, svcs []*directory.Service, c *directory.Commune, th string, now time.Time) (string, float64, bool) {
	if c.Center == nil {
		return "", 0, false
	}
	best, bestID := math.Inf(1), ""
	for _, s := range svcs {
		if !s.Visible(now) || !s.OnSite() || s.Latitude == nil {
			continue
		}
		has := false
		for _, st := range s.Thematiques {
			has = has || st == th || directory.CategoryOf(st) == th
		}
		zones := s.EligibilityZone
		if len(zones) == 0 {
			zones = []directory.Zone{{Kind: directory.ZoneCommune, Code: s.CodeInsee}}
		}
		covers := false
		for _, z := range zones {
			covers = covers || z.Kind == directory.ZoneFrance ||
				z.Kind == directory.ZoneCommune && z.Code == c.Code || z.Kind == directory.ZoneEPCI && z.Code == c.EPCI && c.EPCI != "" ||
				z.Kind == directory.ZoneDepartement && z.Code == c.Departement || z.Kind == directory.ZoneRegion && z.Code == c.Region
		}
		if !has || !covers {
			continue
		}
		if d := indexer.Distance(*c.Center, orb.Point{*s.Longitude, *s.Latitude}); d < best {
			best, bestID = d, s.ID
		}
	}
	return bestID, best / 1000, bestID != "" && best <= nearestLimit*1000
}
