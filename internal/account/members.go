package account

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

const maxMessageLen = 1000

var (
	errAlreadyMember = directory.Errorf(directory.ECONFLICT, "Vous êtes déjà membre de cette structure.")
	errNoRequest     = directory.Errorf(directory.ENOTFOUND, "Cette demande n’existe plus : quelqu’un y a peut-être déjà répondu.")
	errNotMember     = directory.Errorf(directory.ENOTFOUND, "Cette personne n’est pas membre de la structure.")
	errLastAdmin     = directory.Errorf(directory.EINVALID, "La structure doit garder au moins un administrateur : nommez-en d’abord un autre.")
)

// RequestToJoin asks the structure's administrators to let the actor in
// (or the territory's moderators, when it has no administrator). Asking
// again updates the message. Errors: ECONFLICT when already a member.
func (a *Accounts) RequestToJoin(ctx context.Context, actor *Actor, structureID, message string) error {
	t, err := a.StructureTarget(ctx, structureID)
	if err != nil {
		return err
	}
	if err := Can(actor, StructureJoin, t); err != nil {
		return err
	}
	u := actor.User
	if t.Structure.RoleOf(u.ID) != "" {
		return errAlreadyMember
	}
	message = strings.TrimSpace(message)
	if utf8.RuneCountInString(message) > maxMessageLen {
		return fieldError("message", "Le message doit comporter au plus 1 000 caractères.")
	}
	if _, err := a.modifyUser(ctx, u.ID, func(u *directory.User) error {
		u.JoinRequests = appendOnce(u.JoinRequests, structureID)
		return nil
	}); err != nil {
		return err
	}
	if len(t.Structure.Admins()) == 0 {
		if err := a.store.AddToList(ctx, moderationList(t.Structure.Departement), structureID); err != nil {
			return err
		}
	}
	now := a.now().UTC()
	sa, err := a.modifyStructureAccount(ctx, structureID, func(sa *directory.StructureAccount) error {
		if sa.RoleOf(u.ID) != "" {
			return errAlreadyMember
		}
		if r := sa.JoinRequest(u.ID); r != nil {
			r.Message = message
			return nil
		}
		sa.JoinRequests = append(sa.JoinRequests, directory.JoinRequest{UserID: u.ID, Email: u.Email, Name: u.Name, Message: message, At: now})
		return nil
	})
	if err != nil {
		return err
	}
	st, err := a.store.Structure(ctx, structureID)
	if err != nil {
		return err
	}
	for _, m := range sa.Admins() {
		a.send(ctx, joinRequestMail(m, u, st.Name, message, a.link(MembersPath(structureID), "")))
	}
	a.record(ctx, actor, StructureJoin, structureID, 0, directory.FieldChange{Field: "Demande", After: u.Email})
	return nil
}

// CancelJoinRequest withdraws the actor's request.
func (a *Accounts) CancelJoinRequest(ctx context.Context, actor *Actor, structureID string) error {
	if err := Can(actor, JoinCancel, Target{UserID: actorID(actor)}); err != nil {
		return err
	}
	if _, err := a.answerRequest(ctx, structureID, actor.User.ID, nil); err != nil {
		return err
	}
	return nil
}

// AcceptJoinRequest makes the requester a member with role (administrator
// anyway when the structure has no member yet).
func (a *Accounts) AcceptJoinRequest(ctx context.Context, actor *Actor, structureID, userID string, role directory.Role) error {
	return a.answerJoinRequest(ctx, actor, structureID, userID, &role)
}

// RefuseJoinRequest drops the request and tells the requester.
func (a *Accounts) RefuseJoinRequest(ctx context.Context, actor *Actor, structureID, userID string) error {
	return a.answerJoinRequest(ctx, actor, structureID, userID, nil)
}

