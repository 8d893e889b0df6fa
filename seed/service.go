package seed

import (
	"slices"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

var mobilisationModes = []string{"se-presenter", "telephoner", "envoyer-un-courriel", "utiliser-lien-mobilisation"}

func (g *generator) service(s *directory.Structure, k *kind, p place, area, domain string, oi int) *directory.Service {
	o := &offers[oi]
	category, _, _ := strings.Cut(o.besoin, "--")
	sv := &directory.Service{
		ID:          g.newID(),
		StructureID: s.ID,
		Source:      Source,
		Name:        o.name,
		Type:        o.typ,
		Thematiques: []string{o.besoin},
		Fees:        o.fees,
		Provenance:  s.Provenance,
	}
	// A structure offering a whole category often lists two of its besoins.
	if slices.Contains(k.offers, category) && g.r.IntN(3) == 0 {
		if b := pick(g.r, directory.Besoins(category)); b != o.besoin {
			sv.Thematiques = append(sv.Thematiques, b)
		}
	}
	if sv.Fees == "payant" {
		sv.FeesDetails = pick(g.r, feesDetails)
	}
	sv.Publics = g.publics(category)
	if g.r.IntN(4) == 0 {
		sv.PublicsDetails = pick(g.r, publicsDetails)
	}
	if g.r.IntN(10) < 3 {
		sv.AccessConditions = pick(g.r, accessConditions)
	}

	// About 15 % of services are offered at a distance, two in five of those
	// also on site.
	switch u := g.r.IntN(100); {
	case u < 9:
		sv.ReceptionModes = []string{"a-distance"}
	case u < 15:
		sv.ReceptionModes = []string{"a-distance", "en-presentiel"}
	default:
		sv.ReceptionModes = []string{"en-presentiel"}
	}
	remoteOnly := len(sv.ReceptionModes) == 1 && sv.ReceptionModes[0] == "a-distance"

	// Most services run at the structure's address; some hold a permanence in
	// another commune of the same EPCI.
	if !remoteOnly && g.r.IntN(10) < 3 {
		c := p.commune
		if idx := g.byEPCI[c.EPCI]; len(idx) > 1 {
			c = g.pickAmong(idx)
		}
		p = g.newPlace(c)
	}
	sv.Address, sv.AddressComplement, sv.Longitude, sv.Latitude = p.address, p.complement, p.lon, p.lat
	sv.CodeInsee, sv.PostalCode, sv.CommuneName = p.commune.Code, p.commune.PostalCodes[0], p.commune.Name
	sv.EligibilityZone = g.zone(k.scope, p.commune, remoteOnly)

	sv.MobilisationModes = g.modes(remoteOnly)
	switch u := g.r.IntN(20); {
	case u < 9:
		sv.MobilisableBy = []string{"usagers", "professionnels"}
	case u < 15:
		sv.MobilisableBy = []string{"usagers"}
	default:
		sv.MobilisableBy = []string{"professionnels"}
	}
	if g.r.IntN(4) == 0 {
		sv.MobilisationDetails = pick(g.r, mobilisationDetails)
	}
	if slices.Contains(sv.MobilisationModes, "utiliser-lien-mobilisation") {
		sv.MobilisationLink = "https://www." + domain + "/inscription"
	}
	switch u := g.r.IntN(10); {
	case u < 7 && s.Phone != "":
		sv.Phone = s.Phone
	case u < 8 || slices.Contains(sv.MobilisationModes, "telephoner"):
		sv.Phone = phone(g.r, area)
	}
	first, last := pick(g.r, firstNames), pick(g.r, lastNames)
	if g.r.IntN(10) < 4 {
		sv.ContactName = first + " " + last
		sv.Email = g.cachedSlug(first) + "." + g.cachedSlug(last) + "@" + domain
	} else if g.r.IntN(10) < 8 || slices.Contains(sv.MobilisationModes, "envoyer-un-courriel") {
		sv.Email = s.Email
	}
	if sv.Phone == "" && sv.Email == "" && sv.MobilisationLink == "" {
		sv.Email = s.Email // a remote service needs a way in
	}
	if g.r.IntN(10) < 6 {
		sv.OpeningHours = pick(g.r, hours)
	}
	if (o.typ == "atelier" || o.typ == "formation") && g.r.IntN(10) < 7 {
		weeks := 1 + g.r.IntN(16)
		perWeek := pick(g.r, []float64{1.5, 2, 3, 6, 12, 20, 35})
		sv.WeeksCount, sv.WeeklyHours = &weeks, &perWeek
	}
	sv.Description = g.description(o, category, p.commune, sv)

	g.lifecycle(sv)
	return sv
}

// publics returns ["tous-publics"] for about a third of services, else one to
// three publics of the category, the first in turn so that every public
// comes up.
func (g *generator) publics(category string) []string {
	if g.r.IntN(3) == 0 {
		return []string{"tous-publics"}
	}
	list := categories[category].publics
	first := list[g.publicsCursor[category]%len(list)]
	g.publicsCursor[category]++
	out := []string{first}
	for range g.r.IntN(3) {
		if p := pick(g.r, list); !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// modes returns modes of mobilisation in a fixed order; nobody walks in to a
// service offered at a distance only.
func (g *generator) modes(remoteOnly bool) []string {
	var out []string
	for len(out) == 0 {
		for _, m := range mobilisationModes {
			if g.r.IntN(10) < 4 && !(remoteOnly && m == "se-presenter") {
				out = append(out, m)
			}
		}
	}
	return out
}

// zone chooses the eligibility zone: mostly the territory the kind of
// structure serves, sometimes a level above or below.
func (g *generator) zone(scope directory.ZoneKind, c *directory.Commune, remoteOnly bool) []directory.Zone {
	type share struct {
		kind directory.ZoneKind
		pct  int
	}
	var mix []share
	switch {
	case remoteOnly:
		mix = []share{{directory.ZoneDepartement, 40}, {directory.ZoneRegion, 25}, {directory.ZoneFrance, 35}}
	case scope == directory.ZoneCommune:
		mix = []share{{directory.ZoneCommune, 65}, {directory.ZoneEPCI, 25}, {directory.ZoneDepartement, 10}}
	case scope == directory.ZoneEPCI:
		mix = []share{{directory.ZoneCommune, 20}, {directory.ZoneEPCI, 55}, {directory.ZoneDepartement, 25}}
	case scope == directory.ZoneDepartement:
		mix = []share{{directory.ZoneEPCI, 10}, {directory.ZoneDepartement, 80}, {directory.ZoneRegion, 10}}
	case scope == directory.ZoneRegion:
		mix = []share{{directory.ZoneDepartement, 30}, {directory.ZoneRegion, 60}, {directory.ZoneFrance, 10}}
	default:
		mix = []share{{directory.ZoneRegion, 20}, {directory.ZoneFrance, 80}}
	}
	u := g.r.IntN(100)
	kind := mix[len(mix)-1].kind
	for _, s := range mix {
		if u < s.pct {
			kind = s.kind
			break
		}
		u -= s.pct
	}
	if kind == directory.ZoneEPCI && c.EPCI == "" {
		kind = directory.ZoneCommune
	}
	zones := []directory.Zone{{Kind: kind}}
	switch kind {
	case directory.ZoneCommune:
		zones[0].Code = c.Code
		// Some services also serve a few neighbouring communes.
		if idx := g.byEPCI[c.EPCI]; len(idx) > 2 && g.r.IntN(6) == 0 {
			for range 1 + g.r.IntN(3) {
				z := directory.Zone{Kind: directory.ZoneCommune, Code: g.communes[pick(g.r, idx)].Code}
				if !slices.Contains(zones, z) {
					zones = append(zones, z)
				}
			}
		}
	case directory.ZoneEPCI:
		zones[0].Code = c.EPCI
	case directory.ZoneDepartement:
		zones[0].Code = c.Departement
		if deps := g.regionDeps[c.Region]; len(deps) > 1 && g.r.IntN(10) == 0 {
			if d := pick(g.r, deps); d != c.Departement {
				zones = append(zones, directory.Zone{Kind: directory.ZoneDepartement, Code: d})
			}
		}
	case directory.ZoneRegion:
		zones[0].Code = c.Region
	}
	return zones
}

// description writes the Markdown description: the offer's paragraph, a list
// drawn from its category, and how to get in touch.
func (g *generator) description(o *offer, category string, c *directory.Commune, sv *directory.Service) string {
	var b strings.Builder
	b.Grow(800)
	b.WriteString(strings.ReplaceAll(o.text, "{a_commune}", aCommune(c.Name)))
	b.WriteString("\n\n")
	b.WriteString(pick(g.r, listHeadings))
	b.WriteByte('\n')
	// Three items of the category, in their order (which follows a
	// person's path).
	bullets := categories[category].bullets
	skip := map[int]bool{}
	for len(bullets)-len(skip) > 3 {
		skip[g.r.IntN(len(bullets))] = true
	}
	n := 0
	for i, item := range bullets {
		if skip[i] {
			continue
		}
		if n++; n < 3 {
			b.WriteString("- " + item + " ;\n")
		} else {
			b.WriteString("- " + item + ".\n")
		}
	}
	b.WriteByte('\n')
	for i, m := range sv.MobilisationModes {
		if i == 2 {
			break
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(mobilisationSentences[m])
	}
	if slices.Contains(sv.MobilisableBy, "professionnels") {
		b.WriteByte(' ')
		b.WriteString(professionalsSentence)
	}
	return b.String()
}

// lifecycle sets the status, the update frequency and the dates.
func (g *generator) lifecycle(sv *directory.Service) {
	sv.UpdatedAt = g.moment(540)
	sv.CreatedAt = sv.UpdatedAt.Add(-time.Duration(g.r.IntN(900*24)) * time.Hour)
	sv.Version = 1 + int64(g.r.IntN(6))
	switch u := g.r.IntN(100); {
	case u < 84:
		sv.Status = directory.StatusPublished
	case u < 87:
		sv.Status = directory.StatusPublished
		y, m, d := g.opt.Now.In(directory.Paris).AddDate(0, 0, 3+g.r.IntN(90)).Date()
		until := time.Date(y, m, d, 0, 0, 0, 0, directory.Paris)
		sv.SuspendedUntil = &until
	case u < 94:
		sv.Status = directory.StatusDraft
	default:
		sv.Status = directory.StatusArchived
	}
	if sv.Status != directory.StatusDraft {
		published := sv.CreatedAt.Add(time.Duration(g.r.IntN(30*24)) * time.Hour)
		if published.After(sv.UpdatedAt) {
			published = sv.UpdatedAt
		}
		sv.PublishedAt = &published
	}
	switch u := g.r.IntN(20); {
	case u < 2:
		sv.UpdateFrequency = directory.FrequencyMonthly
	case u < 7:
		sv.UpdateFrequency = directory.FrequencyQuarterly
	case u < 16:
		sv.UpdateFrequency = directory.FrequencyHalfYearly
	default:
		sv.UpdateFrequency = directory.FrequencyYearly
	}
}
