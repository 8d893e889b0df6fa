package ui

import (
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/observatory"
)

// PartnersPath is the freshness and completeness of the offer by partner,
// for moderators (their départements) and platform administrators (all).
const partnersPath = "/espace/observatoire/partenaires"

// partnersTTL is how long a freshness report is kept: reading every
// service of the store is too costly for each visit, and an hour-old
// report says the same.
const partnersTTL = 10 * time.Minute

type partnersPage struct {
	Layout
	Departements string
	Built        string
	Total        freshnessRow
	Networks     []freshnessRow
	Structures   []freshnessRow
	More         int // structures beyond the table
	Missing      []Link
}

type freshnessRow struct {
	Name, URL                                     string
	Structures                                    string
	Services, UpToDate, Stale, Drafts, Incomplete string
	Share                                         string // up to date
}

// maxPartnerRows bounds the table of structures: the least up to date.
const maxPartnerRows = 200

func newFreshnessRow(name, url string, f *observatory.Freshness) freshnessRow {
	return freshnessRow{Name: name, URL: url, Services: number(f.Services), UpToDate: number(f.UpToDate), Stale: number(f.Stale),
		Drafts: number(f.Drafts), Incomplete: number(f.Incomplete), Share: percent(f.Share(f.UpToDate))}
}

// observatoryPartners shows the freshness of the services by network and by
// structure.
func (s *Server) observatoryPartners(c *fiber.Ctx) error {
	actor := actorOf(c)
	if actor == nil || actor.User == nil || !actor.User.PlatformAdmin && len(actor.User.ModeratorOf) == 0 {
		return directory.Errorf(directory.EFORBIDDEN, "Cette page est réservée aux gestionnaires de territoire et aux administrateurs de la plateforme.")
	}
	deps := slices.Sorted(slices.Values(actor.User.ModeratorOf))
	key := "*"
	if !actor.User.PlatformAdmin {
		key = strings.Join(deps, ",")
	}
	rep, err := s.caches.partners.Load(key, func() (*observatory.Partners, error) {
		var keep func(*directory.Structure) bool
		if key != "*" {
			keep = func(st *directory.Structure) bool {
				return slices.Contains(deps, directory.DepartementOfCommune(st.CodeInsee))
			}
		}
		return s.observatory().Partners(c.UserContext(), s.now(), keep)
	})
	if err != nil {
		return err
	}
	p := partnersPage{Layout: s.espaceLayout(c, "Fraîcheur de l’offre par partenaire"), Departements: "tous les départements"}
	if key != "*" {
		var names []string
		for _, d := range deps {
			if dep, ok := s.Gazetteer.Departement(d); ok {
				names = append(names, dep.Label())
			} else {
				names = append(names, d)
			}
		}
		p.Departements = strings.Join(names, ", ")
	}
	p.Built = directory.FrenchDate(rep.Built) + " à " + clockOf(rep.Built)
	p.Total = newFreshnessRow("Ensemble", "", &rep.Total)
	for _, n := range rep.Networks {
		r := newFreshnessRow(n.Label, "", &n.Freshness)
		r.Structures = number(n.Structures)
		p.Networks = append(p.Networks, r)
	}
	for _, st := range rep.Structures[:min(len(rep.Structures), maxPartnerRows)] {
		p.Structures = append(p.Structures, newFreshnessRow(st.Name, "/structures/"+st.ID, &st.Freshness))
	}
	p.More = max(0, len(rep.Structures)-maxPartnerRows)
	for _, f := range observatory.Recommended {
		if n := rep.Total.Missing[f]; n > 0 {
			p.Missing = append(p.Missing, Link{Label: f, Count: n})
		}
	}
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: "/espace"}, Link{Label: "Fraîcheur de l’offre par partenaire"})
	return c.Render("espace/partenaires", p)
}
