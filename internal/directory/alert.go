package directory

import (
	"fmt"
	"time"
)

// Alert is a saved search whose news (services published or changed
// significantly, as feeds announce them) is mailed periodically.
type Alert struct {
	ID     string `bson:"_id"`
	Email  string `bson:"email"`             // normalised; the alert belongs to whoever reads this address
	UserID string `bson:"user_id,omitempty"` // the account that created it, if any
	// Query is the search, as the canonical URL parameters of its feed
	// ("code_commune=86194&thematiques=mobilite"): what the results page
	// had, without its sort, page and view.
	Query       string         `bson:"query"`
	Title       string         `bson:"title"` // what the search finds, in words, fixed at creation
	Frequency   AlertFrequency `bson:"frequency"`
	ConfirmedAt *time.Time     `bson:"confirmed_at,omitempty"` // nil until the address is confirmed: nothing is sent
	// Since is when the alert started to count news: its confirmation, or
	// its last change of frequency.
	Since     time.Time `bson:"since"`
	Version   int64     `bson:"version"`
	CreatedAt time.Time `bson:"created_at"`
	UpdatedAt time.Time `bson:"updated_at"`
}

// Confirmed reports whether the alert may be sent.
func (a *Alert) Confirmed() bool { return a.ConfirmedAt != nil }

// AlertFrequency is how often an alert is sent.
type AlertFrequency string

const (
	AlertDaily   AlertFrequency = "quotidienne"
	AlertWeekly  AlertFrequency = "hebdomadaire"
	AlertMonthly AlertFrequency = "mensuelle"
)

// AlertFrequencies lists the choices in order, for forms.
var AlertFrequencies = []AlertFrequency{AlertDaily, AlertWeekly, AlertMonthly}

// Label is the French label of the frequency.
func (f AlertFrequency) Label() string {
	switch f {
	case AlertDaily:
		return "Chaque jour"
	case AlertWeekly:
		return "Chaque semaine"
	case AlertMonthly:
		return "Chaque mois"
	}
	return string(f)
}

// Period names the period of t that a mail of this frequency covers, in
// Paris: "2026-12-03", "2026-W49", "2026-12".
func (f AlertFrequency) Period(t time.Time) string {
	t = t.In(Paris)
	switch f {
	case AlertWeekly:
		y, w := t.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	case AlertMonthly:
		return t.Format("2006-01")
	}
	return t.Format(time.DateOnly)
}

// Validate checks what a subscriber chooses.
func (a *Alert) Validate() error {
	f := FieldErrors{}
	if err := CheckEmail(a.Email); err != nil {
		f.Add("email", ErrorMessage(err))
	}
	switch a.Frequency {
	case AlertDaily, AlertWeekly, AlertMonthly:
	default:
		f.Add("frequence", "Choisissez la fréquence de l’alerte : chaque jour, chaque semaine ou chaque mois.")
	}
	if len(a.Query) > 2000 {
		f.Add("recherche", "Cette recherche est trop longue pour une alerte.")
	}
	return f.Err()
}