func (a *Accounts) answerJoinRequest(ctx context.Context, actor *Actor, structureID, userID string, role *directory.Role) error {
	t, err := a.StructureTarget(ctx, structureID)
	if err != nil {
		return err
	}
	action := JoinRefuse
	if role != nil {
		action = JoinAccept
	}
	if err := Can(actor, action, t); err != nil {
		return err
	}
	if role != nil {
		if !role.Valid() {
			return fieldError("role", "Choisissez un rôle : administrateur ou membre.")
		}
		if t.Structure.JoinRequest(userID) == nil {
			return errNoRequest
		}
		if err := a.addToUser(ctx, userID, structureID); err != nil {
			return err
		}
	}
	who := memberName(t.Structure, userID)
	r, err := a.answerRequest(ctx, structureID, userID, role)
	if err != nil {
		return err
	}
	if role != nil {
		a.record(ctx, actor, JoinAccept, structureID, 0, directory.FieldChange{Field: "Membre", After: who + " (" + role.Label() + ")"})
	} else {
		a.record(ctx, actor, JoinRefuse, structureID, 0, directory.FieldChange{Field: "Demande refusée", Before: who})
	}
	st, err := a.store.Structure(ctx, structureID)
	if err != nil {
		return err
	}
	a.send(ctx, joinAnswerMail(*r, st.Name, role != nil, a.link(DashboardPath, "")))
	return nil
}

