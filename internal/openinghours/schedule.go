// Package openinghours parses and evaluates the OpenStreetMap opening_hours
// syntax (https://wiki.openstreetmap.org/wiki/Key:opening_hours), the format of
// data·inclusion's horaires_accueil, in the subset that real services use.
// Times are wall-clock times in Europe/Paris.
package openinghours

import (
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the evaluation must not depend on the host's zoneinfo
)

var paris = mustLoadParis()

func mustLoadParis() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err) // unreachable: time/tzdata is linked in
	}
	return loc
}

// Interval is an opening on one day, in minutes since midnight. End may exceed
// 1440 when the opening runs past midnight (22:00-02:00 is {1320, 1560}).
type Interval struct{ Start, End int }

// Schedule is a parsed opening_hours value.
//
// Rules apply in order to each day they select. A rule after ";" replaces the
// hours of its days; a rule after "," adds to them. An "off" rule closes its
// days, or only its times when it has some ("Mo-Fr 09:00-18:00; We
// 12:00-14:00 off" keeps Wednesday morning and evening).
type Schedule struct {
	rules []rule
}

type rule struct {
	additional bool // follows a ","
	always     bool // written "24/7"
	dates      []dateRange
	weekdays   uint8 // bit 0 is Monday
	holidays   bool  // PH
	times      []Interval
	off        bool
	comment    string
}

// dateRange is "Jan-Jun" (days 0: whole months) or "Dec 24-26". A range whose
// end comes before its start wraps over the new year.
type dateRange struct{ fromMonth, fromDay, toMonth, toDay int }

func (d dateRange) contains(month time.Month, day int) bool {
	from := d.fromMonth*100 + max(d.fromDay, 1)
	to := d.toMonth*100 + 31
	if d.toDay > 0 {
		to = d.toMonth*100 + d.toDay
	}
	k := int(month)*100 + day
	if from <= to {
		return from <= k && k <= to
	}
	return k >= from || k <= to
}

// dayInfo is what rules select on.
type dayInfo struct {
	month   time.Month
	day     int
	weekday int // 0 is Monday
	holiday bool
	typical bool // an ordinary week: rules limited to dates do not apply
}

func (r *rule) selects(d dayInfo) bool {
	if len(r.dates) > 0 {
		if d.typical || !slices.ContainsFunc(r.dates, func(dr dateRange) bool { return dr.contains(d.month, d.day) }) {
			return false
		}
	}
	if r.weekdays == 0 && !r.holidays {
		return true
	}
	return r.weekdays&(1<<d.weekday) != 0 || r.holidays && d.holiday
}

var wholeDay = []Interval{{0, 24 * 60}}

// hours returns the openings that start on day d, sorted and merged.
func (s *Schedule) hours(d dayInfo) []Interval {
	var cur []Interval
	for i := range s.rules {
		r := &s.rules[i]
		if !r.selects(d) {
			continue
		}
		times := r.times
		if len(times) == 0 {
			times = wholeDay
		}
		switch {
		case r.off && len(r.times) == 0:
			cur = nil
		case r.off:
			cur = subtract(cur, times)
		case r.additional:
			cur = merge(append(slices.Clone(cur), times...))
		default:
			cur = slices.Clone(times)
		}
	}
	return cur
}

func subtract(from, cut []Interval) []Interval {
	out := from
	for _, c := range cut {
		var next []Interval
		for _, iv := range out {
			if c.End <= iv.Start || c.Start >= iv.End {
				next = append(next, iv)
				continue
			}
			if iv.Start < c.Start {
				next = append(next, Interval{iv.Start, c.Start})
			}
			if c.End < iv.End {
				next = append(next, Interval{c.End, iv.End})
			}
		}
		out = next
	}
	return out
}

// date is a civil date; normalised through time.Date so that day arithmetic
// carries over months and years.
type date struct {
	year  int
	month time.Month
	day   int
}

func dateOf(t time.Time) date {
	y, m, d := t.Date()
	return date{y, m, d}
}

func (d date) add(days int) date {
	return dateOf(time.Date(d.year, d.month, d.day+days, 0, 0, 0, 0, time.UTC))
}

