package ui

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// territory is a zone a service may serve, as the zone picker proposes it.
type territory struct {
	Key    string `json:"cle"`     // the zone key, "departement:86"
	Label  string `json:"libelle"` // "Vienne (86)"
	Kind   string `json:"type"`    // "Département"
	folded string
	code   string
	rank   int // France, régions, départements, EPCI: the wider first
	pop    int
}

// territories lists France, the régions, départements and EPCI, built from
// the gazetteer on first use; communes are searched in the gazetteer.
type territories struct {
	once sync.Once
	list []territory
}

var zoneKinds = map[directory.ZoneKind]string{directory.ZoneFrance: "Pays", directory.ZoneRegion: "Région",
	directory.ZoneDepartement: "Département", directory.ZoneEPCI: "Intercommunalité", directory.ZoneCommune: "Commune"}

func (s *Server) territoryList() []territory {
	s.terr.once.Do(func() {
		list := []territory{{Key: directory.France.Key(), Label: "France entière", Kind: zoneKinds[directory.ZoneFrance], folded: "france entiere"}}
		regions, epcis := map[string]bool{}, map[string]bool{}
		for _, d := range s.Gazetteer.Departements() {
			list = append(list, territory{Key: directory.Zone{Kind: directory.ZoneDepartement, Code: d.Code}.Key(), Label: d.Label(),
				Kind: zoneKinds[directory.ZoneDepartement], folded: geo.Fold(d.Name), code: d.Code, rank: 2})
			if r, ok := s.Gazetteer.Region(d.Region); ok && !regions[r.Code] {
				regions[r.Code] = true
				list = append(list, territory{Key: directory.Zone{Kind: directory.ZoneRegion, Code: r.Code}.Key(), Label: r.Name,
					Kind: zoneKinds[directory.ZoneRegion], folded: geo.Fold(r.Name), code: r.Code, rank: 1})
			}
			for _, c := range s.Gazetteer.CommunesOf(d.Code) {
				if e, ok := s.Gazetteer.EPCI(c.EPCI); ok && !epcis[e.Code] {
					epcis[e.Code] = true
					list = append(list, territory{Key: directory.Zone{Kind: directory.ZoneEPCI, Code: e.Code}.Key(), Label: e.Name,
						Kind: zoneKinds[directory.ZoneEPCI], folded: geo.Fold(e.Name), code: e.Code, rank: 3, pop: e.Population})
				}
			}
		}
		s.terr.list = list
	})
	return s.terr.list
}

// searchTerritories proposes up to limit zones for what was typed: the
// wider territories whose name or code starts with it (or one of its
// words), then communes.
func (s *Server) searchTerritories(q string, limit int) []territory {
	fq := geo.Fold(q)
	if fq == "" {
		return nil
	}
	type match struct {
		t      territory
		prefix bool
	}
	var found []match
	for _, t := range s.territoryList() {
		switch {
		case strings.HasPrefix(t.folded, fq) || strings.EqualFold(t.code, q):
			found = append(found, match{t, true})
		case strings.Contains(t.folded, " "+fq):
			found = append(found, match{t, false})
		}
	}
	slices.SortFunc(found, func(a, b match) int {
		if a.prefix != b.prefix {
			if a.prefix {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.t.rank, b.t.rank), cmp.Compare(b.t.pop, a.t.pop), strings.Compare(a.t.Label, b.t.Label))
	})
	var out []territory
	for _, m := range found {
		if len(out) == limit/2 {
			break
		}
		out = append(out, m.t)
	}
	for _, c := range s.Gazetteer.Complete(q, limit-len(out)) {
		out = append(out, communeTerritory(c))
	}
	return out
}

func communeTerritory(c *directory.Commune) territory {
	return territory{Key: directory.Zone{Kind: directory.ZoneCommune, Code: c.Code}.Key(), Label: c.Label(),
		Kind: zoneKinds[directory.ZoneCommune], folded: geo.Fold(c.Name), code: c.Code, rank: 4, pop: c.Population}
}

// resolveTerritory returns the zones text names exactly: a code ("86",
// "86194", a SIREN), a name, or "France".
func (s *Server) resolveTerritory(text string) []territory {
	text = directory.StripDepartement(text)
	fq := geo.Fold(text)
	if fq == "france" || fq == "france entiere" || fq == "toute la france" {
		return []territory{s.territoryList()[0]}
	}
	var out []territory
	for _, t := range s.territoryList() {
		if t.folded == fq || strings.EqualFold(t.code, text) {
			out = append(out, t)
		}
	}
	for _, c := range s.Gazetteer.Resolve(text) {
		if len(out) > 0 && geo.Fold(c.Name) != fq && c.Code != text {
			continue // a postal code or an homonym, beside an exact territory
		}
		out = append(out, communeTerritory(c))
	}
	return out
}

// zoneExists reports whether the gazetteer knows the zone's territory.
func (s *Server) zoneExists(z directory.Zone) bool {
	ok := false
	switch z.Kind {
	case directory.ZoneFrance:
		ok = true
	case directory.ZoneCommune:
		_, ok = s.Gazetteer.Commune(z.Code)
	case directory.ZoneEPCI:
		_, ok = s.Gazetteer.EPCI(z.Code)
	case directory.ZoneDepartement:
		_, ok = s.Gazetteer.Departement(z.Code)
	case directory.ZoneRegion:
		_, ok = s.Gazetteer.Region(z.Code)
	}
	return ok
}
