package ui

import (
	"context"
	"slices"
	"strings"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// maxOwnServices bounds the services a partner page reads one by one.
const maxOwnServices = 500

// serviceRow is a service in the partner's lists.
type serviceRow struct {
	ID, Name  string
	EditURL   string
	PublicURL string
	Label     string // status, as people read it
	Badge     string
	Updated   string
	Stale     bool
	Structure string
}

// serviceGroups are a structure's services by state.
type serviceGroups struct {
	Published, Suspended, Drafts, Archived []serviceRow
	Stale                                  []serviceRow // published and not confirmed within their frequency
	Total                                  int
	More                                   bool // more than maxOwnServices: not all listed
	Level                                  int  // of the groups' headings: 3 under the page's h2, else 4 (in a card)
}

// servicesOf reads the services of a structure, whatever their status.
func (s *Server) servicesOf(ctx context.Context, st *directory.Structure) (serviceGroups, error) {
	var g serviceGroups
	ids, err := s.Catalog.ServiceIDsOfStructure(ctx, st.ID)
	if err != nil {
		return g, err
	}
	g.Total = len(ids)
	if len(ids) > maxOwnServices {
		ids, g.More = ids[:maxOwnServices], true
	}
	now := s.now()
	var all []*directory.Service
	for _, id := range ids {
		svc, err := s.Catalog.Service(ctx, id)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			continue
		} else if err != nil {
			return g, err
		}
		all = append(all, svc)
	}
	slices.SortFunc(all, func(a, b *directory.Service) int { return strings.Compare(geo.Fold(a.Name), geo.Fold(b.Name)) })
	for _, svc := range all {
		v := s.statusView(svc)
		r := serviceRow{ID: svc.ID, Name: svc.Name, EditURL: "/espace/services/" + svc.ID, PublicURL: v.PublicURL,
			Label: v.Label, Badge: v.Badge, Updated: directory.FrenchDate(svc.UpdatedAt), Stale: v.Stale, Structure: st.Name}
		switch {
		case svc.Status == directory.StatusDraft:
			g.Drafts = append(g.Drafts, r)
		case svc.Status == directory.StatusArchived:
			g.Archived = append(g.Archived, r)
		case !svc.Visible(now):
			g.Suspended = append(g.Suspended, r)
		default:
			g.Published = append(g.Published, r)
		}
		if r.Stale {
			g.Stale = append(g.Stale, r)
		}
	}
	return g, nil
}
