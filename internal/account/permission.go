package account

import (
	"slices"

	"github.com/repere-spie/repere/internal/directory"
)

// Action is something that changes data. Every mutating route names one and
// calls Can before anything else.
type Action string

// The actions. A new one needs a row in actionTable (and in the permission
// matrix test, which fails without it).
const (
	AccountEdit             Action = "account.edit"
	AccountPassword         Action = "account.password"
	AccountLogoutEverywhere Action = "account.logout_everywhere"

	StructureCreate  Action = "structure.create"
	StructureJoin    Action = "structure.join"
	JoinCancel       Action = "structure.join.cancel"
	InvitationAccept Action = "invitation.accept"
	StructureEdit    Action = "structure.edit"
	AntenneCreate    Action = "structure.antenne.create"

	MemberInvite     Action = "member.invite"
	InvitationRevoke Action = "member.invitation.revoke"
	JoinAccept       Action = "member.join.accept"
	JoinRefuse       Action = "member.join.refuse"
	MemberRole       Action = "member.role"
	MemberRemove     Action = "member.remove"
	MemberLeave      Action = "member.leave"

	ServiceCreate    Action = "service.create"
	ServiceEdit      Action = "service.edit"
	ServicePublish   Action = "service.publish"
	ServiceArchive   Action = "service.archive"
	ServiceSuspend   Action = "service.suspend"
	ServiceDuplicate Action = "service.duplicate"
	ServiceMarkFresh Action = "service.mark_fresh"

	ModerationReview Action = "moderation.review"
	ModeratorAppoint Action = "moderation.appoint"

	ImportRun   Action = "import.run"
	OutboxRetry Action = "outbox.retry"
)

// grant is a set of ways to be allowed.
type grant uint8

const (
	signedIn  grant = 1 << iota // any signed-in user
	self                        // the user the target names
	member                      // a member, whatever the role, of the target structure or of its parent
	admin                       // an administrator of the target structure or of its parent
	moderator                   // a moderator of one of the target's départements
	platform                    // a platform administrator
)

// manage is who runs a structure: its administrators, the territory's
// moderators ("the right to edit anything in their départements") and the
// platform administrators.
const manage = admin | moderator | platform

var actionTable = []struct {
	action Action
	grant  grant
	label  string
}{
	{AccountEdit, self, "Modifier son compte"},
	{AccountPassword, self, "Changer son mot de passe"},
	{AccountLogoutEverywhere, self, "Se déconnecter de partout"},

	{StructureCreate, signedIn, "Créer une structure"},
	{StructureJoin, signedIn, "Demander à rejoindre une structure"},
	{JoinCancel, self, "Annuler sa demande"},
	{InvitationAccept, signedIn, "Accepter une invitation"},
	{StructureEdit, manage, "Modifier une structure"},
	{AntenneCreate, manage, "Créer une antenne"},

	{MemberInvite, manage, "Inviter un membre"},
	{InvitationRevoke, manage, "Annuler une invitation"},
	{JoinAccept, manage, "Accepter une demande"},
	{JoinRefuse, manage, "Refuser une demande"},
	{MemberRole, manage, "Changer un rôle"},
	{MemberRemove, manage, "Retirer un membre"},
	{MemberLeave, member, "Quitter une structure"},

	{ServiceCreate, member | moderator | platform, "Créer un service"},
	{ServiceEdit, member | moderator | platform, "Modifier un service"},
	{ServicePublish, member | moderator | platform, "Publier un service"},
	{ServiceArchive, member | moderator | platform, "Archiver un service"},
	{ServiceSuspend, member | moderator | platform, "Suspendre un service"},
	{ServiceDuplicate, member | moderator | platform, "Dupliquer un service"},
	{ServiceMarkFresh, member | moderator | platform, "Marquer un service comme à jour"},

	{ModerationReview, moderator | platform, "Vérifier une structure"},
	{ModeratorAppoint, platform, "Nommer un gestionnaire de territoire"},

	// A moderator imports into their territory (the import rejects the
	// records placed elsewhere).
	{ImportRun, moderator | platform, "Importer des données"},
	{OutboxRetry, platform, "Renvoyer un courriel en échec"},
}

// Actions lists every action, in table order.
func Actions() []Action {
	out := make([]Action, len(actionTable))
	for i, r := range actionTable {
		out[i] = r.action
	}
	return out
}

// Label is the French name of the action, for history and logs.
func (ac Action) Label() string {
	for _, r := range actionTable {
		if r.action == ac {
			return r.label
		}
	}
	return string(ac)
}

// Target is what an action is about. Build it with Accounts.StructureTarget
// or ServiceTarget; account actions name the user.
type Target struct {
	UserID       string                      // the user an account action is about
	Structure    *directory.StructureAccount // the structure acted on (or the service's)
	Parent       *directory.StructureAccount // its parent when it is an antenne
	Departements []string                    // where it is, for moderators; default: the structure's
}

func (t Target) departements() []string {
	if len(t.Departements) > 0 {
		return t.Departements
	}
	if t.Structure != nil && t.Structure.Departement != "" {
		return []string{t.Structure.Departement}
	}
	return nil
}

// role is the actor's role on the target: on the structure, or inherited
// from the parent (administrators of a structure run its antennes).
func (t Target) role(userID string) directory.Role {
	if t.Parent.RoleOf(userID) == directory.RoleAdmin {
		return directory.RoleAdmin
	}
	if r := t.Structure.RoleOf(userID); r != "" {
		return r
	}
	return t.Parent.RoleOf(userID)
}

var (
	errSignIn    = directory.Errorf(directory.EUNAUTHORIZED, "Connectez-vous pour continuer.")
	errForbidden = directory.Errorf(directory.EFORBIDDEN, "Vous n’avez pas le droit de faire cela.")
)

// Can returns nil when actor may do action on target, EUNAUTHORIZED for an
// anonymous actor, and EFORBIDDEN otherwise (unknown actions included).
func Can(actor *Actor, action Action, t Target) error {
	var g grant
	for _, r := range actionTable {
		if r.action == action {
			g = r.grant
		}
	}
	if actor == nil || actor.User == nil || actor.User.ID == "" {
		return errSignIn
	}
	u := actor.User
	role := t.role(u.ID)
	switch {
	case g&signedIn != 0,
		g&self != 0 && t.UserID == u.ID,
		g&platform != 0 && u.PlatformAdmin,
		g&moderator != 0 && slices.ContainsFunc(t.departements(), u.Moderates),
		g&admin != 0 && role == directory.RoleAdmin,
		g&member != 0 && role != "":
		return nil
	}
	return errForbidden
}
