package account

import (
	"context"
	"strings"

	"github.com/repere-spie/repere/internal/directory"
)

// StructureForm is every field of a structure a partner may type, and only
// those: never its id, version, source, provenance, moderation or members.
// Form field names are the data·inclusion names.
type StructureForm struct {
	Name              string   // nom
	SIRET             string   // siret (creation only: it identifies the structure)
	Description       string   // description
	Address           string   // adresse
	AddressComplement string   // complement_adresse
	PostalCode        string   // code_postal
	CodeInsee         string   // code_insee
	CommuneName       string   // commune
	Phone             string   // telephone
	Email             string   // courriel
	Website           string   // site_web
	AccessibilityLink string   // accessibilite_lieu
	OpeningHours      string   // horaires_accueil
	Networks          []string // reseaux_porteurs
}

// StructureFormOf fills the edit form from a structure.
func StructureFormOf(st *directory.Structure) StructureForm {
	return StructureForm{
		Name: st.Name, SIRET: st.SIRET, Description: st.Description, Address: st.Address,
		AddressComplement: st.AddressComplement, PostalCode: st.PostalCode, CodeInsee: st.CodeInsee,
		CommuneName: st.CommuneName, Phone: st.Phone, Email: st.Email, Website: st.Website,
		AccessibilityLink: st.AccessibilityLink, OpeningHours: st.OpeningHours, Networks: st.Networks,
	}
}

// apply copies the form onto st, SIRET excepted.
func (f StructureForm) apply(st *directory.Structure) {
	st.Name, st.Description = strings.TrimSpace(f.Name), strings.TrimSpace(f.Description)
	st.Address, st.AddressComplement = f.Address, f.AddressComplement
	st.PostalCode, st.CodeInsee, st.CommuneName = f.PostalCode, f.CodeInsee, f.CommuneName
	st.Phone, st.Email, st.Website = f.Phone, f.Email, f.Website
	st.AccessibilityLink, st.OpeningHours = f.AccessibilityLink, f.OpeningHours
	st.Networks = append([]string{}, f.Networks...)
}

// check validates st as a partner's structure: the data·inclusion checks,
// plus an address and a known commune (whose name and centre it fills in).
func (a *Accounts) check(st *directory.Structure, needSIRET bool) error {
	fe := directory.FieldErrors{}
	if err := st.Validate(); err != nil {
		for k, v := range err.(*directory.Error).Fields {
			fe.Add(k, v)
		}
	}
	if needSIRET && st.SIRET == "" {
		fe.Add("siret", "Le numéro SIRET est obligatoire.")
	}
	if strings.TrimSpace(st.Address) == "" {
		fe.Add("adresse", "L’adresse est obligatoire.")
	}
	if st.CodeInsee == "" {
		fe.Add("code_insee", "Choisissez la commune.")
	} else if a.geo != nil {
		c, ok := a.geo.Commune(st.CodeInsee)
		if !ok {
			fe.Add("code_insee", "Cette commune est inconnue.")
		} else {
			st.CommuneName = c.Name
			if c.Center != nil && (st.Longitude == nil || st.Latitude == nil) {
				lon, lat := c.Center.X(), c.Center.Y()
				st.Longitude, st.Latitude = &lon, &lat
			}
		}
	}
	return fe.Err()
}

var errSIRETTaken = &directory.Error{Code: directory.ECONFLICT,
	Message: "Cette structure est déjà inscrite sur Repère : vous pouvez demander à la rejoindre.",
	Fields:  map[string]string{"siret": "Une structure avec ce numéro SIRET est déjà inscrite sur Repère."}}

// CreateStructure registers a structure; the actor becomes its first member,
// as administrator. It waits for a territory moderator's check unless the
// actor may check it. Errors: EINVALID (fields), ECONFLICT when the SIRET is
// already registered (FindStructureBySIRET then gives the structure to join).
func (a *Accounts) CreateStructure(ctx context.Context, actor *Actor, f StructureForm) (*directory.Structure, error) {
	if err := Can(actor, StructureCreate, Target{}); err != nil {
		return nil, err
	}
	st, err := a.createStructure(ctx, actor, nil, f)
	if err != nil {
		return nil, err
	}
	a.record(ctx, actor, StructureCreate, st.ID, st.Version,
		directory.FieldChange{Field: "Structure", After: st.Name + " (SIRET " + directory.SpacedSIRET(st.SIRET) + ")"})
	return st, nil
}