func (d date) info() dayInfo {
	wd := time.Date(d.year, d.month, d.day, 0, 0, 0, 0, time.UTC).Weekday()
	_, holiday := PublicHoliday(d.year, d.month, d.day)
	return dayInfo{month: d.month, day: d.day, weekday: (int(wd) + 6) % 7, holiday: holiday}
}

func (s *Schedule) on(d date) []Interval { return s.hours(d.info()) }

// IsOpen reports whether the schedule is open at t, read on the Paris clock.
func (s *Schedule) IsOpen(t time.Time) bool {
	lt := t.In(paris)
	today := dateOf(lt)
	m := lt.Hour()*60 + lt.Minute()
	for _, iv := range s.on(today) {
		if iv.Start <= m && m < iv.End {
			return true
		}
	}
	for _, iv := range s.on(today.add(-1)) {
		if iv.Start <= m+24*60 && m+24*60 < iv.End {
			return true
		}
	}
	return false
}

// horizon bounds NextChange: a week and a day covers "opens next Monday".
const horizon = 8 * 24 * time.Hour

// NextChange returns the first instant after t at which the schedule opens or
// closes, looking no further than 8 days ahead.
func (s *Schedule) NextChange(t time.Time) (time.Time, bool) {
	lt := t.In(paris)
	today := dateOf(lt)
	limit := t.Add(horizon)
	var candidates []time.Time
	for k := -1; k <= 9; k++ {
		d := today.add(k)
		for _, iv := range s.on(d) {
			candidates = appendInstants(candidates, d, iv.Start)
			candidates = appendInstants(candidates, d, iv.End)
		}
	}
	// Inside a DST gap the state changes at the jump itself, which no wall
	// time names.
	if _, end := lt.ZoneBounds(); !end.IsZero() {
		candidates = append(candidates, end.In(paris))
	}
	slices.SortFunc(candidates, func(a, b time.Time) int { return a.Compare(b) })
	open := s.IsOpen(t)
	for _, c := range candidates {
		if !c.After(t) || c.After(limit) {
			continue
		}
		if s.IsOpen(c) != open {
			return c, true
		}
	}
	return time.Time{}, false
}

// appendInstants appends every instant at which the Paris clock reads minute
// m of day d: none in the spring gap, two in the repeated autumn hour.
func appendInstants(list []time.Time, d date, m int) []time.Time {
	want := time.Date(d.year, d.month, d.day, 0, m, 0, 0, time.UTC)
	base := time.Date(d.year, d.month, d.day, 0, m, 0, 0, paris)
	for _, delta := range []time.Duration{-time.Hour, 0, time.Hour} {
		c := base.Add(delta)
		y, mo, da := c.Date()
		if y == want.Year() && mo == want.Month() && da == want.Day() && c.Hour() == want.Hour() && c.Minute() == want.Minute() {
			list = append(list, c)
		}
	}
	return list
}

// Week returns the hours of an ordinary week, Monday to Sunday, for a table:
// rules limited to dates are left out and no day is a public holiday.
func (s *Schedule) Week() [7][]Interval {
	var w [7][]Interval
	for i := range w {
		w[i] = s.hours(dayInfo{weekday: i, typical: true})
	}
	return w
}

// Describe says in French whether the schedule is open at t and when that
// changes: "Ouvert maintenant, ferme à 17 h", "Fermé, ouvre lundi à 9 h".
func (s *Schedule) Describe(t time.Time) string {
	open := s.IsOpen(t)
	next, ok := s.NextChange(t)
	switch {
	case open && !ok:
		return "Ouvert 24 h/24"
	case open:
		return "Ouvert maintenant, ferme " + when(t, next)
	case !ok:
		return "Fermé"
	}
	return "Fermé, ouvre " + when(t, next)
}

