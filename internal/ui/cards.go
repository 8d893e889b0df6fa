package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

// cardView is one result card.
type cardView struct {
	ID            string
	URL           string
	Name          string
	StructureName string
	StructureURL  string
	Place         string // "Poitiers, à 1,2 km" or "À distance · Région Corse"
	Tags          []string
	More          int // thématiques not shown as tags
	Fees          string
	Modes         string
	Updated       string
	UpdatedISO    string
	Open          bool
	Excerpt       string
	Lat, Lon      string // "" when not received on site
}

// maxTags bounds the thématiques shown on a card.
const maxTags = 3

// maxCardZones bounds the territories a remote card names.
const maxCardZones = 2

func newCard(h *directory.Hit, now time.Time, zoneName func(directory.Zone) string) cardView {
	c := cardView{
		ID:            h.ID,
		URL:           serviceURL(h.ID, h.Name),
		Name:          h.Name,
		StructureName: h.StructureName,
		Fees:          directory.Fees.Label(h.Fees),
		Excerpt:       h.Excerpt,
		Open:          openNow(h.OpeningHours, now),
		Lat:           coord(h.Lat),
		Lon:           coord(h.Lon),
	}
	if h.Fees == "" {
		c.Fees = ""
	}
	if h.StructureID != "" {
		c.StructureURL = structureURL(h.StructureID, h.StructureName)
	}
	switch {
	case h.DistanceMeters != nil && h.CommuneName != "":
		c.Place = h.CommuneName + ", " + distance(*h.DistanceMeters)
	case h.DistanceMeters != nil:
		c.Place = strings.TrimPrefix(distance(*h.DistanceMeters), "à ")
	case h.CommuneName != "" && !h.Remote:
		c.Place = h.CommuneName
	case h.Remote:
		c.Place = remotePlace(h.Zones, zoneName)
	}
	for i, t := range h.Thematiques {
		if i == maxTags {
			c.More = len(h.Thematiques) - maxTags
			break
		}
		c.Tags = append(c.Tags, thematiqueLabel(t))
	}
	c.Modes = strings.Join(labels(directory.ReceptionModes, h.ReceptionModes), ", ")
	if !h.UpdatedAt.IsZero() {
		c.Updated = "Mis à jour " + ago(now, h.UpdatedAt)
		c.UpdatedISO = h.UpdatedAt.Format(time.DateOnly)
	}
	return c
}

// cards are the result cards of hits.
func (s *Server) cards(hits []directory.Hit) []cardView {
	now := s.now()
	out := make([]cardView, len(hits))
	for i := range hits {
		out[i] = newCard(&hits[i], now, s.zoneName)
	}
	return out
}

// remotePlace is the place line of a service working at a distance: the
// area it serves, named as on its page, since « À distance » alone does not
// say whether the person is eligible ("À distance · Région Corse").
func remotePlace(zones []directory.Zone, zoneName func(directory.Zone) string) string {
	if len(zones) == 0 {
		return "À distance"
	}
	names := make([]string, 0, maxCardZones)
	for _, z := range zones[:min(len(zones), maxCardZones)] {
		names = append(names, zoneName(z))
	}
	place := "À distance · " + strings.Join(names, ", ")
	if more := len(zones) - maxCardZones; more > 0 {
		place += " et " + plural(more, "autre zone", "autres zones")
	}
	return place
}

// countLabel is "12 services" with the number in French.
func countLabel(n int) string { return plural(n, "service", "services") }

// itoa is strconv.Itoa, short for templates' helpers.
func itoa(n int) string { return strconv.Itoa(n) }
