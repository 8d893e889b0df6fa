package openinghours

import (
	"slices"
	"testing"
	"time"
)

// local reads "2006-01-02 15:04" on the Paris clock.
func local(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// utc reads "2006-01-02 15:04" in UTC, for the instants the Paris clock
// cannot name alone (the repeated autumn hour).
func utc(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func mustParse(t *testing.T, s string) *Schedule {
	t.Helper()
	sch, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return sch
}

func TestIsOpen(t *testing.T) {
	// 2025-01-06 is a Monday; 2025-03-30 and 2025-10-26 are the DST Sundays.
	tests := []struct {
		hours string
		at    string // Paris clock, or UTC when utc is set
		utc   bool
		want  bool
	}{
		{"Mo-Fr 09:00-12:00", "2025-01-06 09:00", false, true},
		{"Mo-Fr 09:00-12:00", "2025-01-06 08:59", false, false},
		{"Mo-Fr 09:00-12:00", "2025-01-06 11:59", false, true},
		{"Mo-Fr 09:00-12:00", "2025-01-06 12:00", false, false},
		{"Mo-Fr 09:00-12:00", "2025-01-11 10:00", false, false},
		{"Mo-Fr 08:30-12:00,13:30-17:00", "2025-01-07 12:30", false, false},
		{"Mo-Fr 08:30-12:00,13:30-17:00", "2025-01-07 13:30", false, true},
		{"Mo,We,Fr 09:00-12:00", "2025-01-08 10:00", false, true},
		{"Mo,We,Fr 09:00-12:00", "2025-01-09 10:00", false, false},

		// The instant is read on the Paris clock whatever its zone.
		{"Mo-Fr 09:00-12:00", "2025-01-06 08:30", true, true},  // 09:30 CET
		{"Mo-Fr 09:00-12:00", "2025-07-07 06:30", true, false}, // 08:30 CEST
		{"Mo-Fr 09:00-12:00", "2025-07-07 07:30", true, true},  // 09:30 CEST

		// Across midnight and the week's end.
		{"Mo 22:00-02:00", "2025-01-06 23:00", false, true},
		{"Mo 22:00-02:00", "2025-01-07 01:59", false, true},
		{"Mo 22:00-02:00", "2025-01-07 02:00", false, false},
		{"Mo 22:00-02:00", "2025-01-06 01:00", false, false},
		{"Su 22:00-02:00", "2025-01-06 01:00", false, true},
		{"Sa-Mo 10:00-12:00", "2025-01-05 11:00", false, true},
		{"Sa-Mo 10:00-12:00", "2025-01-07 11:00", false, false},
		{"Mo-Su 22:00-02:00; Tu off", "2025-01-07 01:00", false, true},  // Monday night goes on
		{"Mo-Su 22:00-02:00; Tu off", "2025-01-07 23:00", false, false}, // Tuesday night is off
		{"Mo-Su 22:00-02:00; Tu off", "2025-01-08 01:00", false, false},
		{"Fr 22:00-26:00", "2025-01-11 01:30", false, true},
		{"Mo 00:00-24:00", "2025-01-06 23:59", false, true},
		{"Mo 00:00-24:00", "2025-01-07 00:00", false, false},

		// Rules: ";" replaces the day, "," adds, "off" with times cuts.
		{"Mo-Fr 08:00-12:00; We 14:00-18:00", "2025-01-08 09:00", false, false},
		{"Mo-Fr 08:00-12:00; We 14:00-18:00", "2025-01-08 15:00", false, true},
		{"Mo-Fr 08:00-12:00, We 14:00-18:00", "2025-01-08 09:00", false, true},
		{"Mo-Fr 08:00-12:00, We 14:00-18:00", "2025-01-08 15:00", false, true},
		{"Mo-Fr 09:00-18:00; We 12:00-14:00 off", "2025-01-08 13:00", false, false},
		{"Mo-Fr 09:00-18:00; We 12:00-14:00 off", "2025-01-08 10:00", false, true},
		{"Mo-Fr 09:00-18:00; We 12:00-14:00 off", "2025-01-08 15:00", false, true},
		{"Mo-Fr 09:00-18:00; We off", "2025-01-08 10:00", false, false},
		{"Mo-Fr 09:00-18:00; We off, We 10:00-11:00", "2025-01-08 10:30", false, true},
		{"08:00-18:00", "2025-01-12 10:00", false, true},
		{"Mo-Fr", "2025-01-06 03:00", false, true},
		{"Mo-Fr open", "2025-01-11 03:00", false, false},
		{"24/7", "2025-01-11 03:00", false, true},
		{"off", "2025-01-06 10:00", false, false},
		{`Mo-Fr 09:00-12:00 "sur rendez-vous"`, "2025-01-06 10:00", false, true},

		// Public holidays.
		{"Mo-Fr 09:00-17:00; PH off", "2025-04-21 10:00", false, false}, // lundi de Pâques
		{"Mo-Fr 09:00-17:00; PH off", "2025-04-18 10:00", false, true},  // Vendredi saint is not national
		{"Mo-Fr 09:00-17:00; PH off", "2025-05-29 10:00", false, false}, // Ascension
		{"Mo-Fr 09:00-17:00; PH off", "2025-06-09 10:00", false, false}, // lundi de Pentecôte
		{"Mo-Fr 09:00-17:00; PH off", "2025-07-14 10:00", false, false},
		{"Mo-Fr 09:00-17:00; PH off", "2025-07-15 10:00", false, true},
		{"Mo-Fr 09:00-17:00; PH off", "2025-12-26 10:00", false, true},
		{"Mo-Fr 09:00-17:00; PH 10:00-12:00", "2025-04-21 09:30", false, false},
		{"Mo-Fr 09:00-17:00; PH 10:00-12:00", "2025-04-21 10:30", false, true},
		{"Sa,PH 09:00-12:00", "2025-05-01 10:00", false, true},
		{"Sa,PH 09:00-12:00", "2025-05-02 10:00", false, false},
		{"24/7; PH off", "2025-11-11 10:00", false, false},
		{"24/7; PH off", "2025-11-12 10:00", false, true},

		// Months and dates.
		{"Jan-Jun Mo-Fr 09:00-12:00", "2025-02-03 10:00", false, true},
		{"Jan-Jun Mo-Fr 09:00-12:00", "2025-06-30 10:00", false, true},
		{"Jan-Jun Mo-Fr 09:00-12:00", "2025-07-01 10:00", false, false},
		{"Mo-Fr 09:00-17:00; Aug off", "2025-08-04 10:00", false, false},
		{"Mo-Fr 09:00-17:00; Dec 24-Dec 26 off", "2025-12-23 10:00", false, true},
		{"Mo-Fr 09:00-17:00; Dec 24-Dec 26 off", "2025-12-24 10:00", false, false},
		{"Mo-Fr 09:00-17:00; Dec 24-Dec 26 off", "2025-12-26 10:00", false, false},
		{"Mo-Fr 09:00-17:00; Dec 20-Jan 05 off", "2026-01-02 10:00", false, false},
		{"Mo-Fr 09:00-17:00; Dec 20-Jan 05 off", "2026-01-06 10:00", false, true},
		{"Mo-Fr 09:00-17:00; Nov-Feb Mo-Fr 10:00-16:00", "2025-01-06 09:30", false, false},
		{"Mo-Fr 09:00-17:00; Nov-Feb Mo-Fr 10:00-16:00", "2025-03-03 09:30", false, true},
		{"Jul,Aug Sa 10:00-12:00", "2025-08-02 11:00", false, true},
		{"Jul,Aug Sa 10:00-12:00", "2025-09-06 11:00", false, false},

		// Spring forward: 02:00 CET becomes 03:00 CEST on 2025-03-30.
		{"Su 01:00-04:00", "2025-03-30 00:30", true, true}, // 01:30 CET
		{"Su 01:00-04:00", "2025-03-30 01:30", true, true}, // 03:30 CEST
		{"Su 01:00-04:00", "2025-03-30 02:00", true, false},
		{"Su 02:00-03:00", "2025-03-30 00:59", true, false}, // 01:59 CET
		{"Su 02:00-03:00", "2025-03-30 01:00", true, false}, // 03:00 CEST
		// Fall back: 03:00 CEST becomes 02:00 CET on 2025-10-26.
		{"Su 02:00-03:00", "2025-10-26 00:30", true, true},  // 02:30 CEST
		{"Su 02:00-03:00", "2025-10-26 01:30", true, true},  // 02:30 CET
		{"Su 02:00-03:00", "2025-10-26 02:00", true, false}, // 03:00 CET
	}
	for _, tt := range tests {
		at := local(t, tt.at)
		if tt.utc {
			at = utc(t, tt.at)
		}
		if got := mustParse(t, tt.hours).IsOpen(at); got != tt.want {
			t.Errorf("%q at %s: open = %v, want %v", tt.hours, at.In(paris).Format(time.DateTime+" MST"), got, tt.want)
		}
	}
}

func TestNextChange(t *testing.T) {
	tests := []struct {
		hours string
		from  string // UTC
		want  string // UTC, "" for none within 8 days
	}{
		{"Mo-Fr 09:00-17:00", "2025-01-10 09:00", "2025-01-10 16:00"}, // Friday 10:00 CET
		{"Mo-Fr 09:00-17:00", "2025-01-10 17:00", "2025-01-13 08:00"}, // to Monday 09:00 CET
		{"Mo-Fr 09:00-17:00", "2025-01-10 07:59", "2025-01-10 08:00"},
		{"Mo-Fr 09:00-17:00; PH off", "2025-04-18 17:00", "2025-04-22 07:00"}, // over Easter Monday
		{"Mo-Fr 08:30-12:00,13:30-17:00", "2025-01-06 10:00", "2025-01-06 11:00"},
		{"Mo-Fr 08:30-12:00,13:30-17:00", "2025-01-06 11:00", "2025-01-06 12:30"},
		{"Fr 22:00-02:00", "2025-01-10 22:00", "2025-01-11 01:00"},
		{"Mo-Su 00:00-24:00; We off", "2025-01-07 09:00", "2025-01-07 23:00"},
		{"Mo-Su 00:00-24:00; We off", "2025-01-08 09:00", "2025-01-08 23:00"},
		{"Mo 10:00-12:00", "2025-01-06 11:00", "2025-01-13 09:00"}, // a week later
		{"Mo-Fr 08:00-12:00; We 14:00-18:00", "2025-01-07 11:00", "2025-01-08 13:00"},
		{"24/7", "2025-01-06 10:00", ""},
		{"off", "2025-01-06 10:00", ""},
		{"Dec 25 10:00-12:00", "2025-01-01 10:00", ""},
		{"Mo-Fr 09:00-12:00; Dec 20-Jan 05 off", "2025-12-19 10:30", "2025-12-19 11:00"},
		{"Mo-Fr 09:00-12:00; Dec 20-Jan 05 off", "2025-12-19 11:00", ""}, // reopens 6 January
		// Spring forward: the jump itself opens what starts at 02:30.
		{"Su 02:30-05:00", "2025-03-29 23:00", "2025-03-30 01:00"},
		{"Su 02:30-05:00", "2025-03-30 01:00", "2025-03-30 03:00"},
		// Fall back: the clock goes back from 03:00 CEST to 02:00 CET, so a
		// range inside the repeated hour opens twice.
		{"Su 02:30-04:00", "2025-10-25 22:00", "2025-10-26 00:30"},
		{"Su 02:30-04:00", "2025-10-26 00:45", "2025-10-26 01:00"},
		{"Su 02:30-04:00", "2025-10-26 01:00", "2025-10-26 01:30"},
		{"Su 02:30-04:00", "2025-10-26 01:30", "2025-10-26 03:00"},
		{"Su 02:00-02:30", "2025-10-26 00:10", "2025-10-26 00:30"},
		{"Su 02:00-02:30", "2025-10-26 00:30", "2025-10-26 01:00"},
		{"Su 02:00-02:30", "2025-10-26 01:00", "2025-10-26 01:30"},
	}
	for _, tt := range tests {
		from := utc(t, tt.from)
		got, ok := mustParse(t, tt.hours).NextChange(from)
		if tt.want == "" {
			if ok {
				t.Errorf("%q from %s: change at %s, want none", tt.hours, tt.from, got.UTC().Format("2006-01-02 15:04"))
			}
			continue
		}
		if !ok || !got.Equal(utc(t, tt.want)) {
			t.Errorf("%q from %s UTC: change at %s (%v), want %s UTC", tt.hours, tt.from, got.UTC().Format("2006-01-02 15:04"), ok, tt.want)
		}
	}
}

func TestDescribe(t *testing.T) {
	tests := []struct{ hours, at, want string }{
		{"Mo-Fr 09:00-17:00", "2025-01-06 10:00", "Ouvert maintenant, ferme à 17 h"},
		{"Mo-Fr 09:00-17:00", "2025-01-06 07:00", "Fermé, ouvre à 9 h"},
		{"Mo-Fr 09:00-17:00", "2025-01-11 10:00", "Fermé, ouvre lundi à 9 h"},
		{"Mo-Fr 08:30-12:00", "2025-01-09 18:00", "Fermé, ouvre demain à 8 h 30"},
		{"Mo-Fr 08:30-12:15", "2025-01-09 11:00", "Ouvert maintenant, ferme à 12 h 15"},
		{"Mo 10:00-12:00", "2025-01-06 13:00", "Fermé, ouvre lundi prochain à 10 h"},
		{"Fr 20:00-24:00", "2025-01-10 21:00", "Ouvert maintenant, ferme à minuit"},
		{"Fr 22:00-02:00", "2025-01-10 23:00", "Ouvert maintenant, ferme demain à 2 h"},
		{"Mo-Fr 09:00-17:00; PH off", "2025-04-18 18:00", "Fermé, ouvre mardi à 9 h"},
		{"Tu 09:00-12:00; Dec 23 off", "2025-12-22 13:00", "Fermé, ouvre le 30 décembre à 9 h"},
		{"24/7", "2025-01-06 10:00", "Ouvert 24 h/24"},
		{"off", "2025-01-06 10:00", "Fermé"},
		{"Mo-Fr 09:00-17:00; Aug off", "2025-08-10 10:00", "Fermé"},
	}
	for _, tt := range tests {
		if got := mustParse(t, tt.hours).Describe(local(t, tt.at)); got != tt.want {
			t.Errorf("%q at %s: %q, want %q", tt.hours, tt.at, got, tt.want)
		}
	}
}

func TestWeek(t *testing.T) {
	morning, afternoon := Interval{510, 720}, Interval{810, 1020}
	tests := []struct {
		hours string
		want  [7][]Interval
	}{
		{"Mo-Fr 08:30-12:00,13:30-17:00; We 08:30-12:00; PH off; Aug off", [7][]Interval{
			{morning, afternoon}, {morning, afternoon}, {morning}, {morning, afternoon}, {morning, afternoon}, nil, nil,
		}},
		{"Mo-Fr 08:30-12:00, Sa 09:00-12:00", [7][]Interval{
			{morning}, {morning}, {morning}, {morning}, {morning}, {{540, 720}}, nil,
		}},
		{"Fr 22:00-02:00", [7][]Interval{4: {{1320, 1560}}}},
		{"24/7", [7][]Interval{{{0, 1440}}, {{0, 1440}}, {{0, 1440}}, {{0, 1440}}, {{0, 1440}}, {{0, 1440}}, {{0, 1440}}}},
		{"Jul-Aug Mo-Fr 10:00-12:00", [7][]Interval{}},
		{"Sa,PH 09:00-12:00", [7][]Interval{5: {{540, 720}}}},
	}
	for _, tt := range tests {
		got := mustParse(t, tt.hours).Week()
		for d := range got {
			if !slices.Equal(got[d], tt.want[d]) {
				t.Errorf("%q: day %d = %v, want %v", tt.hours, d, got[d], tt.want[d])
			}
		}
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse("Mo-Fr 08:30-12:00,13:30-17:00; We 08:30-12:00; PH off; Dec 24-Dec 26 off"); err != nil {
			b.Fatal(err)
		}
	}
}

// Describe runs once per result card.
func BenchmarkDescribe(b *testing.B) {
	s, err := Parse("Mo-Fr 08:30-12:00,13:30-17:00; We 08:30-12:00; PH off; Dec 24-Dec 26 off")
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2025, 1, 10, 18, 0, 0, 0, paris) // Friday evening: the answer is Monday
	for b.Loop() {
		s.Describe(at)
	}
}
