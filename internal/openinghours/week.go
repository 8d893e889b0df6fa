package openinghours

import (
	"slices"
	"strings"
)

// Week is a value as the editor's weekly grid shows it: the hours of each
// weekday (Monday first), "sur rendez-vous", closed on public holidays, and
// the rules a grid cannot show (dates, exceptions) kept in OSM syntax.
type Week struct {
	Days        [7][]Interval
	Appointment bool   // the grid's rules carry the comment "sur rendez-vous"
	HolidaysOff bool   // "PH off"
	Extra       string // other rules, after the grid's, in OSM syntax
}

// Appointment is the comment the grid writes for "sur rendez-vous".
const Appointment = "sur rendez-vous"

// SplitWeek reads a value into a grid. Rules of weekdays and times (or off)
// fill the grid, in order, as the schedule would apply them; a rule of
// public holidays off ticks HolidaysOff; from the first other rule on,
// everything stays in Extra, so that the order of the rules is kept.
func SplitWeek(s string) (Week, error) {
	var w Week
	if strings.TrimSpace(s) == "" {
		return w, nil
	}
	sch, err := Parse(s)
	if err != nil {
		return w, err
	}
	var extra []rule
	for _, r := range sch.rules {
		grid := len(extra) == 0 && !r.always && len(r.dates) == 0 && !r.holidays && r.weekdays != 0 &&
			(r.comment == "" || r.comment == Appointment) && (len(r.times) > 0) != r.off
		switch {
		case grid:
			for d := range 7 {
				if r.weekdays&(1<<d) == 0 {
					continue
				}
				switch {
				case r.off:
					w.Days[d] = nil
				case r.additional:
					w.Days[d] = merge(append(slices.Clone(w.Days[d]), r.times...))
				default:
					w.Days[d] = slices.Clone(r.times)
				}
			}
			if r.comment == Appointment {
				w.Appointment = true
			}
		case len(extra) == 0 && r.holidays && r.weekdays == 0 && r.off && len(r.times) == 0 && len(r.dates) == 0 && !r.additional:
			w.HolidaysOff = true
		default:
			extra = append(extra, r)
		}
	}
	if len(extra) > 0 {
		extra[0].additional = false
		w.Extra = (&Schedule{rules: extra}).String()
	}
	return w, nil
}

// String writes the week in OSM syntax: days with the same hours together
// ("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"), then "PH off", then
// the extra rules. An empty grid without extra rules is "".
func (w Week) String() string {
	var rules []string
	done := uint8(0)
	for d := range 7 {
		if len(w.Days[d]) == 0 || done&(1<<d) != 0 {
			continue
		}
		mask := uint8(0)
		for e := d; e < 7; e++ {
			if slices.Equal(w.Days[e], w.Days[d]) {
				mask |= 1 << e
			}
		}
		done |= mask
		r := rule{weekdays: mask, times: w.Days[d]}
		if w.Appointment {
			r.comment = Appointment
		}
		rules = append(rules, r.format(nil))
	}
	if len(rules) > 0 && w.HolidaysOff {
		rules = append(rules, "PH off")
	}
	if x := strings.TrimSpace(w.Extra); x != "" {
		rules = append(rules, strings.TrimRight(x, "; "))
	}
	return strings.Join(rules, "; ")
}

// FormatDay writes a day's hours for a grid field: "09:00-12:00, 14:00-17:30".
func FormatDay(ivs []Interval) string {
	var out []string
	for _, iv := range ivs {
		out = append(out, formatClock(iv.Start)+"-"+formatEnd(iv))
	}
	return strings.Join(out, ", ")
}
