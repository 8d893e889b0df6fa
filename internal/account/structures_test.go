package account

import (
	"slices"
	"strings"
	"testing"

	"github.com/repere-spie/repere/internal/directory"
)

func TestCreateStructure(t *testing.T) {
	f := newFixture(t, nil)
	camille := f.member("camille@exemple.fr", "Camille")

	bad := poitiersForm
	bad.SIRET, bad.Address, bad.CodeInsee = "80295478400021", "", "99999"
	_, err := f.acc.CreateStructure(f.ctx, camille, bad)
	for _, field := range []string{"siret", "adresse", "code_insee"} {
		wantField(t, "bad form", err, field)
	}
	noSIRET := poitiersForm
	noSIRET.SIRET = ""
	_, err = f.acc.CreateStructure(f.ctx, camille, noSIRET)
	wantField(t, "no SIRET", err, "siret")
	unknown := poitiersForm
	unknown.CodeInsee = "86999"
	_, err = f.acc.CreateStructure(f.ctx, camille, unknown)
	wantField(t, "unknown commune", err, "code_insee")
	_, err = f.acc.CreateStructure(f.ctx, nil, poitiersForm)
	wantCode(t, "anonymous", err, directory.EUNAUTHORIZED)

	st, err := f.acc.CreateStructure(f.ctx, camille, poitiersForm)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := f.store.Structure(f.ctx, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.SIRET != "80295478400020" || stored.CommuneName != "Poitiers" || stored.Latitude == nil ||
		stored.Phone != "+33549000000" || stored.Provenance.Kind != "saisie" {
		t.Fatalf("stored structure %+v", stored)
	}
	sa, err := f.store.StructureAccount(f.ctx, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sa.RoleOf(camille.User.ID) != directory.RoleAdmin || sa.Moderation != directory.ModerationPending || sa.Departement != "86" {
		t.Fatalf("structure account %+v", sa)
	}
	if m := f.moderation(st.ID); m != directory.ModerationPending {
		t.Fatalf("moderation %q", m)
	}
	mine, err := f.acc.MyStructures(f.ctx, f.refresh(camille))
	if err != nil || len(mine) != 1 || mine[0].Structure.ID != st.ID || mine[0].Role != directory.RoleAdmin {
		t.Fatalf("MyStructures = %+v, %v", mine, err)
	}

	// One SIRET, one structure: the second one is told to ask to join.
	dom := f.member("dominique@exemple.fr", "Dominique")
	_, err = f.acc.CreateStructure(f.ctx, dom, poitiersForm)
	wantCode(t, "same SIRET", err, directory.ECONFLICT)
	wantField(t, "same SIRET", err, "siret")
	found, err := f.acc.FindStructureBySIRET(f.ctx, "802 954 784 00020")
	if err != nil || found.ID != st.ID {
		t.Fatalf("by SIRET: %+v %v", found, err)
	}
	if _, err := f.acc.FindStructureBySIRET(f.ctx, "78930215500039"); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("unregistered SIRET: %v", err)
	}
}

func TestJoinRequestsAndRoles(t *testing.T) {
	f := newFixture(t, nil)
	camille := f.member("camille@exemple.fr", "Camille")
	st, err := f.acc.CreateStructure(f.ctx, camille, poitiersForm)
	if err != nil {
		t.Fatal(err)
	}
	dom := f.member("dominique@exemple.fr", "Dominique")
	if err := f.acc.RequestToJoin(f.ctx, dom, st.ID, "Je suis conseillère mobilité dans l’équipe."); err != nil {
		t.Fatal(err)
	}
	m := f.mailsTo("camille@exemple.fr")[0]
	if !strings.Contains(m.Subject, "Dominique demande à rejoindre") || !strings.Contains(m.Text, "conseillère mobilité") ||
		!strings.Contains(m.Text, "https://repere.exemple.fr/espace/structures/"+st.ID+"/membres") {
		t.Fatalf("mail to the administrator: %+v", m)
	}
	pending, _ := f.acc.MyJoinRequests(f.ctx, f.refresh(dom))
	if len(pending) != 1 || pending[0].ID != st.ID {
		t.Fatalf("pending requests %+v", pending)
	}
	// Someone else cannot answer; the administrator can.
	eve := f.member("eve@exemple.fr", "Ève")
	err = f.acc.AcceptJoinRequest(f.ctx, eve, st.ID, dom.User.ID, directory.RoleAdmin)
	wantCode(t, "outsider accepts", err, directory.EFORBIDDEN)
	if u, _ := f.store.User(f.ctx, dom.User.ID); len(u.Structures) != 0 {
		t.Fatal("a refused acceptance wrote the requester's index")
	}
	if err := f.acc.AcceptJoinRequest(f.ctx, camille, st.ID, dom.User.ID, directory.RoleMember); err != nil {
		t.Fatal(err)
	}
	err = f.acc.AcceptJoinRequest(f.ctx, camille, st.ID, dom.User.ID, directory.RoleMember)
	wantCode(t, "answered twice", err, directory.ENOTFOUND)
	if !strings.Contains(f.mailsTo("dominique@exemple.fr")[0].Subject, "Vous avez rejoint") {
		t.Fatal("the requester was not told")
	}
	dom = f.refresh(dom)
	mine, _ := f.acc.MyStructures(f.ctx, dom)
	if len(mine) != 1 || mine[0].Role != directory.RoleMember {
		t.Fatalf("member's structures %+v", mine)
	}
	if pending, _ := f.acc.MyJoinRequests(f.ctx, dom); len(pending) != 0 {
		t.Fatalf("answered request still pending: %+v", pending)
	}
	wantCode(t, "member asks again", f.acc.RequestToJoin(f.ctx, dom, st.ID, ""), directory.ECONFLICT)

	// A member edits services but does not manage people.
	tgt, _ := f.acc.StructureTarget(f.ctx, st.ID)
	if err := Can(dom, ServiceEdit, tgt); err != nil {
		t.Fatalf("member edits services: %v", err)
	}
	wantCode(t, "member invites", f.acc.Invite(f.ctx, dom, st.ID, "x@exemple.fr", directory.RoleMember), directory.EFORBIDDEN)
	wantCode(t, "member promotes self", f.acc.ChangeRole(f.ctx, dom, st.ID, dom.User.ID, directory.RoleAdmin), directory.EFORBIDDEN)

	// Refusal.
	if err := f.acc.RequestToJoin(f.ctx, eve, st.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.acc.RefuseJoinRequest(f.ctx, camille, st.ID, eve.User.ID); err != nil {
		t.Fatal(err)
	}
	if tgt, _ := f.acc.StructureTarget(f.ctx, st.ID); tgt.Structure.RoleOf(eve.User.ID) != "" || len(tgt.Structure.JoinRequests) != 0 {
		t.Fatalf("after refusal: %+v", tgt.Structure)
	}

	// Roles: the last administrator stays one.
	wantCode(t, "demote the last admin", f.acc.ChangeRole(f.ctx, camille, st.ID, camille.User.ID, directory.RoleMember), directory.EINVALID)
	wantCode(t, "last admin leaves", f.acc.RemoveMember(f.ctx, camille, st.ID, camille.User.ID), directory.EINVALID)
	wantField(t, "unknown role", f.acc.ChangeRole(f.ctx, camille, st.ID, dom.User.ID, "proprietaire"), "role")
	if err := f.acc.ChangeRole(f.ctx, camille, st.ID, dom.User.ID, directory.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if err := f.acc.ChangeRole(f.ctx, dom, st.ID, camille.User.ID, directory.RoleMember); err != nil {
		t.Fatal(err)
	}
	if err := f.acc.RemoveMember(f.ctx, camille, st.ID, camille.User.ID); err != nil {
		t.Fatalf("a member leaves: %v", err)
	}
	if mine, _ := f.acc.MyStructures(f.ctx, f.refresh(camille)); len(mine) != 0 {
		t.Fatalf("left structure still listed: %+v", mine)
	}
	wantCode(t, "remove a non-member", f.acc.RemoveMember(f.ctx, dom, st.ID, eve.User.ID), directory.ENOTFOUND)
}

func TestInvitations(t *testing.T) {
	f := newFixture(t, nil)
	camille := f.member("camille@exemple.fr", "Camille")
	st, err := f.acc.CreateStructure(f.ctx, camille, poitiersForm)
	if err != nil {
		t.Fatal(err)
	}
	wantField(t, "bad address", f.acc.Invite(f.ctx, camille, st.ID, "pas une adresse", directory.RoleMember), "email")
	wantCode(t, "invite a member", f.acc.Invite(f.ctx, camille, st.ID, "camille@exemple.fr", directory.RoleMember), directory.ECONFLICT)
	if err := f.acc.Invite(f.ctx, camille, st.ID, "Sacha@Exemple.fr", directory.RoleMember); err != nil {
		t.Fatal(err)
	}
	firstLink := f.link("sacha@exemple.fr", "Invitation")
	// Inviting again replaces the invitation and kills the first link.
	if err := f.acc.Invite(f.ctx, camille, st.ID, "sacha@exemple.fr", directory.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	link := f.link("sacha@exemple.fr", "Invitation")
	m := f.mailsTo("sacha@exemple.fr")[0]
	if !strings.Contains(m.Text, "Camille vous invite à rejoindre la structure « Association Mobilité Vienne »") ||
		!strings.Contains(m.Text, "en tant que administrateur") {
		t.Fatalf("invitation mail:\n%s", m.Text)
	}
	if _, err := f.acc.Invitation(f.ctx, firstLink); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("replaced invitation link: %v", err)
	}
	info, err := f.acc.Invitation(f.ctx, link)
	if err != nil || info.Structure.ID != st.ID || info.Role != directory.RoleAdmin || info.Email != "sacha@exemple.fr" {
		t.Fatalf("invitation info %+v %v", info, err)
	}

	// Someone else's account cannot use it, and the link survives.
	eve := f.member("eve@exemple.fr", "Ève")
	_, err = f.acc.AcceptInvitation(f.ctx, eve, link)
	wantCode(t, "wrong account", err, directory.EFORBIDDEN)
	sacha := f.member("sacha@exemple.fr", "Sacha")
	got, err := f.acc.AcceptInvitation(f.ctx, sacha, link)
	if err != nil || got.ID != st.ID {
		t.Fatalf("accept: %+v %v", got, err)
	}
	if _, err := f.acc.AcceptInvitation(f.ctx, sacha, link); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("link used twice: %v", err)
	}
	tgt, _ := f.acc.StructureTarget(f.ctx, st.ID)
	if tgt.Structure.RoleOf(sacha.User.ID) != directory.RoleAdmin || len(tgt.Structure.Invitations) != 0 {
		t.Fatalf("after acceptance: %+v", tgt.Structure)
	}

	// Revoked invitations die.
	if err := f.acc.Invite(f.ctx, camille, st.ID, "lou@exemple.fr", directory.RoleMember); err != nil {
		t.Fatal(err)
	}
	revoked := f.link("lou@exemple.fr", "Invitation")
	wantCode(t, "outsider revokes", f.acc.RevokeInvitation(f.ctx, eve, st.ID, "lou@exemple.fr"), directory.EFORBIDDEN)
	if err := f.acc.RevokeInvitation(f.ctx, camille, st.ID, "lou@exemple.fr"); err != nil {
		t.Fatal(err)
	}
	lou := f.member("lou@exemple.fr", "Lou")
	_, err = f.acc.AcceptInvitation(f.ctx, lou, revoked)
	wantCode(t, "revoked invitation", err, directory.ENOTFOUND)
}

func TestModeration(t *testing.T) {
	f := newFixture(t, nil)
	root := f.platformAdmin("plateforme@exemple.fr")
	camille := f.member("camille@exemple.fr", "Camille")
	mod86 := f.member("gestion86@exemple.fr", "Gestion Vienne")
	mod33 := f.member("gestion33@exemple.fr", "Gestion Gironde")

	_, err := f.acc.AppointModerator(f.ctx, camille, "gestion86@exemple.fr", []string{"86"})
	wantCode(t, "a member appoints", err, directory.EFORBIDDEN)
	_, err = f.acc.AppointModerator(f.ctx, root, "gestion86@exemple.fr", []string{"86", "99"})
	wantField(t, "unknown département", err, "departements")
	_, err = f.acc.AppointModerator(f.ctx, root, "personne@exemple.fr", []string{"86"})
	wantField(t, "no such account", err, "email")
	for email, deps := range map[string][]string{"gestion86@exemple.fr": {"86"}, "gestion33@exemple.fr": {"33"}} {
		if _, err := f.acc.AppointModerator(f.ctx, root, email, deps); err != nil {
			t.Fatal(err)
		}
	}
	mod86, mod33 = f.refresh(mod86), f.refresh(mod33)
	if mods, err := f.acc.Moderators(f.ctx, root); err != nil || len(mods) != 2 {
		t.Fatalf("moderators %v %v", mods, err)
	}
	if !strings.Contains(f.mailsTo("gestion86@exemple.fr")[0].Text, "pour : 86") {
		t.Fatal("the moderator was not told")
	}

	st, err := f.acc.CreateStructure(f.ctx, camille, poitiersForm)
	if err != nil {
		t.Fatal(err)
	}
	queue := func(a *Actor) []string {
		t.Helper()
		items, err := f.acc.ModerationQueue(f.ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, it := range items {
			ids = append(ids, it.Structure.ID)
		}
		return ids
	}
	if q := queue(mod86); len(q) != 1 || q[0] != st.ID {
		t.Fatalf("queue of 86: %v", q)
	}
	if q := queue(mod33); len(q) != 0 {
		t.Fatalf("queue of 33: %v", q)
	}
	if q := queue(root); len(q) != 1 {
		t.Fatalf("platform queue: %v", q)
	}
	if _, err := f.acc.ModerationQueue(f.ctx, camille); directory.ErrorCode(err) != directory.EFORBIDDEN {
		t.Fatalf("a member's queue: %v", err)
	}

	refuse := ReviewForm{Decision: directory.ModerationRefused, Note: "Le SIRET ne correspond pas à une association de mobilité."}
	wantCode(t, "moderator out of scope", f.acc.ReviewStructure(f.ctx, mod33, st.ID, refuse), directory.EFORBIDDEN)
	wantField(t, "refusal without reason", f.acc.ReviewStructure(f.ctx, mod86, st.ID, ReviewForm{Decision: directory.ModerationRefused}), "note")
	wantField(t, "no decision", f.acc.ReviewStructure(f.ctx, mod86, st.ID, ReviewForm{Decision: "peut-etre"}), "decision")
	if err := f.acc.ReviewStructure(f.ctx, mod86, st.ID, refuse); err != nil {
		t.Fatal(err)
	}
	if m := f.moderation(st.ID); m != directory.ModerationRefused || m.Listed() {
		t.Fatalf("after refusal: %q", m)
	}
	if !slices.Contains(f.changed, st.ID) {
		t.Fatal("the index was not told about the refusal")
	}
	if mail := f.mailsTo("camille@exemple.fr")[0]; !strings.Contains(mail.Text, refuse.Note) {
		t.Fatalf("refusal mail: %s", mail.Text)
	}
	if q := queue(mod86); len(q) != 0 {
		t.Fatalf("queue after review: %v", q)
	}

	// The administrator corrects the structure: back in the queue.
	fixed := poitiersForm
	fixed.Description = "Location de scooters et accompagnement au permis pour les personnes en insertion."
	if _, err := f.acc.UpdateStructure(f.ctx, camille, st.ID, 1, fixed); err != nil {
		t.Fatal(err)
	}
	if q := queue(mod86); len(q) != 1 {
		t.Fatalf("queue after correction: %v", q)
	}
	if err := f.acc.ReviewStructure(f.ctx, mod86, st.ID, ReviewForm{Decision: directory.ModerationValidated}); err != nil {
		t.Fatal(err)
	}
	if m := f.moderation(st.ID); m != directory.ModerationValidated {
		t.Fatalf("after validation: %q", m)
	}

	// Moderators edit what is in their département.
	tgt, _ := f.acc.StructureTarget(f.ctx, st.ID)
	if Can(mod86, StructureEdit, tgt) != nil || Can(mod33, StructureEdit, tgt) == nil {
		t.Fatal("moderators' scope")
	}

	// A structure created by a moderator of its département needs no check;
	// an antenne of a verified structure neither.
	bordeaux := StructureForm{Name: "Mission locale de Bordeaux", SIRET: "78930215500039", Address: "1 cours du Médoc", CodeInsee: "33063"}
	own, err := f.acc.CreateStructure(f.ctx, mod33, bordeaux)
	if err != nil {
		t.Fatal(err)
	}
	if m := f.moderation(own.ID); m != directory.ModerationValidated {
		t.Fatalf("moderator's own structure: %q", m)
	}
	antenneForm := StructureForm{Name: "Antenne de Châtellerault", SIRET: "80295478400020", Address: "3 place Émile Zola", CodeInsee: "86066"}
	_, err = f.acc.CreateAntenne(f.ctx, mod33, st.ID, antenneForm)
	wantCode(t, "antenne by an outsider", err, directory.EFORBIDDEN)
	ant, err := f.acc.CreateAntenne(f.ctx, f.refresh(camille), st.ID, antenneForm)
	if err != nil {
		t.Fatalf("antenne sharing its parent's SIRET: %v", err)
	}
	if m := f.moderation(ant.ID); m != directory.ModerationValidated {
		t.Fatalf("antenne of a verified structure: %q", m)
	}
	parent, _ := f.store.StructureAccount(f.ctx, st.ID)
	if !slices.Contains(parent.Antennes, ant.ID) {
		t.Fatalf("parent's antennes %v", parent.Antennes)
	}
	_, err = f.acc.CreateAntenne(f.ctx, camille, ant.ID, antenneForm)
	wantCode(t, "antenne of an antenne", err, directory.EINVALID)
}

// Structures imported or generated have nobody: a join request goes to the
// territory's moderators, and the first member accepted runs the structure.
func TestOrphanStructure(t *testing.T) {
	f := newFixture(t, nil)
	root := f.platformAdmin("plateforme@exemple.fr")
	mod := f.member("gestion86@exemple.fr", "Gestion Vienne")
	if _, err := f.acc.AppointModerator(f.ctx, root, "gestion86@exemple.fr", []string{"86"}); err != nil {
		t.Fatal(err)
	}
	mod = f.refresh(mod)
	demo := &directory.Structure{ID: "demo1", Name: "CCAS de Châtellerault", CodeInsee: "86066", Source: "demo"}
	if err := f.store.CreateStructure(f.ctx, demo); err != nil {
		t.Fatal(err)
	}
	if m := f.moderation("demo1"); m != directory.ModerationValidated {
		t.Fatalf("demo structure: %q", m)
	}
	lou := f.member("lou@exemple.fr", "Lou")
	if err := f.acc.RequestToJoin(f.ctx, lou, "demo1", "Je travaille au CCAS."); err != nil {
		t.Fatal(err)
	}
	items, err := f.acc.ModerationQueue(f.ctx, mod)
	if err != nil || len(items) != 1 || items[0].Structure.ID != "demo1" || len(items[0].Account.JoinRequests) != 1 {
		t.Fatalf("queue %+v %v", items, err)
	}
	if err := f.acc.AcceptJoinRequest(f.ctx, mod, "demo1", lou.User.ID, directory.RoleMember); err != nil {
		t.Fatal(err)
	}
	tgt, _ := f.acc.StructureTarget(f.ctx, "demo1")
	if tgt.Structure.RoleOf(lou.User.ID) != directory.RoleAdmin {
		t.Fatalf("first member's role %q, want administrateur", tgt.Structure.RoleOf(lou.User.ID))
	}
	if items, _ := f.acc.ModerationQueue(f.ctx, mod); len(items) != 0 {
		t.Fatalf("queue after answer: %+v", items)
	}
}

// An update changes only the form's fields: not the id, version, SIRET,
// source, provenance, moderation state or members. (That a post carries
// nothing else is ui's: its structureCommand reads the fields by name.)
func TestStructureMassAssignment(t *testing.T) {
	f := newFixture(t, nil)
	camille := f.member("camille@exemple.fr", "Camille")
	st, err := f.acc.CreateStructure(f.ctx, camille, poitiersForm)
	if err != nil {
		t.Fatal(err)
	}
	posted := StructureForm{Name: "Association Mobilité Vienne et Deux-Sèvres", Address: "14 rue de la Gare",
		CodeInsee: "86194", SIRET: "78930215500039"}
	before, _ := f.store.StructureAccount(f.ctx, st.ID)
	got, err := f.acc.UpdateStructure(f.ctx, camille, st.ID, 1, posted)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := f.store.Structure(f.ctx, st.ID)
	if got.Version != 2 || stored.Version != 2 || stored.ID != st.ID || stored.SIRET != "80295478400020" ||
		stored.Source != "repere" || stored.Provenance.Kind != "saisie" ||
		stored.Name != "Association Mobilité Vienne et Deux-Sèvres" || stored.Address != "14 rue de la Gare" {
		t.Fatalf("after the form: %+v", stored)
	}
	after, _ := f.store.StructureAccount(f.ctx, st.ID)
	if after.Moderation != before.Moderation || len(after.Members) != 1 || after.RoleOf(camille.User.ID) != directory.RoleAdmin ||
		after.ParentID != "" || after.Departement != "86" {
		t.Fatalf("account after the form: %+v", after)
	}

	// A stale version is refused and changes nothing; so is a bad form.
	_, err = f.acc.UpdateStructure(f.ctx, camille, st.ID, 1, StructureFormOf(stored))
	wantCode(t, "stale version", err, directory.ECONFLICT)
	broken := StructureFormOf(stored)
	broken.Email = "pas une adresse"
	_, err = f.acc.UpdateStructure(f.ctx, camille, st.ID, 2, broken)
	wantField(t, "bad e-mail", err, "courriel")
	eve := f.member("eve@exemple.fr", "Ève")
	_, err = f.acc.UpdateStructure(f.ctx, eve, st.ID, 2, StructureFormOf(stored))
	wantCode(t, "outsider edits", err, directory.EFORBIDDEN)
	if again, _ := f.store.Structure(f.ctx, st.ID); again.Version != 2 || again.Email != stored.Email {
		t.Fatalf("refused writes changed the structure: %+v", again)
	}

	// Moving to another département moves the structure's queue entry.
	moved := StructureFormOf(stored)
	moved.CodeInsee, moved.PostalCode = "33063", "33000"
	if _, err := f.acc.UpdateStructure(f.ctx, camille, st.ID, 2, moved); err != nil {
		t.Fatal(err)
	}
	if ids, _ := f.store.List(f.ctx, moderationList("33")); !slices.Contains(ids, st.ID) {
		t.Fatalf("queue of 33: %v", ids)
	}
	if ids, _ := f.store.List(f.ctx, moderationList("86")); slices.Contains(ids, st.ID) {
		t.Fatalf("queue of 86 still holds the structure: %v", ids)
	}
}