// CreateAntenne registers an antenne (branch) of the parent structure. Its
// SIRET is optional. An antenne of a verified structure is verified.
func (a *Accounts) CreateAntenne(ctx context.Context, actor *Actor, parentID string, f StructureForm) (*directory.Structure, error) {
	t, err := a.StructureTarget(ctx, parentID)
	if err != nil {
		return nil, err
	}
	if err := Can(actor, AntenneCreate, t); err != nil {
		return nil, err
	}
	if t.Structure.ParentID != "" {
		return nil, directory.Errorf(directory.EINVALID, "Une antenne ne peut pas avoir elle-même d’antenne.")
	}
	st, err := a.createStructure(ctx, actor, t.Structure, f)
	if err != nil {
		return nil, err
	}
	parent, err := a.store.Structure(ctx, parentID)
	if err != nil {
		return nil, err
	}
	a.record(ctx, actor, AntenneCreate, parentID, 0, directory.FieldChange{Field: "Antenne", After: st.Name})
	a.record(ctx, actor, AntenneCreate, st.ID, st.Version, directory.FieldChange{Field: "Antenne de", After: parent.Name})
	return st, nil
}

func (a *Accounts) createStructure(ctx context.Context, actor *Actor, parent *directory.StructureAccount, f StructureForm) (*directory.Structure, error) {
	now := a.now().UTC()
	st := &directory.Structure{ID: directory.NewID(), Source: "repere", SIRET: f.SIRET,
		Provenance: directory.Provenance{Kind: "saisie"}, CreatedAt: now, UpdatedAt: now}
	f.apply(st)
	if err := a.check(st, parent == nil); err != nil {
		return nil, err
	}
	dep := directory.DepartementOfCommune(st.CodeInsee)
	claim := st.SIRET != ""
	if claim && parent != nil {
		// An antenne often shares its parent's establishment number.
		p, err := a.store.Structure(ctx, parent.ID)
		if err != nil {
			return nil, err
		}
		claim = p.SIRET != st.SIRET
	}
	if claim {
		if err := a.store.ClaimSIRET(ctx, st.SIRET, st.ID); directory.ErrorCode(err) == directory.ECONFLICT {
			return nil, errSIRETTaken
		} else if err != nil {
			return nil, err
		}
	}
	state := directory.ModerationPending
	if (parent != nil && parent.Moderation == directory.ModerationValidated) ||
		Can(actor, ModerationReview, Target{Departements: []string{dep}}) == nil {
		state = directory.ModerationValidated
	}
	sa := &directory.StructureAccount{ID: st.ID, Departement: dep, Moderation: state, CreatedAt: now,
		Members: []directory.Member{{UserID: actor.User.ID, Email: actor.User.Email, Name: actor.User.Name, Role: directory.RoleAdmin, Since: now}}}
	if parent != nil {
		sa.ParentID = parent.ID
	}
	// Indexes first, the structure last: a failure leaves at worst an index
	// entry pointing at nothing, which readers skip.
	err := a.addToUser(ctx, actor.User.ID, st.ID)
	if err == nil && state == directory.ModerationPending {
		err = a.store.AddToList(ctx, moderationList(dep), st.ID)
	}
	if err == nil {
		err = a.store.CreateStructureAccount(ctx, sa)
	}
	if err == nil && parent != nil {
		_, err = a.modifyStructureAccount(ctx, parent.ID, func(p *directory.StructureAccount) error {
			p.Antennes = appendOnce(p.Antennes, st.ID)
			return nil
		})
	}
	if err == nil {
		err = a.store.CreateStructure(ctx, st)
	}
	if err != nil {
		if claim {
			_ = a.store.ReleaseSIRET(ctx, st.SIRET, st.ID)
		}
		return nil, err
	}
	return st, nil
}

