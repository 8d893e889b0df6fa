package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

// openNow reports whether opening hours say the place is open at t; false
// when unknown.
func openNow(hours string, t time.Time) bool {
	if hours == "" {
		return false
	}
	sch := schedule(hours)
	return sch != nil && sch.IsOpen(t)
}

// hoursView is the opening hours block of a page.
type hoursView struct {
	Raw    string // shown as is when it does not parse
	Valid  bool
	Status string // "Ouvert maintenant, ferme à 17 h"
	Open   bool
	Days   []dayHours
}

type dayHours struct {
	Day   string
	Hours string
	Today bool
}

var weekdays = [7]string{"Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"}

func newHoursView(raw string, now time.Time) *hoursView {
	if raw == "" {
		return nil
	}
	v := &hoursView{Raw: raw}
	sch := schedule(raw)
	if sch == nil {
		return v
	}
	v.Valid = true
	v.Open = sch.IsOpen(now)
	v.Status = sch.Describe(now)
	today := (int(now.In(directory.Paris).Weekday()) + 6) % 7
	for i, ivs := range sch.Week() {
		d := dayHours{Day: weekdays[i], Hours: "Fermé", Today: i == today}
		if len(ivs) > 0 {
			parts := make([]string, len(ivs))
			for j, iv := range ivs {
				end := iv.End
				if end > 24*60 {
					end -= 24 * 60 // past midnight
				}
				parts[j] = clock(iv.Start) + " – " + clock(end)
			}
			d.Hours = strings.Join(parts, ", ")
		}
		v.Days = append(v.Days, d)
	}
	return v
}

// clock is "9 h", "12 h 30".
func clock(m int) string {
	if m%60 == 0 {
		return fmt.Sprintf("%d h", m/60)
	}
	return fmt.Sprintf("%d h %02d", m/60, m%60)
}
