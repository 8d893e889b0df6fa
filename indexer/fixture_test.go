package indexer

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

// The communes of the semantic cases.
const (
	chatellerault = "86066" // Vienne, CA Grand Châtellerault
	naintre       = "86174" // same EPCI, 6.5 km away
	dissay        = "86095" // Vienne, Grand Poitiers, 15.7 km away
	poitiers      = "86194" // Vienne, 29.7 km away
	tours         = "37261" // Indre-et-Loire (Centre-Val de Loire), 65.7 km away
	bordeaux      = "33063" // Nouvelle-Aquitaine like the Vienne
	marseille     = "13055"
	epciChatel    = "248600413"
)

var testNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// builder makes test services.
type builder struct {
	tb         testing.TB
	services   []*directory.Service
	structures map[string]*directory.Structure
}

func newBuilder(tb testing.TB) *builder {
	return &builder{tb: tb, structures: map[string]*directory.Structure{}}
}

type opt func(*directory.Service)

func zones(zs ...directory.Zone) opt {
	return func(s *directory.Service) { s.EligibilityZone = zs }
}

func zone(kind directory.ZoneKind, code string) directory.Zone {
	return directory.Zone{Kind: kind, Code: code}
}

// at receives people on site at the centre of a commune.
func (b *builder) at(code string) opt {
	gaz, _ := gazetteer(b.tb)
	c, ok := gaz.Commune(code)
	if !ok || c.Center == nil {
		b.tb.Fatalf("commune %s unknown", code)
	}
	return func(s *directory.Service) {
		lon, lat := c.Center[0], c.Center[1]
		s.Longitude, s.Latitude = &lon, &lat
		s.CodeInsee, s.CommuneName = c.Code, c.Name
		s.ReceptionModes = appendNew(s.ReceptionModes, "en-presentiel")
	}
}

func remote(s *directory.Service) { s.ReceptionModes = appendNew(s.ReceptionModes, "a-distance") }

func appendNew(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

func name(n string) opt        { return func(s *directory.Service) { s.Name = n } }
func description(d string) opt { return func(s *directory.Service) { s.Description = d } }
func publics(p ...string) opt  { return func(s *directory.Service) { s.Publics = p } }
func themes(t ...string) opt   { return func(s *directory.Service) { s.Thematiques = t } }
func status(st directory.Status) opt {
	return func(s *directory.Service) { s.Status = st }
}
func suspended(until time.Time) opt {
	return func(s *directory.Service) { s.SuspendedUntil = &until }
}
func updated(t time.Time) opt { return func(s *directory.Service) { s.UpdatedAt = t } }

// add makes a published, free, France-wide "accompagnement" service of
// structure st, received nowhere until an option says so.
func (b *builder) add(st, id string, opts ...opt) *directory.Service {
	if _, ok := b.structures[st]; !ok {
		b.structures[st] = &directory.Structure{ID: st, Name: "Structure " + st}
	}
	s := &directory.Service{
		ID: id, StructureID: st,
		Name:            "Service " + id,
		Description:     "Un accompagnement proposé aux habitants.",
		Type:            "accompagnement",
		Thematiques:     []string{"trouver-un-emploi--repondre-a-des-offres-demploi"},
		Fees:            "gratuit",
		EligibilityZone: []directory.Zone{directory.France},
		Status:          directory.StatusPublished,
		Version:         1,
		UpdatedAt:       testNow.Add(-24 * time.Hour),
	}
	for _, o := range opts {
		o(s)
	}
	b.services = append(b.services, s)
	return s
}

func (b *builder) source() *memSource {
	return &memSource{services: b.services, structures: b.structures}
}

// build rebuilds a fresh index in a temporary directory from the services.
func (b *builder) build() *Index {
	b.tb.Helper()
	gaz, _ := gazetteer(b.tb)
	ix, err := Open(b.tb.TempDir(), gaz)
	if err != nil {
		b.tb.Fatal(err)
	}
	b.tb.Cleanup(func() { ix.Close() })
	ix.now = func() time.Time { return testNow }
	if err := ix.Rebuild(context.Background(), b.source(), nil); err != nil {
		b.tb.Fatal(err)
	}
	return ix
}

// ids runs q and returns the ids of every result, in order.
func ids(tb testing.TB, ix *Index, q directory.SearchQuery) []string {
	tb.Helper()
	q.Size = directory.MaxSearchSize
	if q.Now.IsZero() {
		q.Now = testNow
	}
	var out []string
	for q.Page = 1; ; q.Page++ {
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			tb.Fatalf("search %+v: %v", q, err)
		}
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		if len(res.Hits) < q.Size {
			if len(out) != res.Total {
				tb.Fatalf("search %+v: total %d, %d hits over the pages", q, res.Total, len(out))
			}
			return out
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	if s == nil {
		s = []string{}
	}
	return s
}

func ptr[T any](v T) *T { return &v }
