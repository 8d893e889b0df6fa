package directory

import (
	"testing"
	"time"
)

func TestAnnounce(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	base := func() *Service {
		return &Service{ID: "s", Name: "Aide", Status: StatusPublished, Version: 3, Fees: "gratuit",
			EligibilityZone: []Zone{{ZoneDepartement, "86"}}, OpeningHours: "Mo-Fr 09:00-12:00"}
	}
	cases := []struct {
		name     string
		prev     func() *Service
		edit     func(*Service)
		announce bool
	}{
		{"new and published", func() *Service { return nil }, func(*Service) {}, true},
		{"new draft", func() *Service { return nil }, func(s *Service) { s.Status = StatusDraft }, false},
		{"draft published", func() *Service { p := base(); p.Status = StatusDraft; return p }, func(*Service) {}, true},
		{"typo fix", base, func(s *Service) { s.Name = "Aide !"; s.Description = "Mieux écrit." }, false},
		{"zone widened", base, func(s *Service) { s.EligibilityZone = append(s.EligibilityZone, France) }, true},
		{"now paying", base, func(s *Service) { s.Fees = "payant" }, true},
		{"new hours", base, func(s *Service) { s.OpeningHours = "Mo-Sa 09:00-12:00" }, true},
		{"moved", base, func(s *Service) { s.Address = "3 rue Neuve" }, true},
		{"archived", base, func(s *Service) { s.Status = StatusArchived }, false},
	}
	for _, c := range cases {
		cur := base()
		c.edit(cur)
		Announce(c.prev(), cur, now)
		if got := cur.AnnouncedAt != nil; got != c.announce {
			t.Errorf("%s: announced = %v, want %v", c.name, got, c.announce)
		}
		if c.announce && cur.AnnouncedVersion != 4 {
			t.Errorf("%s: announced version %d, want the version being written (4)", c.name, cur.AnnouncedVersion)
		}
		if cur.Status == StatusPublished && cur.PublishedAt == nil {
			t.Errorf("%s: published without a publication date", c.name)
		}
	}
}

func TestFrenchDate(t *testing.T) {
	cases := map[time.Time]string{
		time.Date(2026, 2, 28, 23, 30, 0, 0, time.UTC):  "1er mars 2026", // already March in Paris
		time.Date(2026, 8, 15, 12, 0, 0, 0, time.UTC):   "15 août 2026",
		time.Date(2026, 12, 31, 22, 59, 0, 0, time.UTC): "31 décembre 2026",
	}
	for in, want := range cases {
		if got := FrenchDate(in); got != want {
			t.Errorf("FrenchDate(%v) = %q, want %q", in, got, want)
		}
	}
}
