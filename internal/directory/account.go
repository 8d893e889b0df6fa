package directory

import (
	"slices"
	"strings"
	"time"
)

// Role is what a member may do in a structure.
type Role string

const (
	RoleAdmin  Role = "administrateur" // manages the structure and its members
	RoleMember Role = "membre"         // edits the structure's services
)

// Roles lists the roles in order, for forms.
var Roles = []Role{RoleAdmin, RoleMember}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleAdmin || r == RoleMember }

// Label is the French label of the role.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Administrateur"
	case RoleMember:
		return "Membre"
	}
	return string(r)
}

// Moderation is the verification state of a structure created on Repère.
type Moderation string

const (
	ModerationPending   Moderation = "en_attente" // services published, marked "structure en cours de vérification"
	ModerationValidated Moderation = "validee"
	ModerationRefused   Moderation = "refusee" // services leave the public site
)

// Valid reports whether m is a known state.
func (m Moderation) Valid() bool {
	return m == ModerationPending || m == ModerationValidated || m == ModerationRefused
}

// Label is the French label of the state.
func (m Moderation) Label() string {
	switch m {
	case ModerationPending:
		return "En cours de vérification"
	case ModerationValidated:
		return "Vérifiée"
	case ModerationRefused:
		return "Refusée"
	}
	return string(m)
}

// Listed reports whether the services of a structure in this state may appear
// on public pages.
func (m Moderation) Listed() bool { return m != ModerationRefused }

// User is a person with an account. Roles in structures live in the
// structure's StructureAccount; Structures and JoinRequests here only index
// them for the dashboard and may hold ids that no longer apply.
type User struct {
	ID                string     `bson:"_id"`
	Email             string     `bson:"email"` // normalised, see NormalizeEmail
	Name              string     `bson:"nom"`
	PasswordHash      string     `bson:"password_hash,omitempty"` // PHC string; empty for ProConnect-only accounts
	PasswordChangedAt time.Time  `bson:"password_changed_at"`
	EmailVerifiedAt   *time.Time `bson:"email_verified_at,omitempty"`
	ProConnectSub     string     `bson:"proconnect_sub,omitempty"`
	PlatformAdmin     bool       `bson:"platform_admin"`
	ModeratorOf       []string   `bson:"moderator_of,omitempty"` // département codes
	Structures        []string   `bson:"structures,omitempty"`
	JoinRequests      []string   `bson:"join_requests,omitempty"`
	SessionEpoch      int64      `bson:"session_epoch"` // sessions of an older epoch are revoked
	RemindersOff      []Reminder `bson:"rappels_desactives,omitempty"`
	LastLoginAt       *time.Time `bson:"last_login_at,omitempty"`
	Version           int64      `bson:"version"`
	CreatedAt         time.Time  `bson:"cree_le"`
	UpdatedAt         time.Time  `bson:"maj_le"`
}

// Wants reports whether the user receives the reminders of that kind.
func (u *User) Wants(r Reminder) bool { return !slices.Contains(u.RemindersOff, r) }

// Reminder is a kind of reminder mail, which each user may switch off.
type Reminder string

const (
	ReminderFreshness  Reminder = "fraicheur"  // monthly, to members: services to confirm, drafts left
	ReminderRequests   Reminder = "demandes"   // to administrators: join requests waiting
	ReminderModeration Reminder = "moderation" // weekly, to territory moderators
)

// Reminders lists the kinds in order, for forms.
var Reminders = []Reminder{ReminderFreshness, ReminderRequests, ReminderModeration}

// Valid reports whether r is a known kind.
func (r Reminder) Valid() bool { return slices.Contains(Reminders, r) }

// Label is the French name of the kind.
func (r Reminder) Label() string {
	switch r {
	case ReminderFreshness:
		return "Rappel mensuel des services à mettre à jour et des brouillons en attente"
	case ReminderRequests:
		return "Rappel des demandes d’adhésion en attente (administrateurs)"
	case ReminderModeration:
		return "Récapitulatif hebdomadaire du territoire (gestionnaires)"
	}
	return string(r)
}

// Verified reports whether the user proved they own their address.
func (u *User) Verified() bool { return u.EmailVerifiedAt != nil }

// Moderates reports whether the user moderates the département.
func (u *User) Moderates(dep string) bool { return dep != "" && slices.Contains(u.ModeratorOf, dep) }

// Validate checks the fields a user types in.
func (u *User) Validate() error {
	f := FieldErrors{}
	if err := CheckEmail(u.Email); err != nil {
		f.Add("email", ErrorMessage(err))
	}
	if blank(u.Name) {
		f.Add("nom", "Indiquez votre nom.")
	} else {
		checkLength(f, "nom", "Le nom", u.Name, 2, 100)
	}
	return f.Err()
}

