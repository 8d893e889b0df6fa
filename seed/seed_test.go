package seed

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// sharedDir is REPERE_SHARED_DIR, or ../shared next to the module root.
func sharedDir() (string, error) {
	if d := os.Getenv("REPERE_SHARED_DIR"); d != "" {
		return d, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// geography loads the real geography once for all tests.
var geography = sync.OnceValues(func() (*directory.Geography, error) {
	dir, err := sharedDir()
	if err != nil {
		return nil, err
	}
	return geo.Load(context.Background(), geo.Dir(filepath.Join(dir, "geodata")))
})

func loadGeography(t testing.TB) *directory.Geography {
	t.Helper()
	g, err := geography()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

var testNow = time.Date(2026, 5, 12, 10, 30, 0, 0, directory.Paris)

type dataset struct {
	structures []*directory.Structure
	services   []*directory.Service
	byStruct   map[string][]*directory.Service
}

func collect(g *directory.Geography, opt Options) (*dataset, error) {
	d := &dataset{byStruct: map[string][]*directory.Service{}}
	err := Generate(g, opt, func(st *directory.Structure, ss []*directory.Service) error {
		d.structures = append(d.structures, st)
		d.services = append(d.services, ss...)
		d.byStruct[st.ID] = ss
		return nil
	})
	return d, err
}

func generate(t testing.TB, g *directory.Geography, opt Options) *dataset {
	t.Helper()
	d, err := collect(g, opt)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// defaultSet is the default dataset of seed 1, shared by the tests that only
// read it.
var defaultSet = sync.OnceValues(func() (*dataset, error) {
	g, err := geography()
	if err != nil {
		return nil, err
	}
	return collect(g, Options{Seed: 1, Now: testNow})
})

func defaultDataset(t *testing.T) *dataset {
	t.Helper()
	d, err := defaultSet()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDeterminism(t *testing.T) {
	g := loadGeography(t)
	write := func(seed int64) (string, string) {
		var st, sv bytes.Buffer
		if err := WriteDataInclusion(&st, &sv, g, Options{Seed: seed, Now: testNow}); err != nil {
			t.Fatal(err)
		}
		return st.String(), sv.String()
	}
	st1, sv1 := write(7)
	st2, sv2 := write(7)
	if st1 != st2 || sv1 != sv2 {
		t.Error("two runs with the same seed differ")
	}
	st3, sv3 := write(8)
	if st1 == st3 || sv1 == sv3 {
		t.Error("two different seeds give the same structures or services")
	}
}

// TestSameDaySameBytes: two runs hours apart on the same day, or without a
// day at all, give the same export byte for byte (the generator once drew
// dates again until one fell before the clock, so the hour changed the
// whole dataset).
func TestSameDaySameBytes(t *testing.T) {
	g := loadGeography(t)
	write := func(now time.Time) string {
		var st, sv bytes.Buffer
		if err := WriteDataInclusion(&st, &sv, g, Options{Seed: 7, Services: 2000, Now: now}); err != nil {
			t.Fatal(err)
		}
		return st.String() + sv.String()
	}
	morning := time.Date(2026, 5, 12, 8, 1, 0, 0, directory.Paris)
	if write(morning) != write(morning.Add(10*time.Hour)) {
		t.Error("two runs on the same day, at 08:01 and 18:01, differ")
	}
	if write(time.Time{}) != write(ReferenceDay.Add(17*time.Hour+3*time.Minute)) {
		t.Error("without a day, the dataset is not the one of ReferenceDay")
	}
	if write(morning) == write(morning.AddDate(0, 0, 1)) {
		t.Error("the day does not date the records")
	}
}

func TestCounts(t *testing.T) {
	d := defaultDataset(t)
	if len(d.services) != DefaultServices {
		t.Errorf("%d services, want %d", len(d.services), DefaultServices)
	}
	ratio := float64(len(d.services)) / float64(len(d.structures))
	if ratio < 4 || ratio > 6 {
		t.Errorf("%.2f services per structure (%d structures), want 4 to 6", ratio, len(d.structures))
	}
	multi := 0
	for _, ss := range d.byStruct {
		cats := map[string]bool{}
		for _, s := range ss {
			cats[directory.CategoryOf(s.Thematiques[0])] = true
		}
		if len(cats) > 1 {
			multi++
		}
	}
	if multi < len(d.structures)/4 {
		t.Errorf("%d structures have services in several categories, want at least a quarter", multi)
	}

	big := generate(t, loadGeography(t), Options{Seed: 3, Services: 20000, Now: testNow})
	if len(big.services) != 20000 {
		t.Errorf("Services: 20000 gave %d services", len(big.services))
	}
}

func TestVocabularyCoverage(t *testing.T) {
	d := defaultDataset(t)
	used := map[string]map[string]bool{}
	mark := func(vocab string, values ...string) {
		if used[vocab] == nil {
			used[vocab] = map[string]bool{}
		}
		for _, v := range values {
			used[vocab][v] = true
		}
	}
	for _, s := range d.services {
		mark("thematiques", s.Thematiques...)
		mark("types", s.Type)
		mark("frais", s.Fees)
		mark("publics", s.Publics...)
		mark("modes_accueil", s.ReceptionModes...)
		mark("modes_mobilisation", s.MobilisationModes...)
		mark("mobilisable_par", s.MobilisableBy...)
		mark("frequences", string(s.UpdateFrequency))
	}
	for _, st := range d.structures {
		mark("reseaux_porteurs", st.Networks...)
	}
	for _, cat := range directory.ThematiqueCategories.Terms() {
		mark("categories", cat.Value)
	}
	tests := []struct {
		name  string
		vocab *directory.Vocabulary
	}{
		{"thematiques", directory.Thematiques},
		{"types", directory.ServiceTypes},
		{"frais", directory.Fees},
		{"publics", directory.Publics},
		{"modes_accueil", directory.ReceptionModes},
		{"modes_mobilisation", directory.MobilisationModes},
		{"mobilisable_par", directory.Mobilisers},
		{"reseaux_porteurs", directory.Networks},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, term := range tt.vocab.Terms() {
				if !used[tt.name][term.Value] {
					t.Errorf("%q never used", term.Value)
				}
			}
		})
	}
	for _, f := range directory.UpdateFrequencies {
		if !used["frequences"][string(f)] {
			t.Errorf("update frequency %q never used", f)
		}
	}
}

func TestTables(t *testing.T) {
	for _, o := range offers {
		if !directory.Thematiques.Has(o.besoin) || !directory.ServiceTypes.Has(o.typ) || !directory.Fees.Has(o.fees) {
			t.Errorf("offer %q: unknown besoin, type or fees", o.name)
		}
		if n := len([]rune(o.name)); n < 3 || n > 150 || strings.HasSuffix(o.name, ".") {
			t.Errorf("offer name %q: bad length or final dot", o.name)
		}
	}
	for _, term := range directory.Thematiques.Terms() {
		if !slices.ContainsFunc(offers, func(o offer) bool { return o.besoin == term.Value }) {
			t.Errorf("no offer for %q", term.Value)
		}
	}
	for _, cat := range directory.ThematiqueCategories.Terms() {
		c, ok := categories[cat.Value]
		if !ok || len(c.bullets) < 3 || len(c.publics) == 0 {
			t.Errorf("category %q: missing text, or fewer than 3 bullets", cat.Value)
		}
		for _, p := range c.publics {
			if !directory.Publics.Has(p) || p == "tous-publics" {
				t.Errorf("category %q: bad public %q", cat.Value, p)
			}
		}
	}
	networks := map[string]bool{}
	for i, k := range kinds {
		for _, n := range k.networks {
			networks[n] = true
			if !directory.Networks.Has(n) {
				t.Errorf("kind %d (%s): unknown network %q", i, k.names[0], n)
			}
		}
		for _, o := range k.offers {
			if !directory.Thematiques.Has(o) && !directory.ThematiqueCategories.Has(o) {
				t.Errorf("kind %d (%s): unknown offer %q", i, k.names[0], o)
			}
		}
		if k.services[0] < 1 || k.services[1] < k.services[0] || k.weight < 1 {
			t.Errorf("kind %d (%s): bad services range or weight", i, k.names[0])
		}
	}
	for _, term := range directory.Networks.Terms() {
		if !networks[term.Value] {
			t.Errorf("no kind of structure for network %q", term.Value)
		}
	}
	for _, h := range hours {
		if err := (&directory.Structure{Name: "Test", OpeningHours: h}).Validate(); err != nil {
			t.Errorf("hours %q: %v", h, err)
		}
	}
}

func TestZones(t *testing.T) {
	d := defaultDataset(t)
	g := loadGeography(t)
	gz := geo.NewGazetteer(g)
	count := map[directory.ZoneKind]int{}
	for _, s := range d.services {
		if len(s.EligibilityZone) == 0 {
			t.Fatalf("service %s has no zone", s.ID)
		}
		count[s.EligibilityZone[0].Kind]++
		for _, z := range s.EligibilityZone {
			var ok bool
			switch z.Kind {
			case directory.ZoneCommune:
				_, ok = gz.Commune(z.Code)
			case directory.ZoneEPCI:
				_, ok = gz.EPCI(z.Code)
			case directory.ZoneDepartement:
				_, ok = gz.Departement(z.Code)
			case directory.ZoneRegion:
				_, ok = gz.Region(z.Code)
			case directory.ZoneFrance:
				ok = z.Code == ""
			}
			if !ok {
				t.Errorf("service %s: zone %s does not exist", s.ID, z.Key())
			}
		}
	}
	for _, k := range []directory.ZoneKind{directory.ZoneCommune, directory.ZoneEPCI, directory.ZoneDepartement, directory.ZoneRegion, directory.ZoneFrance} {
		if count[k] < 30 {
			t.Errorf("%d services with a %s zone, want at least 30", count[k], k)
		}
	}
	local := count[directory.ZoneCommune] + count[directory.ZoneEPCI] + count[directory.ZoneDepartement]
	if share := float64(local) / float64(len(d.services)); share < 0.75 {
		t.Errorf("%.0f %% of zones are a commune, EPCI or département, want most (≥ 75 %%): %v", share*100, count)
	}
	t.Logf("zones: %v", count)
}

func TestRemoteShare(t *testing.T) {
	d := defaultDataset(t)
	remote, both := 0, 0
	for _, s := range d.services {
		if s.Remote() {
			remote++
			if s.OnSite() {
				both++
			}
		}
	}
	share := float64(remote) / float64(len(d.services))
	if share < 0.12 || share > 0.18 {
		t.Errorf("%.1f %% remote services, want about 15 %%", share*100)
	}
	if both == 0 || both == remote {
		t.Errorf("%d of %d remote services are also on site, want some but not all", both, remote)
	}
}

// TestValidate checks that every record passes Validate and that Validate,
// which normalises phone numbers and SIRETs in place, leaves them unchanged.
func TestValidate(t *testing.T) {
	d := defaultDataset(t)
	for _, st := range d.structures {
		c := *st
		if err := c.Validate(); err != nil {
			t.Errorf("structure %s %q: %v", st.ID, st.Name, err)
		} else if !reflect.DeepEqual(&c, st) {
			t.Errorf("structure %s: Validate changed it: %+v", st.ID, c)
		}
	}
	for _, s := range d.services {
		c := *s
		if err := c.Validate(); err != nil {
			t.Errorf("service %s %q: %v", s.ID, s.Name, err)
		} else if !reflect.DeepEqual(&c, s) {
			t.Errorf("service %s: Validate changed it: %+v", s.ID, c)
		}
		if s.Status != directory.StatusDraft {
			if m := s.MissingForPublication(); m != nil {
				t.Errorf("service %s is %s but misses %v", s.ID, s.Status, m)
			}
		}
	}
}

func TestRecords(t *testing.T) {
	d := defaultDataset(t)
	gz := geo.NewGazetteer(loadGeography(t))
	ids := map[string]bool{}
	unique := func(kind, id string) {
		if ids[id] || len(id) != 16 {
			t.Errorf("%s %s: duplicate or malformed id", kind, id)
		}
		ids[id] = true
	}
	checkPlace := func(what, code, postal, name string, lon, lat *float64) {
		c, ok := gz.Commune(code)
		if !ok || c.PostalCodes[0] != postal || c.Name != name {
			t.Errorf("%s: commune %s %s %s does not match the geography", what, code, postal, name)
			return
		}
		if lon != nil && c.Center != nil {
			if m := geo.Distance(*c.Center, orb.Point{*lon, *lat}); m > 2100 {
				t.Errorf("%s: %.0f m from the centre of %s", what, m, c.Name)
			}
		}
	}
	checkContact := func(what, phone, email string, urls ...string) {
		if phone != "" && !slices.ContainsFunc(slices.Collect(mapsValues(fictionPhones)), func(p string) bool { return strings.HasPrefix(phone, p) }) {
			t.Errorf("%s: phone %s is not in a fiction block", what, phone)
		}
		if email != "" && !exampleDomain(email[strings.IndexByte(email, '@')+1:]) {
			t.Errorf("%s: e-mail %s is not on an example domain", what, email)
		}
		for _, u := range urls {
			if u != "" && !exampleDomain(strings.SplitN(strings.TrimPrefix(u, "https://"), "/", 2)[0]) {
				t.Errorf("%s: address %s is not on an example domain", what, u)
			}
		}
	}
	provenance := directory.Provenance{Kind: "demo", Origin: "seed=1"}
	oldest := testNow.AddDate(0, -18, -1)
	for _, st := range d.structures {
		what := "structure " + st.ID
		unique("structure", st.ID)
		checkPlace(what, st.CodeInsee, st.PostalCode, st.CommuneName, st.Longitude, st.Latitude)
		checkContact(what, st.Phone, st.Email, st.Website, st.AccessibilityLink)
		if st.Source != Source || !reflect.DeepEqual(st.Provenance, provenance) || st.UpdatedAt.After(testNow) || st.UpdatedAt.Before(oldest) || st.CreatedAt.After(st.UpdatedAt) {
			t.Errorf("%s: bad source, provenance or dates", what)
		}
		if st.SIRET != "" && (!luhnValid(st.SIRET) || !luhnValid(st.SIRET[:9])) {
			t.Errorf("%s: SIRET %s fails the Luhn check", what, st.SIRET)
		}
	}
	status := map[string]int{}
	stale := 0
	for _, s := range d.services {
		what := "service " + s.ID
		unique("service", s.ID)
		checkPlace(what, s.CodeInsee, s.PostalCode, s.CommuneName, s.Longitude, s.Latitude)
		checkContact(what, s.Phone, s.Email, s.MobilisationLink)
		if d.byStruct[s.StructureID] == nil {
			t.Errorf("%s: unknown structure %s", what, s.StructureID)
		}
		if s.Source != Source || !reflect.DeepEqual(s.Provenance, provenance) || s.UpdatedAt.After(testNow) || s.UpdatedAt.Before(oldest) || s.CreatedAt.After(s.UpdatedAt) {
			t.Errorf("%s: bad source, provenance or dates", what)
		}
		if strings.ContainsAny(s.Description, "{}") || !strings.Contains(s.Description, "\n- ") || len(s.Description) < 200 {
			t.Errorf("%s: description without a list, too short or with a placeholder:\n%s", what, s.Description)
		}
		if s.PublishedAt != nil && (s.PublishedAt.Before(s.CreatedAt) || s.PublishedAt.After(s.UpdatedAt)) {
			t.Errorf("%s: published outside its life", what)
		}
		switch {
		case s.SuspendedUntil != nil:
			status["suspendu"]++
			if !s.SuspendedUntil.After(testNow) || s.Status != directory.StatusPublished {
				t.Errorf("%s: suspended until %v, not in the future or not published", what, s.SuspendedUntil)
			}
		default:
			status[string(s.Status)]++
		}
		if s.Stale(testNow) {
			stale++
		}
	}
	n := len(d.services)
	if status["publie"] < n*3/4 || status["brouillon"] < n/50 || status["archive"] < n/50 || status["suspendu"] < n/100 {
		t.Errorf("status mix %v: want mostly published, some drafts and archived, a few suspended", status)
	}
	if stale < n/10 || stale > n*6/10 {
		t.Errorf("%d of %d services stale, want some but not most", stale, n)
	}
	t.Logf("status %v, stale %d", status, stale)
}

func mapsValues(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for _, v := range m {
			if !yield(v) {
				return
			}
		}
	}
}

func exampleDomain(host string) bool {
	for _, d := range []string{"example.org", "example.com", "example.net"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

func TestNamedCases(t *testing.T) {
	d := defaultDataset(t)
	byID := map[string]*directory.Service{}
	for _, s := range d.services {
		byID[s.ID] = s
	}
	dep86 := directory.Zone{Kind: directory.ZoneDepartement, Code: "86"}
	tests := []struct {
		id        string
		besoin    string
		zone      directory.Zone
		visible   bool
		remote    bool
		nameWords []string
	}{
		{ChatelleraultMobilityID, "mobilite--acceder-a-un-vehicule", dep86, true, false, []string{"Location"}},
		{ChatelleraultRemoteID, "mobilite--etre-accompagne-dans-son-parcours-mobilite", directory.France, true, true, []string{"distance"}},
		{ChatelleraultSuspendedID, "mobilite--mobilite-douce-partagee-collective", directory.Zone{Kind: directory.ZoneEPCI, Code: "248600413"}, false, false, []string{"vélos"}},
		{ChatelleraultDraftID, "mobilite--financer-ma-mobilite", dep86, false, false, []string{"permis"}},
		{ChatelleraultCrecheID, "famille--garde-denfants", directory.Zone{Kind: directory.ZoneCommune, Code: ChatelleraultCode}, true, false, []string{"Garde d'enfants", "crèche"}},
		{ChatelleraultArchivedID, "famille--garde-denfants", directory.Zone{Kind: directory.ZoneCommune, Code: ChatelleraultCode}, false, false, []string{"Garde d'enfants"}},
	}
	for _, tt := range tests {
		s := byID[tt.id]
		if s == nil {
			t.Errorf("named service %s missing", tt.id)
			continue
		}
		t.Run(geo.Slug(s.Name), func(t *testing.T) {
			if s.CodeInsee != ChatelleraultCode || s.Thematiques[0] != tt.besoin || !slices.Equal(s.EligibilityZone, []directory.Zone{tt.zone}) {
				t.Errorf("got commune %s, thématiques %v, zone %v", s.CodeInsee, s.Thematiques, s.EligibilityZone)
			}
			if s.Visible(testNow) != tt.visible || s.Remote() != tt.remote || s.OnSite() == tt.remote {
				t.Errorf("visible %v remote %v on site %v", s.Visible(testNow), s.Remote(), s.OnSite())
			}
			for _, w := range tt.nameWords {
				if !strings.Contains(s.Name, w) {
					t.Errorf("name %q lacks %q", s.Name, w)
				}
			}
		})
	}
	if d.structures[0].ID != ChatelleraultMobilityStructureID || d.structures[1].ID != ChatelleraultCrecheStructureID {
		t.Error("the named structures do not come first")
	}
	other := generate(t, loadGeography(t), Options{Seed: 99, Services: 50, Now: testNow})
	if other.structures[0].ID != ChatelleraultMobilityStructureID || len(other.services) != 50 {
		t.Error("the named cases depend on the seed, or Services is not respected")
	}
}

// TestSmallGeography runs the generator on one département without
// Châtellerault: no named case, every record in the département.
func TestSmallGeography(t *testing.T) {
	full := loadGeography(t)
	g := &directory.Geography{Regions: full.Regions, Departements: full.Departements, EPCIs: full.EPCIs}
	for _, c := range full.Communes {
		if c.Departement == "37" {
			g.Communes = append(g.Communes, c)
		}
	}
	d := generate(t, g, Options{Seed: 5, Services: 400, Now: testNow})
	if len(d.services) != 400 {
		t.Errorf("%d services, want 400", len(d.services))
	}
	for _, s := range d.services {
		if !strings.HasPrefix(s.CodeInsee, "37") || s.ID == ChatelleraultMobilityID {
			t.Errorf("service %s in %s, outside Indre-et-Loire", s.ID, s.CodeInsee)
		}
		for _, z := range s.EligibilityZone {
			if z.Kind == directory.ZoneCommune && !strings.HasPrefix(z.Code, "37") {
				t.Errorf("service %s: zone %s outside Indre-et-Loire", s.ID, z.Key())
			}
		}
	}
	if err := Generate(&directory.Geography{}, Options{}, nil); err == nil {
		t.Error("an empty geography gave no error")
	}
}

func TestPopulationWeighting(t *testing.T) {
	d := defaultDataset(t)
	gz := geo.NewGazetteer(loadGeography(t))
	var small, large int // services in communes under 2,000 people, over 100,000
	for _, s := range d.services {
		c, _ := gz.Commune(s.CodeInsee)
		switch {
		case c.Population < 2000:
			small++
		case c.Population > 100000:
			large++
		}
	}
	// About a quarter of the French live in communes under 2,000 people and
	// a sixth in those over 100,000; communes under 2,000 are 85 % of them.
	n := float64(len(d.services))
	if float64(small)/n > 0.4 || float64(large)/n < 0.08 {
		t.Errorf("%d services in small communes, %d in large ones, of %d: not weighted by population", small, large, len(d.services))
	}
}

func TestHelpers(t *testing.T) {
	tests := []struct{ got, want string }{
		{deCommune("Poitiers"), "de Poitiers"},
		{deCommune("Le Mans"), "du Mans"},
		{deCommune("Les Sables-d'Olonne"), "des Sables-d'Olonne"},
		{deCommune("Angers"), "d'Angers"},
		{deCommune("Évry-Courcouronnes"), "d'Évry-Courcouronnes"},
		{deCommune("La Rochelle"), "de La Rochelle"},
		{aCommune("Le Havre"), "au Havre"},
		{aCommune("Les Ulis"), "aux Ulis"},
		{aCommune("Niort"), "à Niort"},
		{deDepartement("Vienne"), "de la Vienne"},
		{deDepartement("Nord"), "du Nord"},
		{deDepartement("Landes"), "des Landes"},
		{deDepartement("Ain"), "de l'Ain"},
		{deDepartement("Paris"), "de Paris"},
		{territory("CA Grand Châtellerault"), "du Grand Châtellerault"},
		{territory("CC du Ternois"), "du Ternois"},
		{territory("Métropole de Lyon"), "de Lyon"},
		{territory("Bordeaux Métropole"), "de Bordeaux Métropole"},
		{territory("CC Arnon Boischaut Cher"), "d'Arnon Boischaut Cher"},
		{territory("CC Plaines et Monts de France"), "de Plaines et Monts de France"},
		{domainLabel(strings.Repeat("abcde-", 20)), "abcde-abcde-abcde-abcde-abcde-abcde-abcde-abcde"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	for _, s := range []string{"80295478400020", "78930215500039"} {
		if !luhnValid(s) {
			t.Errorf("%s fails Luhn", s)
		}
	}
	if luhnValid("80295478400021") {
		t.Error("luhnValid accepts a wrong key")
	}
	if math.Abs(round5(1.234567)-1.23457) > 1e-12 {
		t.Error("round5")
	}
}

func BenchmarkGenerate(b *testing.B) {
	g := loadGeography(b)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		err := Generate(g, Options{Seed: 1, Services: 100000, Now: testNow}, func(_ *directory.Structure, ss []*directory.Service) error {
			n += len(ss)
			return nil
		})
		if err != nil || n != 100000 {
			b.Fatal(err, n)
		}
	}
}

func BenchmarkWriteDataInclusion(b *testing.B) {
	g := loadGeography(b)
	for b.Loop() {
		var st, sv countingWriter
		if err := WriteDataInclusion(&st, &sv, g, Options{Seed: 1, Services: 100000, Now: testNow}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(sv), "service-bytes")
	}
}

type countingWriter int

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}

func luhnValid(s string) bool {
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}
