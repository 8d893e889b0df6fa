package account

import (
	"context"
	"slices"
	"strings"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// ReviewForm is a moderator's decision.
type ReviewForm struct {
	Decision directory.Moderation // "decision": validee or refusee
	Note     string               // "note": required when refusing, sent to the administrators
}

// ReviewStructure validates or refuses a structure (or changes an earlier
// decision) and tells its administrators. Errors: EINVALID (decision, note).
func (a *Accounts) ReviewStructure(ctx context.Context, actor *Actor, structureID string, f ReviewForm) error {
	t, err := a.StructureTarget(ctx, structureID)
	if err != nil {
		return err
	}
	if err := Can(actor, ModerationReview, t); err != nil {
		return err
	}
	f.Note = strings.TrimSpace(f.Note)
	fe := directory.FieldErrors{}
	if f.Decision != directory.ModerationValidated && f.Decision != directory.ModerationRefused {
		fe.Add("decision", "Choisissez : valider ou refuser la structure.")
	}
	if f.Decision == directory.ModerationRefused && f.Note == "" {
		fe.Add("note", "Expliquez en quelques mots pourquoi la structure est refusée : ses administrateurs recevront ce message.")
	}
	if len([]rune(f.Note)) > maxMessageLen {
		fe.Add("note", "L’explication doit comporter au plus 1 000 caractères.")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	if err := a.setModeration(ctx, structureID, f.Decision, actor.User.ID, f.Note); err != nil {
		return err
	}
	change := directory.FieldChange{Field: "Vérification", Before: t.Structure.Moderation.Label(), After: f.Decision.Label()}
	if f.Decision == directory.ModerationRefused {
		change.After += " : " + f.Note
	}
	a.record(ctx, actor, ModerationReview, structureID, 0, change)
	st, err := a.store.Structure(ctx, structureID)
	if err != nil {
		return err
	}
	for _, m := range t.Structure.Admins() {
		a.send(ctx, moderationMail(m, st.Name, f.Decision, f.Note, a.link(DashboardPath, "")))
	}
	a.changed(ctx, structureID)
	return nil
}

// setModeration records a state and keeps the queue in step (the queue entry
// is added before the state and removed after it).
func (a *Accounts) setModeration(ctx context.Context, id string, state directory.Moderation, by, note string) error {
	cur, err := a.structureAccount(ctx, id)
	if err != nil {
		return err
	}
	list := moderationList(cur.Departement)
	if state == directory.ModerationPending {
		if err := a.store.AddToList(ctx, list, id); err != nil {
			return err
		}
	}
	now := a.now().UTC()
	sa, err := a.modifyStructureAccount(ctx, id, func(sa *directory.StructureAccount) error {
		sa.Moderation, sa.ModerationNote = state, note
		if by != "" {
			sa.ModeratedBy, sa.ModeratedAt = by, &now
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !sa.NeedsModerator() {
		return a.store.RemoveFromList(ctx, moderationList(sa.Departement), id)
	}
	return nil
}

// QueueItem is a structure waiting for a moderator: to be verified, or with
// join requests and no administrator to answer them.
type QueueItem struct {
	Structure *directory.Structure
	Account   *directory.StructureAccount
}

// ModerationQueue lists the structures waiting in the actor's départements
// (every département for a platform administrator), oldest first.
func (a *Accounts) ModerationQueue(ctx context.Context, actor *Actor) ([]QueueItem, error) {
	if actor == nil || actor.User == nil {
		return nil, errSignIn
	}
	deps := actor.User.ModeratorOf
	if actor.User.PlatformAdmin {
		names, err := a.store.ListNames(ctx)
		if err != nil {
			return nil, err
		}
		deps = nil
		for _, n := range names {
			if d, ok := strings.CutPrefix(n, "moderation:"); ok {
				deps = append(deps, d)
			}
		}
	} else if len(deps) == 0 {
		return nil, errForbidden
	}
	var out []QueueItem
	for _, dep := range deps {
		ids, err := a.store.List(ctx, moderationList(dep))
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			sa, err := a.store.StructureAccount(ctx, id)
			if directory.ErrorCode(err) == directory.ENOTFOUND {
				continue // being created, or never was
			} else if err != nil {
				return nil, err
			}
			if !sa.NeedsModerator() || sa.Departement != dep {
				_ = a.store.RemoveFromList(ctx, moderationList(dep), id) // stale entry
				continue
			}
			st, err := a.store.Structure(ctx, id)
			if directory.ErrorCode(err) == directory.ENOTFOUND {
				continue
			} else if err != nil {
				return nil, err
			}
			out = append(out, QueueItem{Structure: st, Account: sa})
		}
	}
	slices.SortFunc(out, func(x, y QueueItem) int { return x.Account.CreatedAt.Compare(y.Account.CreatedAt) })
	return out, nil
}

// AppointModerator makes the account of email a territory moderator of the
// départements (an empty list revokes). Errors: EINVALID (email: no such
// account; departements: unknown code).
func (a *Accounts) AppointModerator(ctx context.Context, actor *Actor, email string, deps []string) (*directory.User, error) {
	if err := Can(actor, ModeratorAppoint, Target{}); err != nil {
		return nil, err
	}
	email, err := directory.NormalizeEmail(email)
	if err != nil {
		return nil, fieldError("email", directory.ErrorMessage(err))
	}
	clean, err := a.checkDepartements(deps)
	if err != nil {
		return nil, err
	}
	u, err := a.store.UserByKey(ctx, store.EmailKey(email))
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return nil, fieldError("email", "Aucun compte n’utilise cette adresse : la personne doit d’abord créer son compte sur Repère.")
	} else if err != nil {
		return nil, err
	}
	if len(clean) > 0 {
		if err := a.store.AddToList(ctx, moderatorsList, u.ID); err != nil {
			return nil, err
		}
	}
	u, err = a.modifyUser(ctx, u.ID, func(u *directory.User) error {
		u.ModeratorOf = clean
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(clean) == 0 {
		if err := a.store.RemoveFromList(ctx, moderatorsList, u.ID); err != nil {
			return nil, err
		}
	}
	a.send(ctx, moderatorMail(u, clean, a.link(ModerationPath, "")))
	return u, nil
}

func (a *Accounts) checkDepartements(deps []string) ([]string, error) {
	var clean []string
	for _, d := range deps {
		d = strings.ToUpper(strings.TrimSpace(d))
		if d == "" {
			continue
		}
		err := directory.CheckDepartementCode(d)
		if err == nil && a.geo != nil {
			if _, ok := a.geo.Departement(d); !ok {
				err = directory.Errorf(directory.EINVALID, "Le département %s est inconnu.", d)
			}
		}
		if err != nil {
			return nil, fieldError("departements", directory.ErrorMessage(err))
		}
		clean = appendOnce(clean, d)
	}
	slices.Sort(clean)
	return clean, nil
}

// Moderators lists the territory moderators, for platform administrators.
func (a *Accounts) Moderators(ctx context.Context, actor *Actor) ([]*directory.User, error) {
	if err := Can(actor, ModeratorAppoint, Target{}); err != nil {
		return nil, err
	}
	out, err := a.TerritoryModerators(ctx)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(x, y *directory.User) int { return strings.Compare(x.Email, y.Email) })
	return out, nil
}

// SetPlatformAdmin grants or withdraws platform administration. It is for
// the operator's command line: no route may call it.
func (a *Accounts) SetPlatformAdmin(ctx context.Context, email string, on bool) error {
	email, err := directory.NormalizeEmail(email)
	if err != nil {
		return err
	}
	u, err := a.store.UserByKey(ctx, store.EmailKey(email))
	if err != nil {
		return err
	}
	_, err = a.modifyUser(ctx, u.ID, func(u *directory.User) error {
		u.PlatformAdmin = on
		return nil
	})
	return err
}
