package openinghours

import "time"

// PublicHoliday returns the name of the French national public holiday that
// falls on the given date. Regional holidays (Good Friday and 26 December in
// Alsace-Moselle, abolition days overseas) are not included: "PH" in a
// schedule has no place to resolve them against.
func PublicHoliday(year int, month time.Month, day int) (string, bool) {
	switch {
	case month == time.January && day == 1:
		return "Jour de l’an", true
	case month == time.May && day == 1:
		return "Fête du Travail", true
	case month == time.May && day == 8:
		return "Victoire 1945", true
	case month == time.July && day == 14:
		return "Fête nationale", true
	case month == time.August && day == 15:
		return "Assomption", true
	case month == time.November && day == 1:
		return "Toussaint", true
	case month == time.November && day == 11:
		return "Armistice 1918", true
	case month == time.December && day == 25:
		return "Noël", true
	}
	em, ed := easter(year)
	since := time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Sub(time.Date(year, em, ed, 0, 0, 0, 0, time.UTC))
	switch int(since.Hours() / 24) {
	case 1:
		return "Lundi de Pâques", true
	case 39:
		return "Ascension", true
	case 50:
		return "Lundi de Pentecôte", true
	}
	return "", false
}

// easter returns the date of Easter Sunday in the Gregorian calendar (the
// anonymous algorithm published by Meeus).
func easter(year int) (time.Month, int) {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return time.Month(n / 31), n%31 + 1
}
