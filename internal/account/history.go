package account

import (
	"context"
	"strings"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// record writes a change of a structure or of its members in the
// structure's history. The change is made whatever happens to its history:
// a failure is logged.
func (a *Accounts) record(ctx context.Context, actor *Actor, action Action, structureID string, version int64, changes ...directory.FieldChange) {
	e := directory.HistoryEntry{At: a.now(), Action: action.Label(), Version: version, Changes: changes}
	if actor != nil && actor.User != nil {
		e.UserID, e.UserName = actor.User.ID, actor.User.Name
	}
	if err := a.store.AppendHistory(ctx, store.StructureHistoryKey(structureID), e); err != nil {
		a.log.Error("history not written", "structure", structureID, "err", err)
	}
}

// History returns the changes of a structure, oldest first.
func (a *Accounts) History(ctx context.Context, structureID string) ([]directory.HistoryEntry, error) {
	return a.store.History(ctx, store.StructureHistoryKey(structureID))
}

// person names a user in the history: "Camille Martin <camille@exemple.fr>".
func person(name, email string) string { return name + " <" + email + ">" }

// memberName names a member, or the person of a join request.
func memberName(sa *directory.StructureAccount, userID string) string {
	for _, m := range sa.Members {
		if m.UserID == userID {
			return person(m.Name, m.Email)
		}
	}
	if r := sa.JoinRequest(userID); r != nil {
		return person(r.Name, r.Email)
	}
	return userID
}

// structureChanges lists the fields of a structure that differ, by the
// labels of the structure form.
func structureChanges(before, after *directory.Structure) []directory.FieldChange {
	b, a := StructureFormOf(before), StructureFormOf(after)
	networks := func(vs []string) string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = directory.Networks.Label(v)
		}
		return strings.Join(out, ", ")
	}
	pairs := []struct{ label, x, y string }{
		{"Nom", b.Name, a.Name}, {"Description", b.Description, a.Description}, {"Adresse", b.Address, a.Address},
		{"Complément d’adresse", b.AddressComplement, a.AddressComplement}, {"Code postal", b.PostalCode, a.PostalCode},
		{"Commune", b.CommuneName, a.CommuneName}, {"Téléphone", b.Phone, a.Phone}, {"Courriel", b.Email, a.Email},
		{"Site internet", b.Website, a.Website}, {"Accessibilité du lieu", b.AccessibilityLink, a.AccessibilityLink},
		{"Horaires d’accueil", b.OpeningHours, a.OpeningHours},
		{"Réseaux", networks(b.Networks), networks(a.Networks)},
	}
	var out []directory.FieldChange
	for _, p := range pairs {
		if p.x != p.y {
			out = append(out, directory.FieldChange{Field: p.label, Before: directory.Shorten(p.x, directory.MaxShown), After: directory.Shorten(p.y, directory.MaxShown)})
		}
	}
	return out
}

// Structure reads a structure by id. ENOTFOUND when unknown.
func (a *Accounts) Structure(ctx context.Context, id string) (*directory.Structure, error) {
	return a.store.Structure(ctx, id)
}

// StructureAccount reads the partner side of a structure: members,
// moderation. ENOTFOUND for a structure that has none (imported, generated).
func (a *Accounts) StructureAccount(ctx context.Context, id string) (*directory.StructureAccount, error) {
	return a.store.StructureAccount(ctx, id)
}
