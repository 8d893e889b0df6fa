package indexer

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

func announced(at time.Time, version int64) opt {
	return func(s *directory.Service) {
		published := at.Add(-30 * 24 * time.Hour)
		s.PublishedAt, s.AnnouncedAt, s.AnnouncedVersion = &published, &at, version
	}
}

func days(n int) time.Time { return testNow.Add(-time.Duration(n) * 24 * time.Hour) }

// latestIndex holds services of the Vienne and of Tours announced on
// different days.
func latestIndex(t *testing.T) (*builder, *Index) {
	b := newBuilder(t)
	dep, mob := directory.ZoneDepartement, themes("mobilite--acceder-a-un-vehicule")
	b.add("s", "chatel-dep86", zones(zone(dep, "86")), b.at(chatellerault), mob, announced(days(1), 4))
	b.add("s", "chatel-commune", zones(zone(directory.ZoneCommune, chatellerault)), b.at(chatellerault), mob, announced(days(2), 1))
	b.add("s", "poitiers-emploi", zones(zone(dep, "86")), b.at(poitiers), announced(days(3), 2))
	b.add("s", "poitiers-mob", zones(zone(dep, "86")), b.at(poitiers), mob, announced(days(4), 7))
	b.add("s", "tours-dep37", zones(zone(dep, "37")), b.at(tours), mob, announced(days(0), 3))
	b.add("s", "remote-france", remote, mob, announced(days(5), 2))
	b.add("s", "remote-dep86", remote, zones(zone(dep, "86")), announced(days(6), 2))
	b.add("s", "region-na", zones(zone(directory.ZoneRegion, "75")), b.at(bordeaux), mob, announced(days(7), 2))
	b.add("s", "draft", zones(zone(dep, "86")), b.at(poitiers), mob, announced(days(0), 2), status(directory.StatusDraft))
	b.add("s", "suspended", zones(zone(dep, "86")), b.at(poitiers), mob, announced(days(0), 2), suspended(testNow.Add(time.Hour)))
	// Written before announcements were recorded.
	b.add("s", "published-only", zones(zone(dep, "86")), b.at(poitiers), mob, func(s *directory.Service) {
		p := days(8)
		s.PublishedAt = &p
	})
	b.add("s", "updated-only", zones(zone(dep, "86")), b.at(poitiers), mob, updated(days(9)))
	return b, b.build()
}

func latestIDs(t *testing.T, as []Announcement) []string {
	t.Helper()
	out := []string{}
	for i, a := range as {
		out = append(out, a.ID)
		if i > 0 && a.AnnouncedAt.After(as[i-1].AnnouncedAt) {
			t.Errorf("%s announced after %s, listed after it", a.ID, as[i-1].ID)
		}
	}
	return out
}

