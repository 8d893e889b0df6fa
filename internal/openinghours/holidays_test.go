package openinghours

import (
	"testing"
	"time"
)

func TestEaster(t *testing.T) {
	tests := []struct {
		year  int
		month time.Month
		day   int
	}{
		{1818, time.March, 22},
		{1943, time.April, 25},
		{2000, time.April, 23},
		{2019, time.April, 21},
		{2024, time.March, 31},
		{2025, time.April, 20},
		{2026, time.April, 5},
		{2027, time.March, 28},
		{2038, time.April, 25},
		{2285, time.March, 22},
	}
	for _, tt := range tests {
		if m, d := easter(tt.year); m != tt.month || d != tt.day {
			t.Errorf("easter(%d) = %d %s, want %d %s", tt.year, d, m, tt.day, tt.month)
		}
	}
}

func TestPublicHoliday(t *testing.T) {
	want2026 := map[string]string{
		"2026-01-01": "Jour de l’an",
		"2026-04-06": "Lundi de Pâques",
		"2026-05-01": "Fête du Travail",
		"2026-05-08": "Victoire 1945",
		"2026-05-14": "Ascension",
		"2026-05-25": "Lundi de Pentecôte",
		"2026-07-14": "Fête nationale",
		"2026-08-15": "Assomption",
		"2026-11-01": "Toussaint",
		"2026-11-11": "Armistice 1918",
		"2026-12-25": "Noël",
	}
	found := 0
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		name, ok := PublicHoliday(d.Year(), d.Month(), d.Day())
		want, wantOK := want2026[d.Format(time.DateOnly)]
		if ok != wantOK || name != want {
			t.Errorf("%s: %q %v, want %q %v", d.Format(time.DateOnly), name, ok, want, wantOK)
		}
		if ok {
			found++
		}
	}
	if found != 11 {
		t.Errorf("%d holidays in 2026, want 11", found)
	}

	// Easter-based dates move with the year.
	for _, tt := range []struct {
		date string
		name string
	}{
		{"2024-04-01", "Lundi de Pâques"},
		{"2024-05-09", "Ascension"},
		{"2024-05-20", "Lundi de Pentecôte"},
		{"2025-04-21", "Lundi de Pâques"},
		{"2025-05-29", "Ascension"},
		{"2025-06-09", "Lundi de Pentecôte"},
		{"2025-04-18", ""}, // Vendredi saint: Alsace-Moselle only
		{"2025-12-26", ""},
	} {
		d, _ := time.Parse(time.DateOnly, tt.date)
		if name, _ := PublicHoliday(d.Year(), d.Month(), d.Day()); name != tt.name {
			t.Errorf("%s: %q, want %q", tt.date, name, tt.name)
		}
	}
}