// Session is a signed-in browser. Its ID is the SHA-256 of the cookie's
// token: the token itself is never stored.
type Session struct {
	ID         string    `bson:"_id"`
	UserID     string    `bson:"user_id"`
	Epoch      int64     `bson:"epoch"` // the user's SessionEpoch when created
	Via        string    `bson:"via"`   // "password" or "proconnect"
	IDToken    string    `bson:"id_token,omitempty"`
	IP         string    `bson:"ip,omitempty"`
	UserAgent  string    `bson:"user_agent,omitempty"`
	CreatedAt  time.Time `bson:"created_at"`
	LastSeenAt time.Time `bson:"last_seen_at"`
	ExpireAt   time.Time `bson:"expire_at"` // absolute end; MongoDB's TTL index removes it after
}

// StructureAccount is the people side of a structure: its members, pending
// requests and invitations, its verification state and its parent when it is
// an antenne. Its ID is the structure's.
type StructureAccount struct {
	ID             string        `bson:"_id"`
	ParentID       string        `bson:"parent_id,omitempty"`
	Antennes       []string      `bson:"antennes,omitempty"`
	Departement    string        `bson:"departement,omitempty"`
	Moderation     Moderation    `bson:"moderation"`
	ModeratedBy    string        `bson:"moderated_by,omitempty"`
	ModeratedAt    *time.Time    `bson:"moderated_at,omitempty"`
	ModerationNote string        `bson:"moderation_note,omitempty"`
	Members        []Member      `bson:"members"`
	JoinRequests   []JoinRequest `bson:"join_requests"`
	Invitations    []Invitation  `bson:"invitations"`
	Version        int64         `bson:"version"`
	CreatedAt      time.Time     `bson:"cree_le"`
	UpdatedAt      time.Time     `bson:"maj_le"`
}

// Member is a user's role in a structure; Email and Name are copied for
// display.
type Member struct {
	UserID string    `bson:"user_id"`
	Email  string    `bson:"email"`
	Name   string    `bson:"nom"`
	Role   Role      `bson:"role"`
	Since  time.Time `bson:"since"`
}

// JoinRequest is a user asking to become a member.
type JoinRequest struct {
	UserID  string    `bson:"user_id"`
	Email   string    `bson:"email"`
	Name    string    `bson:"nom"`
	Message string    `bson:"message,omitempty"`
	At      time.Time `bson:"at"`
}

// Invitation is an address invited to become a member; TokenID is the hash
// of the link's token.
type Invitation struct {
	Email     string    `bson:"email"`
	Role      Role      `bson:"role"`
	InvitedBy string    `bson:"invited_by"`
	TokenID   string    `bson:"token_id"`
	At        time.Time `bson:"at"`
	ExpiresAt time.Time `bson:"expires_at"`
}

// RoleOf returns the role of the user, or "" when not a member.
func (a *StructureAccount) RoleOf(userID string) Role {
	if a == nil || userID == "" {
		return ""
	}
	for _, m := range a.Members {
		if m.UserID == userID {
			return m.Role
		}
	}
	return ""
}

// Admins returns the administrators.
func (a *StructureAccount) Admins() []Member {
	var out []Member
	for _, m := range a.Members {
		if m.Role == RoleAdmin {
			out = append(out, m)
		}
	}
	return out
}

// JoinRequest returns the pending request of the user, or nil.
func (a *StructureAccount) JoinRequest(userID string) *JoinRequest {
	for i := range a.JoinRequests {
		if a.JoinRequests[i].UserID == userID {
			return &a.JoinRequests[i]
		}
	}
	return nil
}

// Invitation returns the pending invitation of the address, or nil.
func (a *StructureAccount) Invitation(email string) *Invitation {
	for i := range a.Invitations {
		if a.Invitations[i].Email == email {
			return &a.Invitations[i]
		}
	}
	return nil
}

// NeedsModerator reports whether the structure waits for a territory
// moderator: its verification, or join requests nobody else can answer.
func (a *StructureAccount) NeedsModerator() bool {
	return a.Moderation == ModerationPending || (len(a.Admins()) == 0 && len(a.JoinRequests) > 0)
}

// NormalizeEmail trims and lower-cases an address and checks it. Addresses are
// compared in this form: one account per normalised address.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if err := CheckEmail(s); err != nil {
		return s, err
	}
	return s, nil
}

// DepartementOfCommune returns the département code of a commune INSEE code:
// "86194" gives "86", "2A004" gives "2A", "97411" gives "974"; "" when the
// code is not a commune code.
func DepartementOfCommune(code string) string {
	if CheckInseeCode(code) != nil {
		return ""
	}
	if strings.HasPrefix(code, "97") || strings.HasPrefix(code, "98") {
		return code[:3]
	}
	return code[:2]
}

// CheckDepartementCode checks the shape of a département code: 01–95 (no
// 20), 2A, 2B, or 971–976.
func CheckDepartementCode(code string) error {
	ok := false
	switch {
	case code == "2A" || code == "2B":
		ok = true
	case len(code) == 2 && digits(code):
		ok = code != "00" && code != "20" && code <= "95"
	case len(code) == 3 && digits(code):
		ok = code >= "971" && code <= "976"
	}
	if !ok {
		return invalid("Ce code de département n’est pas valide (exemples : 86, 2A, 974).")
	}
	return nil
}