func TestLatest(t *testing.T) {
	_, ix := latestIndex(t)
	mobilite := []string{"mobilite"}
	cases := []struct {
		name string
		q    directory.SearchQuery
		n    int
		want []string
	}{
		{"Poitiers, mobilité", directory.SearchQuery{Commune: commune(poitiers), Thematiques: mobilite}, 50,
			[]string{"chatel-dep86", "poitiers-mob", "remote-france", "published-only", "updated-only"}},
		{"Tours, mobilité", directory.SearchQuery{Commune: commune(tours), Thematiques: mobilite}, 50,
			[]string{"tours-dep37", "remote-france"}},
		{"Châtellerault, 5 km", directory.SearchQuery{Commune: commune(chatellerault), RadiusKm: 5}, 50,
			[]string{"chatel-dep86", "chatel-commune", "remote-france", "remote-dep86"}},
		{"the 3 latest of France", directory.SearchQuery{}, 3,
			[]string{"tours-dep37", "chatel-dep86", "chatel-commune"}},
		{"publics: services for everyone match", directory.SearchQuery{Commune: commune(tours), Publics: []string{"jeunes"}, Types: []string{"accompagnement"}}, 50,
			[]string{"tours-dep37", "remote-france"}},
		{"fees", directory.SearchQuery{Commune: commune(tours), Fees: []string{"payant"}}, 50, []string{}},
		{"modes", directory.SearchQuery{Commune: commune(chatellerault), ReceptionModes: []string{"a-distance"}}, 50,
			[]string{"remote-france", "remote-dep86"}},
		{"text", directory.SearchQuery{Text: "service remote"}, 50,
			[]string{"remote-france", "remote-dep86"}},
		// Sort, page and size are those of a results page: not for feeds.
		{"page ignored", directory.SearchQuery{Commune: commune(tours), Thematiques: mobilite, Page: 9, Size: 1, Sort: directory.SortDistance}, 50,
			[]string{"tours-dep37", "remote-france"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.q.Now = testNow
			as, err := ix.Latest(context.Background(), c.q, c.n)
			if err != nil {
				t.Fatal(err)
			}
			if got := latestIDs(t, as); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestLatestAnnouncement(t *testing.T) {
	b, ix := latestIndex(t)
	as, err := ix.Latest(context.Background(), directory.SearchQuery{Commune: commune(poitiers), Now: testNow}, 50)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Announcement{}
	for _, a := range as {
		got[a.ID] = a
	}
	for _, s := range b.services {
		a, ok := got[s.ID]
		if !ok {
			continue
		}
		wantAt, wantVersion, wantPublished := s.UpdatedAt, int64(0), s.UpdatedAt
		switch {
		case s.AnnouncedAt != nil:
			wantAt, wantVersion, wantPublished = *s.AnnouncedAt, s.AnnouncedVersion, *s.PublishedAt
		case s.PublishedAt != nil:
			wantAt, wantPublished = *s.PublishedAt, *s.PublishedAt
		}
		if !a.AnnouncedAt.Equal(wantAt) || a.Version != wantVersion || !a.PublishedAt.Equal(wantPublished) {
			t.Errorf("%s: announced %v v%d, published %v; want %v v%d, %v", s.ID, a.AnnouncedAt, a.Version, a.PublishedAt, wantAt, wantVersion, wantPublished)
		}
		if a.Name != s.Name || a.StructureName != "Structure s" || !slices.Equal(a.Thematiques, s.Thematiques) {
			t.Errorf("%s: card %+v", s.ID, a.Hit)
		}
		if s.OnSite() != (a.DistanceMeters != nil) {
			t.Errorf("%s: distance %v", s.ID, a.DistanceMeters)
		}
	}
	if _, ok := got["chatel-dep86"]; !ok {
		t.Error("chatel-dep86 missing")
	}
}

func TestLatestAfterWrites(t *testing.T) {
	b, ix := latestIndex(t)
	q := directory.SearchQuery{Commune: commune(tours), Thematiques: []string{"mobilite"}, Now: testNow}
	svc := func(id string) *directory.Service {
		i := slices.IndexFunc(b.services, func(s *directory.Service) bool { return s.ID == id })
		return b.services[i]
	}
	steps := []struct {
		name   string
		change func(s *directory.Service)
		want   []string
	}{
		{"announced now", func(s *directory.Service) {
			announced(testNow.Add(time.Minute), 3)(s)
		}, []string{"remote-france", "tours-dep37"}},
		{"zone narrowed to Vienne", func(s *directory.Service) {
			s.EligibilityZone = []directory.Zone{zone(directory.ZoneDepartement, "86")}
		}, []string{"tours-dep37"}},
		{"back to France, unpublished", func(s *directory.Service) {
			s.EligibilityZone, s.Status = []directory.Zone{directory.France}, directory.StatusDraft
		}, []string{"tours-dep37"}},
	}
	for _, st := range steps {
		rev := ix.Revision()
		s := svc("remote-france")
		st.change(s)
		s.Version++
		if err := ix.Put(s, b.structures[s.StructureID]); err != nil {
			t.Fatal(err)
		}
		if ix.Revision() == rev {
			t.Errorf("%s: the revision did not change", st.name)
		}
		as, err := ix.Latest(context.Background(), q, 50)
		if err != nil {
			t.Fatal(err)
		}
		if got := latestIDs(t, as); !slices.Equal(got, st.want) {
			t.Errorf("%s: got %v, want %v", st.name, got, st.want)
		}
	}
	rev := ix.Revision()
	if _, err := ix.Latest(context.Background(), q, 50); err != nil || ix.Revision() != rev {
		t.Errorf("a search changed the revision: %v", err)
	}
}

func TestLatestInDepartement(t *testing.T) {
	_, ix := latestIndex(t)
	cases := []struct {
		code string
		want []string
	}{
		{"86", []string{"chatel-dep86", "chatel-commune", "poitiers-emploi", "poitiers-mob", "remote-dep86", "published-only", "updated-only"}},
		{"37", []string{"tours-dep37"}},
		{"33", []string{"region-na"}},
		{"13", []string{}},
	}
	for _, c := range cases {
		as, err := ix.LatestInDepartement(context.Background(), c.code, 50)
		if err != nil {
			t.Fatal(err)
		}
		if got := latestIDs(t, as); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.code, got, c.want)
		}
	}
	if _, err := ix.LatestInDepartement(context.Background(), "99", 50); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Errorf("unknown département: %v", err)
	}
}

func TestLatestInvalid(t *testing.T) {
	_, ix := latestIndex(t)
	for _, c := range []struct {
		q directory.SearchQuery
		n int
	}{
		{directory.SearchQuery{}, 0},
		{directory.SearchQuery{}, MaxLatest + 1},
		{directory.SearchQuery{Thematiques: []string{"nope"}}, 10},
	} {
		if _, err := ix.Latest(context.Background(), c.q, c.n); directory.ErrorCode(err) != directory.EINVALID {
			t.Errorf("%+v, %d: %v", c.q, c.n, err)
		}
	}
}

func TestEach(t *testing.T) {
	b, _ := latestIndex(t)
	for i := range 30 { // more than a page of results
		b.add("other", "filler-"+string(rune('a'+i)), b.at(marseille))
	}
	ix := b.build()
	got := map[string]directory.Hit{}
	err := ix.Each(context.Background(), func(h directory.Hit) error {
		if _, dup := got[h.ID]; dup {
			t.Errorf("%s listed twice", h.ID)
		}
		got[h.ID] = h
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, s := range b.services {
		if s.Visible(testNow) {
			want = append(want, s.ID)
		}
	}
	if ids := slices.Sorted(maps.Keys(got)); !slices.Equal(ids, sorted(want)) {
		t.Errorf("listed %v\nwant %v", ids, sorted(want))
	}
	// The same cards as searches show, without distances.
	res, err := ix.Search(context.Background(), directory.SearchQuery{Size: directory.MaxSearchSize, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		e := got[h.ID]
		if e.Name != h.Name || e.StructureName != h.StructureName || e.CommuneCode != h.CommuneCode || !e.UpdatedAt.Equal(h.UpdatedAt) ||
			e.Remote != h.Remote || !slices.Equal(e.Thematiques, h.Thematiques) || e.DistanceMeters != nil {
			t.Errorf("%s: listed %+v, searched %+v", h.ID, e, h)
		}
	}

	stop := errors.New("stop")
	n := 0
	err = ix.Each(context.Background(), func(directory.Hit) error {
		n++
		return stop
	})
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("an error from fn: %v after %d calls", err, n)
	}
}

// TestLatestAcrossMonths: Latest reads the months back in windows; the
// newest must come first whichever windows they fall in.
func TestLatestAcrossMonths(t *testing.T) {
	b := newBuilder(t)
	ages := map[string]time.Time{
		"future":        testNow.AddDate(0, 2, 0),
		"this-month":    testNow.Add(-time.Hour),
		"last-month":    testNow.AddDate(0, -1, 0),
		"3-months":      testNow.AddDate(0, -3, -5),
		"6-months":      testNow.AddDate(0, -6, 0),
		"11-months":     testNow.AddDate(0, -11, -9),
		"2-years":       testNow.AddDate(-2, 0, 0),
		"20-years":      testNow.AddDate(-20, 0, 0),
		"first-of-year": time.Date(testNow.Year(), 1, 1, 0, 0, 0, 0, time.UTC),
	}
	for id, at := range ages {
		b.add("s", id, announced(at, 1))
	}
	ix := b.build()
	want := []string{"future", "this-month", "last-month", "first-of-year", "3-months", "6-months", "11-months", "2-years", "20-years"}
	for n := 1; n <= len(want)+1; n++ {
		as, err := ix.Latest(context.Background(), directory.SearchQuery{Now: testNow}, n)
		if err != nil {
			t.Fatal(err)
		}
		if got := latestIDs(t, as); !slices.Equal(got, want[:min(n, len(want))]) {
			t.Errorf("%d latest: %v, want %v", n, got, want[:min(n, len(want))])
		}
	}
}

// LatestSince keeps the announcements after its instant, whatever their
// month, and reads no further back.
func TestLatestSince(t *testing.T) {
	_, ix := latestIndex(t)
	q := directory.SearchQuery{Commune: commune(poitiers), Thematiques: []string{"mobilite"}}
	for _, tc := range []struct {
		since time.Time
		want  []string
	}{
		{days(2), []string{"chatel-dep86"}},
		{days(4).Add(-time.Second), []string{"chatel-dep86", "poitiers-mob"}},
		{days(4), []string{"chatel-dep86"}}, // after, not at
		{days(60), []string{"chatel-dep86", "poitiers-mob", "remote-france", "published-only", "updated-only"}},
		{testNow, []string{}},
	} {
		got, err := ix.LatestSince(context.Background(), q, tc.since, 50)
		if err != nil {
			t.Fatal(err)
		}
		if ids := latestIDs(t, got); !slices.Equal(ids, tc.want) {
			t.Errorf("since %s: %v, want %v", tc.since.Format(time.DateTime), ids, tc.want)
		}
	}
}
