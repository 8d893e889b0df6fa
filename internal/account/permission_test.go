package account

import (
	"testing"

	"github.com/repere-spie/repere/internal/directory"
)

// The roles of the matrix, in column order.
var matrixRoles = []struct {
	name string
	user *directory.User // nil: anonymous
}{
	{"anonyme", nil},
	{"connecté sans structure", &directory.User{ID: "lambda"}},
	{"membre", &directory.User{ID: "membre"}},
	{"administrateur", &directory.User{ID: "admin"}},
	{"administrateur d’une autre structure", &directory.User{ID: "admin-autre", Structures: []string{"autre"}}},
	{"gestionnaire du territoire", &directory.User{ID: "gestionnaire-86", ModeratorOf: []string{"86"}}},
	{"gestionnaire d’un autre territoire", &directory.User{ID: "gestionnaire-33", ModeratorOf: []string{"33", "17"}}},
	{"administrateur de la plateforme", &directory.User{ID: "plateforme", PlatformAdmin: true}},
}

// expected has one row per action: X allowed, . refused, one column per role
// above. An action missing here fails the test: adding one means deciding
// who may do it.
var expected = map[Action]string{
	AccountEdit:             ".XXXXXXX",
	AccountPassword:         ".XXXXXXX",
	AccountLogoutEverywhere: ".XXXXXXX",

	StructureCreate:  ".XXXXXXX",
	StructureJoin:    ".XXXXXXX",
	JoinCancel:       ".XXXXXXX",
	InvitationAccept: ".XXXXXXX",
	StructureEdit:    "...X.X.X",
	AntenneCreate:    "...X.X.X",

	MemberInvite:     "...X.X.X",
	InvitationRevoke: "...X.X.X",
	JoinAccept:       "...X.X.X",
	JoinRefuse:       "...X.X.X",
	MemberRole:       "...X.X.X",
	MemberRemove:     "...X.X.X",
	MemberLeave:      "..XX....",

	ServiceCreate:    "..XX.X.X",
	ServiceEdit:      "..XX.X.X",
	ServicePublish:   "..XX.X.X",
	ServiceArchive:   "..XX.X.X",
	ServiceSuspend:   "..XX.X.X",
	ServiceDuplicate: "..XX.X.X",
	ServiceMarkFresh: "..XX.X.X",

	ModerationReview: ".....X.X",
	ModeratorAppoint: ".......X",

	ImportRun:   ".....X.X",
	OutboxRetry: ".......X",
}

// theStructure is the target: in the Vienne (86), with a member and an
// administrator; "admin-autre" runs another structure.
var theStructure = &directory.StructureAccount{ID: "structure", Departement: "86", Members: []directory.Member{
	{UserID: "membre", Role: directory.RoleMember}, {UserID: "admin", Role: directory.RoleAdmin}}}

func TestPermissionMatrix(t *testing.T) {
	mismatches := 0
	for _, action := range Actions() {
		row, ok := expected[action]
		if !ok {
			t.Errorf("action %s (%s) has no row in the permission matrix", action, action.Label())
			mismatches++
			continue
		}
		if len(row) != len(matrixRoles) {
			t.Fatalf("row of %s has %d columns, want %d", action, len(row), len(matrixRoles))
		}
		for i, role := range matrixRoles {
			var actor *Actor
			target := Target{Structure: theStructure}
			if role.user != nil {
				actor = &Actor{User: role.user}
				target.UserID = role.user.ID // account actions act on one's own account
			}
			err := Can(actor, action, target)
			want := row[i] == 'X'
			if (err == nil) != want {
				t.Errorf("%s × %s: allowed=%v, want %v", role.name, action, err == nil, want)
				mismatches++
				continue
			}
			if err != nil {
				code := directory.EFORBIDDEN
				if actor == nil {
					code = directory.EUNAUTHORIZED
				}
				if directory.ErrorCode(err) != code {
					t.Errorf("%s × %s: %v, want %s", role.name, action, err, code)
				}
			}
		}
	}
	for action := range expected {
		found := false
		for _, a := range Actions() {
			found = found || a == action
		}
		if !found {
			t.Errorf("the matrix has a row for %s, which is no action", action)
		}
	}
	t.Logf("%d actions × %d roles, %d mismatches", len(Actions()), len(matrixRoles), mismatches)
}

// Nobody acts on someone else's account, and an unknown action is refused
// to everyone, platform administrators included.
func TestPermissionEdges(t *testing.T) {
	root := &Actor{User: &directory.User{ID: "plateforme", PlatformAdmin: true}}
	for _, action := range []Action{AccountEdit, AccountPassword, AccountLogoutEverywhere, JoinCancel} {
		if err := Can(root, action, Target{UserID: "quelquun"}); directory.ErrorCode(err) != directory.EFORBIDDEN {
			t.Errorf("%s on another user's account: %v", action, err)
		}
	}
	if err := Can(root, Action("service.delete"), Target{Structure: theStructure}); directory.ErrorCode(err) != directory.EFORBIDDEN {
		t.Errorf("unknown action: %v", err)
	}
	if err := Can(&Actor{User: &directory.User{}}, StructureCreate, Target{}); directory.ErrorCode(err) != directory.EUNAUTHORIZED {
		t.Errorf("an actor without id is anonymous: %v", err)
	}

	// Antennes: the parent's administrators run them; the parent's members
	// edit their services; the antenne's own people have no say on the parent.
	antenne := &directory.StructureAccount{ID: "antenne", ParentID: "structure", Departement: "86",
		Members: []directory.Member{{UserID: "chef-antenne", Role: directory.RoleAdmin}}}
	onAntenne := Target{Structure: antenne, Parent: theStructure}
	onParent := Target{Structure: theStructure}
	tests := []struct {
		user   string
		action Action
		target Target
		ok     bool
	}{
		{"admin", StructureEdit, onAntenne, true},
		{"admin", MemberInvite, onAntenne, true},
		{"membre", ServiceEdit, onAntenne, true},
		{"membre", StructureEdit, onAntenne, false},
		{"chef-antenne", StructureEdit, onAntenne, true},
		{"chef-antenne", StructureEdit, onParent, false},
		{"chef-antenne", ServiceEdit, onParent, false},
		{"admin-autre", ServiceEdit, onAntenne, false},
	}
	for _, tt := range tests {
		err := Can(&Actor{User: &directory.User{ID: tt.user}}, tt.action, tt.target)
		if (err == nil) != tt.ok {
			t.Errorf("%s × %s on %s: %v, want allowed=%v", tt.user, tt.action, tt.target.Structure.ID, err, tt.ok)
		}
	}

	// A service placed in another département: its moderators may act too.
	mod33 := &Actor{User: &directory.User{ID: "g33", ModeratorOf: []string{"33"}}}
	svcTarget := Target{Structure: theStructure, Departements: []string{"86", "33"}}
	if err := Can(mod33, ServiceEdit, svcTarget); err != nil {
		t.Errorf("moderator of the service's département: %v", err)
	}
	if err := Can(mod33, ServiceEdit, Target{Structure: theStructure}); err == nil {
		t.Error("moderator of 33 edits a service of 86")
	}
}
