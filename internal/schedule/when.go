package schedule

import (
	"fmt"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

// When says when a job is due. Time is cut into slots; a job runs once per
// slot, as soon as it can after the slot starts. Slot returns the start of
// the slot holding now. Calendar slots follow Paris time, summer time
// included.
type When interface {
	Slot(now time.Time) time.Time
	String() string // in French, for the administrators' page
}

// Every cuts time into slots of d (from the Unix epoch): Every(time.Minute).
func Every(d time.Duration) When {
	if d <= 0 {
		panic("schedule: Every needs a positive duration")
	}
	return every(d)
}

type every time.Duration

func (e every) Slot(now time.Time) time.Time { return now.Truncate(time.Duration(e)) }
func (e every) String() string {
	d := time.Duration(e)
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("toutes les %d h", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("toutes les %d min", d/time.Minute)
	case d%time.Second == 0:
		return fmt.Sprintf("toutes les %d s", d/time.Second)
	}
	return "toutes les " + d.String()
}

// Daily is every day at hour:minute, Paris time.
func Daily(hour, minute int) When { return calendar{hour: hour, minute: minute} }

// Weekly is every week on day at hour:minute, Paris time.
func Weekly(day time.Weekday, hour, minute int) When {
	return calendar{weekday: &day, hour: hour, minute: minute}
}

// Monthly is every month on day (1 to 28) at hour:minute, Paris time.
func Monthly(day, hour, minute int) When {
	if day < 1 || day > 28 {
		panic("schedule: Monthly needs a day from 1 to 28")
	}
	return calendar{monthday: day, hour: hour, minute: minute}
}

type calendar struct {
	weekday      *time.Weekday
	monthday     int
	hour, minute int
}

func (c calendar) Slot(now time.Time) time.Time {
	t := now.In(directory.Paris)
	y, m, d := t.Date()
	at := func(y int, m time.Month, d int) time.Time {
		return time.Date(y, m, d, c.hour, c.minute, 0, 0, directory.Paris)
	}
	switch {
	case c.monthday > 0:
		s := at(y, m, c.monthday)
		if s.After(now) {
			s = at(y, m-1, c.monthday)
		}
		return s
	case c.weekday != nil:
		back := (int(t.Weekday()) - int(*c.weekday) + 7) % 7
		s := at(y, m, d-back)
		if s.After(now) {
			s = at(y, m, d-back-7)
		}
		return s
	}
	s := at(y, m, d)
	if s.After(now) {
		s = at(y, m, d-1)
	}
	return s
}

var frenchWeekdays = [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

func (c calendar) String() string {
	hm := fmt.Sprintf("%02dh%02d", c.hour, c.minute)
	switch {
	case c.monthday > 0:
		return fmt.Sprintf("le %d de chaque mois à %s", c.monthday, hm)
	case c.weekday != nil:
		return "chaque " + frenchWeekdays[*c.weekday] + " à " + hm
	}
	return "chaque jour à " + hm
}