var (
	frenchWeekdays = [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	frenchMonths   = [13]string{"", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
)

// when phrases the instant at relative to now: "à 17 h", "demain à 8 h 30",
// "lundi à 9 h".
func when(now, at time.Time) string {
	now, at = now.In(paris), at.In(paris)
	day := dateOf(at)
	clock := fmt.Sprintf("%d h", at.Hour())
	if at.Minute() != 0 {
		clock += fmt.Sprintf(" %02d", at.Minute())
	}
	if at.Hour() == 0 && at.Minute() == 0 {
		// Midnight ends the evening before: "ferme à minuit", not "demain à 0 h".
		day, clock = day.add(-1), "minuit"
	}
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	to := time.Date(day.year, day.month, day.day, 0, 0, 0, 0, time.UTC)
	wd := frenchWeekdays[to.Weekday()]
	switch n := int(to.Sub(from).Hours() / 24); {
	case n <= 0:
		return "à " + clock
	case n == 1:
		return "demain à " + clock
	case n < 7:
		return wd + " à " + clock
	case n == 7:
		return wd + " prochain à " + clock
	default:
		return fmt.Sprintf("le %d %s à %s", day.day, frenchMonths[day.month], clock)
	}
}

// String returns the canonical form of the schedule, which Parse reads back
// to the same schedule.
func (s *Schedule) String() string {
	var b strings.Builder
	for i := range s.rules {
		r := &s.rules[i]
		if i > 0 {
			if r.additional {
				b.WriteString(", ")
			} else {
				b.WriteString("; ")
			}
		}
		var next *rule
		if i+1 < len(s.rules) && s.rules[i+1].additional {
			next = &s.rules[i+1]
		}
		b.WriteString(r.format(next))
	}
	return b.String()
}

// Selector kinds, to tell when a list would swallow the additional rule that
// follows it.
const (
	partNone = iota
	partDates
	partDays
	partTimes
)

func (r *rule) format(next *rule) string {
	var parts []string
	last := partNone
	if r.always {
		parts = append(parts, "24/7")
	}
	if len(r.dates) > 0 {
		var ds []string
		for _, d := range r.dates {
			ds = append(ds, d.String())
		}
		parts = append(parts, strings.Join(ds, ","))
		last = partDates
	}
	if r.weekdays != 0 || r.holidays {
		parts = append(parts, formatDays(r.weekdays, r.holidays))
		last = partDays
	}
	if len(r.times) > 0 {
		var ts []string
		for _, iv := range r.times {
			ts = append(ts, formatClock(iv.Start)+"-"+formatEnd(iv))
		}
		parts = append(parts, strings.Join(ts, ","))
		last = partTimes
	}
	switch {
	case r.off:
		parts = append(parts, "off")
	case len(parts) == 0 || r.comment == "" && next != nil && last != partNone && last == next.first():
		// "Mo open, Tu 10:00-12:00": without "open" the comma would join
		// Tu to Mo's list.
		parts = append(parts, "open")
	}
	if r.comment != "" {
		parts = append(parts, `"`+r.comment+`"`)
	}
	return strings.Join(parts, " ")
}

func (r *rule) first() int {
	switch {
	case r.always:
		return partNone
	case len(r.dates) > 0:
		return partDates
	case r.weekdays != 0 || r.holidays:
		return partDays
	case len(r.times) > 0:
		return partTimes
	}
	return partNone
}

func formatDays(mask uint8, holidays bool) string {
	var items []string
	for d := 0; d < 7; {
		if mask&(1<<d) == 0 {
			d++
			continue
		}
		end := d
		for end+1 < 7 && mask&(1<<(end+1)) != 0 {
			end++
		}
		if end == d {
			items = append(items, weekdayNames[d])
		} else {
			items = append(items, weekdayNames[d]+"-"+weekdayNames[end])
		}
		d = end + 1
	}
	if holidays {
		items = append(items, "PH")
	}
	return strings.Join(items, ",")
}

func formatClock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// formatEnd writes an end past midnight the usual way ("22:00-02:00") unless
// that would read as a shorter range, then as an extended hour ("10:00-34:00").
func formatEnd(iv Interval) string {
	if iv.End > 24*60 && iv.End-24*60 < iv.Start {
		return formatClock(iv.End - 24*60)
	}
	return formatClock(iv.End)
}

func (d dateRange) String() string {
	if d.fromDay == 0 {
		if d.fromMonth == d.toMonth {
			return monthNames[d.fromMonth]
		}
		return monthNames[d.fromMonth] + "-" + monthNames[d.toMonth]
	}
	from := fmt.Sprintf("%s %02d", monthNames[d.fromMonth], d.fromDay)
	switch {
	case d.fromMonth == d.toMonth && d.fromDay == d.toDay:
		return from
	case d.fromMonth == d.toMonth:
		return fmt.Sprintf("%s-%02d", from, d.toDay)
	}
	return fmt.Sprintf("%s-%s %02d", from, monthNames[d.toMonth], d.toDay)
}