// UpdateStructure saves the edit form over the structure as read at version
// (ECONFLICT when someone saved since: the UI shows both versions). The
// SIRET does not change. Errors: EINVALID, ECONFLICT, ENOTFOUND, EFORBIDDEN.
func (a *Accounts) UpdateStructure(ctx context.Context, actor *Actor, id string, version int64, f StructureForm) (*directory.Structure, error) {
	t, err := a.StructureTarget(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := Can(actor, StructureEdit, t); err != nil {
		return nil, err
	}
	st, err := a.store.Structure(ctx, id)
	if err != nil {
		return nil, err
	}
	if st.Version != version {
		return nil, directory.Errorf(directory.ECONFLICT, "Cette structure a été modifiée entre-temps par quelqu’un d’autre.")
	}
	before := *st
	f.apply(st)
	if err := a.check(st, false); err != nil {
		return nil, err
	}
	st.UpdatedAt = a.now().UTC()
	if err := a.store.UpdateStructure(ctx, st); err != nil {
		return nil, err
	}
	if dep := directory.DepartementOfCommune(st.CodeInsee); dep != t.Structure.Departement {
		if err := a.moveDepartement(ctx, id, dep); err != nil {
			return nil, err
		}
	}
	if t.Structure.Moderation == directory.ModerationRefused && Can(actor, ModerationReview, t) != nil {
		// Corrected after a refusal: back in the queue.
		if err := a.setModeration(ctx, id, directory.ModerationPending, "", ""); err != nil {
			return nil, err
		}
	}
	a.record(ctx, actor, StructureEdit, st.ID, st.Version, structureChanges(&before, st)...)
	a.changed(ctx, id)
	return st, nil
}

// moveDepartement moves a structure to another territory, and its place in
// the moderation queue with it.
func (a *Accounts) moveDepartement(ctx context.Context, id, dep string) error {
	var old string
	sa, err := a.modifyStructureAccount(ctx, id, func(sa *directory.StructureAccount) error {
		old, sa.Departement = sa.Departement, dep
		return nil
	})
	if err != nil {
		return err
	}
	if sa.NeedsModerator() {
		if err := a.store.AddToList(ctx, moderationList(dep), id); err != nil {
			return err
		}
	}
	return a.store.RemoveFromList(ctx, moderationList(old), id)
}

// FindStructureBySIRET returns the structure registered with the SIRET
// (ENOTFOUND if none; EINVALID for a malformed number).
func (a *Accounts) FindStructureBySIRET(ctx context.Context, siret string) (*directory.Structure, error) {
	siret, err := directory.NormalizeSIRET(siret)
	if err != nil {
		return nil, fieldError("siret", directory.ErrorMessage(err))
	}
	id, err := a.store.StructureIDBySIRET(ctx, siret)
	if err != nil {
		return nil, err
	}
	return a.store.Structure(ctx, id)
}

// StructureTarget loads what Can needs to decide on a structure: its
// account and its parent's.
func (a *Accounts) StructureTarget(ctx context.Context, structureID string) (Target, error) {
	sa, err := a.structureAccount(ctx, structureID)
	if err != nil {
		return Target{}, err
	}
	t := Target{Structure: sa}
	if sa.ParentID != "" {
		if t.Parent, err = a.structureAccount(ctx, sa.ParentID); err != nil && directory.ErrorCode(err) != directory.ENOTFOUND {
			return Target{}, err
		}
	}
	return t, nil
}

// ServiceTarget is the target for an action on a service: its structure's,
// and for moderators also the département of the service's own place.
func (a *Accounts) ServiceTarget(ctx context.Context, svc *directory.Service) (Target, error) {
	t, err := a.StructureTarget(ctx, svc.StructureID)
	if err != nil {
		return Target{}, err
	}
	t.Departements = t.departements()
	if dep := directory.DepartementOfCommune(svc.CodeInsee); dep != "" && !contains(t.Departements, dep) {
		t.Departements = append(append([]string{}, t.Departements...), dep)
	}
	return t, nil
}

// Membership is one of the user's structures, for the dashboard.
type Membership struct {
	Structure *directory.Structure
	Account   *directory.StructureAccount
	Role      directory.Role
}

// MyStructures lists the structures the actor is a member of.
func (a *Accounts) MyStructures(ctx context.Context, actor *Actor) ([]Membership, error) {
	if actor == nil || actor.User == nil {
		return nil, errSignIn
	}
	var out []Membership
	for _, id := range actor.User.Structures {
		sa, err := a.store.StructureAccount(ctx, id)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		role := sa.RoleOf(actor.User.ID)
		if role == "" {
			continue
		}
		st, err := a.store.Structure(ctx, id)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		out = append(out, Membership{Structure: st, Account: sa, Role: role})
	}
	return out, nil
}

// addToUser indexes a structure in the user's list.
func (a *Accounts) addToUser(ctx context.Context, userID, structureID string) error {
	_, err := a.modifyUser(ctx, userID, func(u *directory.User) error {
		u.Structures = appendOnce(u.Structures, structureID)
		return nil
	})
	return err
}

func appendOnce(list []string, v string) []string {
	if contains(list, v) {
		return list
	}
	return append(list, v)
}

func remove(list []string, v string) []string {
	out := list[:0:0]
	for _, x := range list {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
