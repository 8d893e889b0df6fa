package directory

import "testing"

func TestDepartementOfCommune(t *testing.T) {
	for code, want := range map[string]string{
		"86194": "86", "2A004": "2A", "2B033": "2B", "97411": "974", "97608": "976", "98818": "988",
		"75056": "75", "1234": "", "20004": "", "": "",
	} {
		if got := DepartementOfCommune(code); got != want {
			t.Errorf("DepartementOfCommune(%q) = %q, want %q", code, got, want)
		}
	}
}

func TestCheckDepartementCode(t *testing.T) {
	for code, ok := range map[string]bool{
		"01": true, "86": true, "95": true, "2A": true, "2B": true, "971": true, "976": true,
		"00": false, "20": false, "96": false, "99": false, "977": false, "2C": false, "1": false, "": false, "86 ": false,
	} {
		if err := CheckDepartementCode(code); (err == nil) != ok {
			t.Errorf("CheckDepartementCode(%q) = %v, want ok=%v", code, err, ok)
		}
	}
}

func TestNormalizeEmailAndRoles(t *testing.T) {
	if got, err := NormalizeEmail("  Camille.Martin@Mairie-Exemple.FR "); err != nil || got != "camille.martin@mairie-exemple.fr" {
		t.Errorf("NormalizeEmail = %q, %v", got, err)
	}
	for _, bad := range []string{"", "camille", "Camille <c@exemple.fr>", "c@exemple"} {
		if _, err := NormalizeEmail(bad); ErrorCode(err) != EINVALID {
			t.Errorf("NormalizeEmail(%q) = %v, want invalid", bad, err)
		}
	}
	if !RoleAdmin.Valid() || !RoleMember.Valid() || Role("Administrateur").Valid() || Role("").Valid() {
		t.Error("role validity")
	}
	if ModerationRefused.Listed() || !ModerationPending.Listed() || !ModerationValidated.Listed() {
		t.Error("only refused structures leave the site")
	}
	a := &StructureAccount{Moderation: ModerationValidated, Members: []Member{{UserID: "u1", Role: RoleMember}}}
	if a.NeedsModerator() {
		t.Error("a verified structure without requests needs nobody")
	}
	a.JoinRequests = []JoinRequest{{UserID: "u2"}}
	if !a.NeedsModerator() {
		t.Error("a request with no administrator to answer it goes to the moderators")
	}
	a.Members = append(a.Members, Member{UserID: "u3", Role: RoleAdmin})
	if a.NeedsModerator() || a.RoleOf("u3") != RoleAdmin || a.RoleOf("u9") != "" || a.JoinRequest("u2") == nil {
		t.Error("with an administrator, requests are theirs")
	}
	var none *StructureAccount
	if none.RoleOf("u1") != "" {
		t.Error("nil account has no members")
	}
}