// answerRequest removes the user's request and, given a role, adds them as
// a member. It keeps the user's index and the moderation queue in step.
func (a *Accounts) answerRequest(ctx context.Context, structureID, userID string, role *directory.Role) (*directory.JoinRequest, error) {
	var req directory.JoinRequest
	now := a.now().UTC()
	sa, err := a.modifyStructureAccount(ctx, structureID, func(sa *directory.StructureAccount) error {
		r := sa.JoinRequest(userID)
		if r == nil {
			return errNoRequest
		}
		req = *r
		sa.JoinRequests = removeRequest(sa.JoinRequests, userID)
		if role != nil && sa.RoleOf(userID) == "" {
			ro := *role
			if len(sa.Members) == 0 {
				ro = directory.RoleAdmin // the first member runs the structure
			}
			sa.Members = append(sa.Members, directory.Member{UserID: userID, Email: req.Email, Name: req.Name, Role: ro, Since: now})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, err := a.modifyUser(ctx, userID, func(u *directory.User) error {
		u.JoinRequests = remove(u.JoinRequests, structureID)
		return nil
	}); err != nil && directory.ErrorCode(err) != directory.ENOTFOUND {
		return nil, err
	}
	if !sa.NeedsModerator() {
		if err := a.store.RemoveFromList(ctx, moderationList(sa.Departement), structureID); err != nil {
			return nil, err
		}
	}
	return &req, nil
}

func removeRequest(rs []directory.JoinRequest, userID string) []directory.JoinRequest {
	out := rs[:0:0]
	for _, r := range rs {
		if r.UserID != userID {
			out = append(out, r)
		}
	}
	return out
}

// MyJoinRequests lists the structures the actor asked to join and that have
// not answered yet.
func (a *Accounts) MyJoinRequests(ctx context.Context, actor *Actor) ([]*directory.Structure, error) {
	if actor == nil || actor.User == nil {
		return nil, errSignIn
	}
	var out []*directory.Structure
	for _, id := range actor.User.JoinRequests {
		sa, err := a.store.StructureAccount(ctx, id)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			continue
		} else if err != nil {
			return nil, err
		}
		if sa.JoinRequest(actor.User.ID) == nil {
			continue
		}
		st, err := a.store.Structure(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// Invite mails an invitation to join the structure with role. Inviting an
// address again replaces its invitation (and kills the older link).
// Errors: EINVALID (fields email, role), ECONFLICT (already a member),
// EFORBIDDEN (too many mails to that address this hour).
func (a *Accounts) Invite(ctx context.Context, actor *Actor, structureID, email string, role directory.Role) error {
	t, err := a.StructureTarget(ctx, structureID)
	if err != nil {
		return err
	}
	if err := Can(actor, MemberInvite, t); err != nil {
		return err
	}
	email, err = directory.NormalizeEmail(email)
	if err != nil {
		return fieldError("email", directory.ErrorMessage(err))
	}
	if !role.Valid() {
		return fieldError("role", "Choisissez un rôle : administrateur ou membre.")
	}
	for _, m := range t.Structure.Members {
		if m.Email == email {
			return directory.Errorf(directory.ECONFLICT, "Cette personne est déjà membre de la structure.")
		}
	}
	if !a.allow(ctx, mailKey(email), mailLimit, time.Hour) {
		return directory.Errorf(directory.EFORBIDDEN, "Trop de messages envoyés à cette adresse. Réessayez dans une heure.")
	}
	st, err := a.store.Structure(ctx, structureID)
	if err != nil {
		return err
	}
	secret, err := a.saveToken(ctx, kindInvitation, InvitationTTL, store.Token{Email: email, StructureID: structureID})
	if err != nil {
		return err
	}
	now := a.now().UTC()
	var old string
	_, err = a.modifyStructureAccount(ctx, structureID, func(sa *directory.StructureAccount) error {
		old = ""
		if inv := sa.Invitation(email); inv != nil {
			old = inv.TokenID
		}
		sa.Invitations = append(removeInvitation(sa.Invitations, email), directory.Invitation{Email: email, Role: role,
			InvitedBy: actor.User.ID, TokenID: tokenID(kindInvitation, secret), At: now, ExpiresAt: now.Add(InvitationTTL)})
		return nil
	})
	if err != nil {
		_ = a.store.DeleteToken(ctx, tokenID(kindInvitation, secret))
		return err
	}
	if old != "" {
		_ = a.store.DeleteToken(ctx, old)
	}
	a.record(ctx, actor, MemberInvite, structureID, 0, directory.FieldChange{Field: "Invitation", After: email + " (" + role.Label() + ")"})
	a.send(ctx, invitationMail(email, actor.User.Name, st.Name, role, a.link(InvitationPath, secret)))
	return nil
}

func removeInvitation(is []directory.Invitation, email string) []directory.Invitation {
	out := is[:0:0]
	for _, i := range is {
		if i.Email != email {
			out = append(out, i)
		}
	}
	return out
}

// RevokeInvitation cancels the invitation of an address; its link dies.
func (a *Accounts) RevokeInvitation(ctx context.Context, actor *Actor, structureID, email string) error {
	t, err := a.StructureTarget(ctx, structureID)
	if err != nil {
		return err
	}
	if err := Can(actor, InvitationRevoke, t); err != nil {
		return err
	}
	var tok string
	_, err = a.modifyStructureAccount(ctx, structureID, func(sa *directory.StructureAccount) error {
		inv := sa.Invitation(email)
		if inv == nil {
			return directory.Errorf(directory.ENOTFOUND, "Cette invitation n’existe plus.")
		}
		tok = inv.TokenID
		sa.Invitations = removeInvitation(sa.Invitations, email)
		return nil
	})
	if err != nil {
		return err
	}
	a.record(ctx, actor, InvitationRevoke, structureID, 0, directory.FieldChange{Field: "Invitation", Before: email})
	return a.store.DeleteToken(ctx, tok)
}

// InvitationInfo is what the invitation page shows before accepting.
type InvitationInfo struct {
	Structure *directory.Structure
	Email     string
	Role      directory.Role
}

// Invitation reads an invitation link without consuming it (ENOTFOUND when
// dead or revoked).
func (a *Accounts) Invitation(ctx context.Context, token string) (*InvitationInfo, error) {
	t, err := a.peekToken(ctx, kindInvitation, token)
	if err != nil {
		return nil, err
	}
	sa, err := a.structureAccount(ctx, t.StructureID)
	if err != nil {
		return nil, err
	}
	inv := sa.Invitation(t.Email)
	if inv == nil || inv.TokenID != t.ID {
		return nil, errBadLink
	}
	st, err := a.store.Structure(ctx, t.StructureID)
	if err != nil {
		return nil, err
	}
	return &InvitationInfo{Structure: st, Email: t.Email, Role: inv.Role}, nil
}

// AcceptInvitation makes the actor a member with the invitation's role. The
// actor's address must be the invited one (EFORBIDDEN otherwise, and the link
// stays usable).
func (a *Accounts) AcceptInvitation(ctx context.Context, actor *Actor, token string) (*directory.Structure, error) {
	if err := Can(actor, InvitationAccept, Target{}); err != nil {
		return nil, err
	}
	info, err := a.Invitation(ctx, token)
	if err != nil {
		return nil, err
	}
	u := actor.User
	if info.Email != u.Email {
		return nil, directory.Errorf(directory.EFORBIDDEN,
			"Cette invitation a été envoyée à %s. Connectez-vous avec le compte de cette adresse pour l’accepter.", info.Email)
	}
	t, err := a.takeToken(ctx, kindInvitation, token)
	if err != nil {
		return nil, err
	}
	id := info.Structure.ID
	if err := a.addToUser(ctx, u.ID, id); err != nil {
		return nil, err
	}
	now := a.now().UTC()
	sa, err := a.modifyStructureAccount(ctx, id, func(sa *directory.StructureAccount) error {
		inv := sa.Invitation(u.Email)
		if inv == nil || inv.TokenID != t.ID {
			return errBadLink
		}
		role := inv.Role
		sa.Invitations = removeInvitation(sa.Invitations, u.Email)
		sa.JoinRequests = removeRequest(sa.JoinRequests, u.ID)
		if sa.RoleOf(u.ID) == "" {
			if len(sa.Members) == 0 {
				role = directory.RoleAdmin
			}
			sa.Members = append(sa.Members, directory.Member{UserID: u.ID, Email: u.Email, Name: u.Name, Role: role, Since: now})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if contains(u.JoinRequests, id) {
		_, _ = a.modifyUser(ctx, u.ID, func(u *directory.User) error {
			u.JoinRequests = remove(u.JoinRequests, id)
			return nil
		})
	}
	if !sa.NeedsModerator() {
		_ = a.store.RemoveFromList(ctx, moderationList(sa.Departement), id)
	}
	a.record(ctx, actor, InvitationAccept, id, 0, directory.FieldChange{Field: "Membre", After: person(u.Name, u.Email)})
	return info.Structure, nil
}

// ChangeRole sets a member's role; the last administrator stays one.
func (a *Accounts) ChangeRole(ctx context.Context, actor *Actor, structureID, userID string, role directory.Role) error {
	t, err := a.StructureTarget(ctx, structureID)
	if err != nil {
		return err
	}
	if err := Can(actor, MemberRole, t); err != nil {
		return err
	}
	if !role.Valid() {
		return fieldError("role", "Choisissez un rôle : administrateur ou membre.")
	}
	_, err = a.modifyStructureAccount(ctx, structureID, func(sa *directory.StructureAccount) error {
		for i := range sa.Members {
			m := &sa.Members[i]
			if m.UserID != userID {
				continue
			}
			if m.Role == directory.RoleAdmin && role != directory.RoleAdmin && len(sa.Admins()) == 1 {
				return errLastAdmin
			}
			m.Role = role
			return nil
		}
		return errNotMember
	})
	if err == nil {
		a.record(ctx, actor, MemberRole, structureID, 0,
			directory.FieldChange{Field: "Rôle de " + memberName(t.Structure, userID), Before: t.Structure.RoleOf(userID).Label(), After: role.Label()})
	}
	return err
}

// RemoveMember takes a member out of the structure; a member may remove
// themself (leave). The last administrator leaves only as the last member.
func (a *Accounts) RemoveMember(ctx context.Context, actor *Actor, structureID, userID string) error {
	t, err := a.StructureTarget(ctx, structureID)
	if err != nil {
		return err
	}
	action := MemberRemove
	if userID == actorID(actor) {
		action = MemberLeave
	}
	if err := Can(actor, action, t); err != nil {
		return err
	}
	_, err = a.modifyStructureAccount(ctx, structureID, func(sa *directory.StructureAccount) error {
		role := sa.RoleOf(userID)
		if role == "" {
			return errNotMember
		}
		if role == directory.RoleAdmin && len(sa.Admins()) == 1 && len(sa.Members) > 1 {
			return errLastAdmin
		}
		out := sa.Members[:0:0]
		for _, m := range sa.Members {
			if m.UserID != userID {
				out = append(out, m)
			}
		}
		sa.Members = out
		return nil
	})
	if err != nil {
		return err
	}
	if action == MemberLeave {
		a.record(ctx, actor, MemberLeave, structureID, 0, directory.FieldChange{Field: "Membre parti", Before: person(actor.User.Name, actor.User.Email)})
	} else {
		a.record(ctx, actor, MemberRemove, structureID, 0, directory.FieldChange{Field: "Membre retiré", Before: memberName(t.Structure, userID)})
	}
	_, err = a.modifyUser(ctx, userID, func(u *directory.User) error {
		u.Structures = remove(u.Structures, structureID)
		return nil
	})
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		err = nil
	}
	return err
}
