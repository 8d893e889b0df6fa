package directory

import (
	"slices"
	"time"
)

// SignificantChange reports whether a published service changed in a way a
// professional following its territory must hear of: where it serves, who it
// serves, what it costs, how and where to reach it, when it is open, what it
// offers. Wording fixes (name, description, details) are not announced.
func SignificantChange(old, cur *Service) bool {
	return !slices.Equal(old.EligibilityZone, cur.EligibilityZone) ||
		!slices.Equal(old.ReceptionModes, cur.ReceptionModes) ||
		!slices.Equal(old.MobilisationModes, cur.MobilisationModes) ||
		!slices.Equal(old.MobilisableBy, cur.MobilisableBy) ||
		!slices.Equal(old.Thematiques, cur.Thematiques) ||
		!slices.Equal(old.Publics, cur.Publics) ||
		old.MobilisationLink != cur.MobilisationLink ||
		old.Address != cur.Address || old.CodeInsee != cur.CodeInsee || old.PostalCode != cur.PostalCode ||
		old.Fees != cur.Fees ||
		old.OpeningHours != cur.OpeningHours ||
		old.Phone != cur.Phone || old.Email != cur.Email
}

// Announce stamps cur as news when it becomes visible or changes
// significantly while published; prev is the stored state (nil for a new
// service). It is called just before cur is written at version cur.Version+1.
func Announce(prev, cur *Service, now time.Time) {
	if cur.Status != StatusPublished {
		return
	}
	if cur.PublishedAt == nil {
		t := now
		cur.PublishedAt = &t
	}
	if prev == nil || prev.Status != StatusPublished || SignificantChange(prev, cur) {
		t := now
		cur.AnnouncedAt, cur.AnnouncedVersion = &t, cur.Version+1
	}
}
