package ui

import (
	"net/url"
	"strings"

	"github.com/repere-spie/repere/internal/openinghours"
)

// The editor's weekly grid of opening hours: one field a day read in French
// ("9h-12h, 14h-17h30", "fermé"), "sur rendez-vous", closed on public
// holidays, and the other rules (exceptions) in OSM syntax. The form marks
// itself with hoursGridMark; the value saved is written from the grid.
const (
	hoursGridMark  = "horaires_grille"
	hoursRDV       = "horaires_rdv"
	hoursHolidays  = "horaires_feries"
	hoursOther     = "horaires_autres"
	hoursDayPrefix = "horaires_"
)

var hoursDayKeys = [7]string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}

// hoursGrid is the grid as the template draws it.
type hoursGrid struct {
	ID, Error   string
	Days        []input
	Appointment choice
	Holidays    choice
	Other       input
	Conflict    *otherValue
}

// normalizeHours writes the field horaires_accueil of a posted form from its
// grid, or from French phrasing typed in the field, so that everything after
// (checks, conflicts, preview) reads one OSM value. It returns the French
// message of a day or rule it could not read ("" when all is well).
func normalizeHours(v url.Values) string {
	if v.Get(hoursGridMark) == "" {
		raw := strings.TrimSpace(v.Get("horaires_accueil"))
		if raw != "" {
			if _, err := openinghours.Parse(raw); err != nil {
				if osm, ok := openinghours.FromFrench(raw); ok {
					v.Set("horaires_accueil", osm)
				}
			}
		}
		return ""
	}
	var w openinghours.Week
	for d, key := range hoursDayKeys {
		ivs, ok := openinghours.DayHours(v.Get(hoursDayPrefix + key))
		if !ok {
			return weekdays[d] + " : horaires non reconnus. Écrivez par exemple « 9h-12h, 14h-17h30 », ou laissez vide si le service est fermé ce jour-là."
		}
		w.Days[d] = ivs
	}
	w.Appointment = v.Get(hoursRDV) != ""
	w.HolidaysOff = v.Get(hoursHolidays) != ""
	if other := strings.TrimSpace(v.Get(hoursOther)); other != "" {
		if _, err := openinghours.Parse(other); err != nil {
			osm, ok := openinghours.FromFrench(other)
			if !ok {
				return "Autres règles : " + err.Error()
			}
			other = osm
		}
		w.Extra = other
	}
	v.Set("horaires_accueil", w.String())
	return ""
}

// hoursGridOf fills the grid from the form: what was typed in it, or else
// the saved value split into days.
func hoursGridOf(f fields) *hoursGrid {
	g := &hoursGrid{ID: fieldID("horaires_accueil"), Error: f.errs["horaires_accueil"], Conflict: f.others["horaires_accueil"]}
	day := func(d int) string { return f.values.Get(hoursDayPrefix + hoursDayKeys[d]) }
	rdv, holidays, other := f.values.Get(hoursRDV) != "", f.values.Get(hoursHolidays) != "", f.values.Get(hoursOther)
	if f.values.Get(hoursGridMark) == "" {
		raw := f.values.Get("horaires_accueil")
		w, err := openinghours.SplitWeek(raw)
		if err != nil {
			other = raw // shown as typed, with its error, to be corrected
		} else {
			rdv, holidays, other = w.Appointment, w.HolidaysOff, w.Extra
		}
		day = func(d int) string { return openinghours.FormatDay(w.Days[d]) }
	}
	for d, key := range hoursDayKeys {
		in := input{ID: fieldID(hoursDayPrefix + key), Name: hoursDayPrefix + key, Label: weekdays[d], Type: "text",
			Value: day(d), Autocomplete: "off"}
		g.Days = append(g.Days, in)
	}
	g.Appointment = choice{ID: fieldID(hoursRDV), Name: hoursRDV, Value: "1", Label: "Sur rendez-vous uniquement", Checked: rdv}
	g.Holidays = choice{ID: fieldID(hoursHolidays), Name: hoursHolidays, Value: "1", Label: "Fermé les jours fériés", Checked: holidays}
	g.Other = input{ID: fieldID(hoursOther), Name: hoursOther, Type: "text", Value: other, Autocomplete: "off",
		Label: "Autres règles et exceptions (facultatif)",
		Hint:  "Par exemple « fermé en août » s’écrit « Aug off » ; les règles suivent le format OpenStreetMap et s’ajoutent à la semaine ci-dessus."}
	return g
}
