package ui

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// maxShown cuts long values in the history.
const maxShown = 300

// recordService writes who changed what in a service's history, with the
// service as written (the base of later merges). The change is made
// whatever happens to its history: a failure is logged.
func (s *Server) recordService(ctx context.Context, actor *account.Actor, action account.Action, before, after *directory.Service) {
	e := store.HistoryEntry{At: s.now(), Action: action.Label(), Version: after.Version, Service: after,
		Changes: s.serviceChanges(before, after)}
	if actor != nil && actor.User != nil {
		e.UserID, e.UserName = actor.User.ID, actor.User.Name
	}
	if err := s.Store.AppendHistory(ctx, store.ServiceHistoryKey(after.ID), e); err != nil {
		s.Logger.Error("history not written", "service", after.ID, "err", err)
	}
}

// serviceChanges lists the fields that differ, as people read them.
func (s *Server) serviceChanges(before, after *directory.Service) []store.FieldChange {
	bv, av := url.Values{}, serviceValues(after)
	if before != nil {
		bv = serviceValues(before)
	}
	var out []store.FieldChange
	for _, name := range serviceFields {
		if canonical(name, bv) != canonical(name, av) {
			out = append(out, store.FieldChange{Field: serviceLabels[name], Before: cut(s.display(name, bv)), After: cut(s.display(name, av))})
		}
	}
	var was directory.Status
	var wasUntil string
	if before != nil {
		was, wasUntil = before.Status, suspension(before)
	}
	if was != after.Status {
		out = append(out, store.FieldChange{Field: "Statut", Before: was.Label(), After: after.Status.Label()})
	}
	if until := suspension(after); until != wasUntil {
		out = append(out, store.FieldChange{Field: "Suspension", Before: wasUntil, After: until})
	}
	return out
}

func suspension(svc *directory.Service) string {
	if svc.SuspendedUntil == nil {
		return ""
	}
	return "jusqu’au " + directory.FrenchDate(svc.SuspendedUntil.Add(-time.Minute)) + " inclus"
}

// recordStructure writes a change of a structure or of its members.
func (s *Server) recordStructure(ctx context.Context, actor *account.Actor, action account.Action, id string, version int64, changes ...store.FieldChange) {
	e := store.HistoryEntry{At: s.now(), Action: action.Label(), Version: version, Changes: changes}
	if actor != nil && actor.User != nil {
		e.UserID, e.UserName = actor.User.ID, actor.User.Name
	}
	if err := s.Store.AppendHistory(ctx, store.StructureHistoryKey(id), e); err != nil {
		s.Logger.Error("history not written", "structure", id, "err", err)
	}
}

var structureLabels = map[string]string{
	"nom": "Nom", "siret": "SIRET", "description": "Description", "adresse": "Adresse", "complement_adresse": "Complément d’adresse",
	"code_postal": "Code postal", "code_insee": "Commune", "commune": "Commune", "telephone": "Téléphone", "courriel": "Courriel",
	"site_web": "Site internet", "accessibilite_lieu": "Accessibilité du lieu", "horaires_accueil": "Horaires d’accueil",
	"reseaux_porteurs": "Réseaux",
}

// structureChanges lists the fields of a structure that differ.
func structureChanges(before, after *directory.Structure) []store.FieldChange {
	b, a := account.StructureFormOf(before), account.StructureFormOf(after)
	pairs := []struct{ field, x, y string }{
		{"nom", b.Name, a.Name}, {"description", b.Description, a.Description}, {"adresse", b.Address, a.Address},
		{"complement_adresse", b.AddressComplement, a.AddressComplement}, {"code_postal", b.PostalCode, a.PostalCode},
		{"commune", b.CommuneName, a.CommuneName}, {"telephone", b.Phone, a.Phone}, {"courriel", b.Email, a.Email},
		{"site_web", b.Website, a.Website}, {"accessibilite_lieu", b.AccessibilityLink, a.AccessibilityLink},
		{"horaires_accueil", b.OpeningHours, a.OpeningHours},
		{"reseaux_porteurs", strings.Join(labels(directory.Networks, b.Networks), ", "), strings.Join(labels(directory.Networks, a.Networks), ", ")},
	}
	var out []store.FieldChange
	for _, p := range pairs {
		if p.x != p.y {
			out = append(out, store.FieldChange{Field: structureLabels[p.field], Before: cut(p.x), After: cut(p.y)})
		}
	}
	return out
}

func cut(s string) string { return truncate(s, maxShown) }

// historyView is one change as the history pages list it.
type historyView struct {
	At, AtISO string
	Who       string
	Action    string
	Changes   []store.FieldChange
}

// historyOf reads a history, newest first, at most n entries.
func (s *Server) historyOf(ctx context.Context, key string, n int) ([]historyView, error) {
	entries, err := s.Store.History(ctx, key)
	if err != nil {
		return nil, err
	}
	slices.Reverse(entries)
	var out []historyView
	for _, e := range entries[:min(n, len(entries))] {
		who := e.UserName
		if who == "" {
			who = "Repère"
		}
		out = append(out, historyView{At: directory.FrenchDate(e.At) + " à " + clockOf(e.At), AtISO: e.At.Format(time.RFC3339),
			Who: who, Action: e.Action, Changes: e.Changes})
	}
	return out, nil
}
