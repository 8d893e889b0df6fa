package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
	"github.com/repere-spie/repere/internal/ui"
)

// TestCSRF sends every mutating route of the table as a role allowed to use
// it, without a token and then with another session's token: 403 each time,
// and nothing changes.
func TestCSRF(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	stranger := c.roles[rLambda].csrf()
	for _, r := range ui.Routes() {
		if r.Method == http.MethodGet || r.Signed { // signed links carry their own proof (TestRouteTable)
			continue
		}
		key := routeKey(r)
		who, req := c.roles[rAnon], request{path: at(r.Path)}
		if !r.Open {
			req = requests[key]
			row := allowed[r.Action]
			for i := len(row) - 1; i > 0; i-- {
				if row[i] == 'X' {
					who = c.roles[i]
					break
				}
			}
		}
		if req.path == nil {
			t.Errorf("%s: no request in the matrix", key)
			continue
		}
		x := c.setup(t, e)
		if req.prepare != nil && who != c.roles[rAnon] {
			req.prepare(t, e, c, x, who)
		}
		form := url.Values{}
		if req.form != nil {
			form = req.form(x, who)
		}
		who.csrf() // an anonymous visitor gets its cookie, as a browser showing the form would
		for _, token := range []string{"", stranger, "pas-un-jeton"} {
			before := e.state(t, c, x)
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if token != "" {
				f.Set("csrf", token)
			}
			p := who.do(http.MethodPost, req.path(x), f)
			if p.status != http.StatusForbidden {
				t.Errorf("%s with token %q: %d, want 403", key, token, p.status)
			}
			if after := e.state(t, c, x); after != before {
				t.Errorf("%s with token %q: the data changed", key, token)
			}
		}
	}
	// The open forms change nothing either: no account, no session.
	anon := e.visitor(t)
	anon.csrf()
	email := "sans-jeton" + uniq() + "@exemple.fr"
	anon.do(http.MethodPost, "/inscription", url.Values{"nom": {"Sans Jeton"}, "email": {email}, "mot_de_passe": {testPassword}})
	if _, err := e.store.UserByKey(context.Background(), store.EmailKey(email)); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Errorf("a sign-up without token created an account: %v", err)
	}
	m := c.roles[rMember]
	anon.do(http.MethodPost, account.LoginPath, url.Values{"email": {m.email}, "mot_de_passe": {m.pass}})
	if anon.cookies[account.SessionCookieName] != "" {
		t.Error("a login without token opened a session")
	}
}

// TestMassAssignment posts the fields a form never shows (status, version,
// structure, role, rights…), in several letter cases: they change nothing.
func TestMassAssignment(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	ctx := context.Background()
	x := c.setup(t, e)
	admin := c.roles[rAdmin]
	other := e.createStructure(t, c.roles[rOtherAdmin], "Structure visée "+uniq())
	extra := url.Values{}
	for _, k := range []string{"statut", "Statut", "STATUT", "status", "Status"} {
		extra.Set(k, "publie")
	}
	for _, k := range []string{"version", "Version", "VERSION"} {
		extra.Set(k, "999")
	}
	for _, k := range []string{"structure_id", "Structure_ID", "STRUCTURE_ID", "StructureID", "structure"} {
		extra.Set(k, other.ID)
	}
	for _, k := range []string{"role", "Role", "ROLE"} {
		extra.Set(k, "administrateur")
	}
	for k, v := range map[string]string{"_id": "pirate", "id": "pirate", "ID": "pirate", "source": "pirate", "Source": "pirate",
		"provenance": "import", "publie_le": "2020-01-01", "cree_le": "2020-01-01", "maj_le": "2020-01-01", "suspendu_jusqu_au": "2099-01-01",
		"moderation": "validee", "Moderation": "validee", "platform_admin": "true", "PlatformAdmin": "true", "platformadmin": "true",
		"moderator_of": "86", "ModeratorOf": "86", "members": "x", "siret": newSIRET(), "SIRET": newSIRET(), "email_verified_at": "2020-01-01",
		"departement": "37", "parent_id": other.ID} {
		extra.Set(k, v)
	}
	with := func(f url.Values) url.Values {
		out := url.Values{}
		for k, v := range extra {
			out[k] = v
		}
		for k, v := range f {
			out[k] = v
		}
		return out
	}

	// A service saved as a draft stays a draft of its structure.
	f := serviceForm(x.svc)
	f.Set("nom", "Nom modifié")
	if p := admin.post("/espace/services/"+x.svc.ID, with(f)); p.status != http.StatusSeeOther {
		t.Fatalf("service update: %d", p.status)
	}
	svc, err := e.store.Service(ctx, x.svc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if svc.Name != "Nom modifié" || svc.Status != directory.StatusDraft || svc.StructureID != x.S.ID || svc.Version != x.svc.Version+1 ||
		svc.Source != "repere" || svc.ID != x.svc.ID || svc.SuspendedUntil != nil || svc.PublishedAt != nil {
		t.Errorf("service after a mass assignment: %+v", svc)
	}

	// A new service is a draft of the structure of the path.
	p := admin.post("/espace/structures/"+x.S.ID+"/services", with(url.Values{"nom": {"Service créé"}}))
	if p.status != http.StatusSeeOther {
		t.Fatalf("service create: %d", p.status)
	}
	created, err := e.store.Service(ctx, strings.TrimPrefix(strings.Split(p.location, "?")[0], "/espace/services/"))
	if err != nil {
		t.Fatal(err)
	}
	if created.Status != directory.StatusDraft || created.StructureID != x.S.ID || created.Version != 1 || created.ID == "pirate" || created.Source != "repere" {
		t.Errorf("service created with a mass assignment: %+v", created)
	}

	// The structure keeps its SIRET, its moderation and its members.
	sf := structureForm(x.S.Name + " bis")
	sf.Del("siret")
	sf.Set("version_lue", itoa(x.S.Version))
	if p := admin.post("/espace/structures/"+x.S.ID+"/modifier", with(sf)); p.status != http.StatusSeeOther {
		t.Fatalf("structure update: %d %s", p.status, p.body)
	}
	st, _ := e.store.Structure(ctx, x.S.ID)
	sa, _ := e.store.StructureAccount(ctx, x.S.ID)
	if st.SIRET != x.S.SIRET || sa.Moderation != directory.ModerationPending || sa.Departement != "86" || sa.ParentID != "" ||
		sa.RoleOf(c.roles[rMember].id) != directory.RoleMember || len(sa.Members) != 3 {
		t.Errorf("structure after a mass assignment: %+v %+v", st, sa)
	}

	// The profile changes its name only.
	m := c.roles[rMember]
	before, _ := e.store.User(ctx, m.id)
	if p := m.post("/compte", with(url.Values{"nom": {before.Name}})); p.status != http.StatusSeeOther {
		t.Fatalf("profile: %d", p.status)
	}
	after, _ := e.store.User(ctx, m.id)
	if after.PlatformAdmin || len(after.ModeratorOf) != 0 || after.Email != before.Email || after.ID != before.ID {
		t.Errorf("user after a mass assignment: %+v", after)
	}

	// A join request gives no role; the invitation's role is the one given.
	if p := c.requester.post("/espace/structures/"+x.J.ID+"/rejoindre", with(url.Values{"message": {"Bonjour"}})); p.status != http.StatusSeeOther {
		t.Fatalf("join: %d", p.status)
	}
	ja, _ := e.store.StructureAccount(ctx, x.J.ID)
	if ja.RoleOf(c.requester.id) != "" || ja.JoinRequest(c.requester.id) == nil {
		t.Errorf("join request with a role: %+v", ja)
	}

	// A sign-up gets no rights and an unconfirmed address.
	anon := e.visitor(t)
	email := "inscrit" + uniq() + "@exemple.fr"
	anon.post("/inscription", with(url.Values{"nom": {"Nouvelle Personne"}, "email": {email}, "mot_de_passe": {testPassword}}))
	u, err := e.store.UserByKey(ctx, store.EmailKey(email))
	if err != nil {
		t.Fatal(err)
	}
	if u.PlatformAdmin || u.Verified() || len(u.ModeratorOf) > 0 || len(u.Structures) > 0 {
		t.Errorf("signed-up user after a mass assignment: %+v", u)
	}
}

// TestCrossStructure: an administrator of another structure reaches none
// of this one's pages or forms, and changes nothing.
func TestCrossStructure(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	x := c.setup(t, e)
	outsider := c.roles[rOtherAdmin]
	for _, path := range []string{"/espace/structures/" + x.S.ID, "/espace/structures/" + x.S.ID + "/membres",
		"/espace/structures/" + x.S.ID + "/modifier", "/espace/services/" + x.svc.ID, "/espace/services/" + x.svc.ID + "/historique",
		"/espace/structures/" + x.S.ID + "/services/nouveau", "/espace/moderation/" + x.S.ID, "/espace/administration/gestionnaires"} {
		if p := outsider.get(path); p.status != http.StatusForbidden {
			t.Errorf("GET %s by another structure's administrator: %d, want 403", path, p.status)
		}
	}
	own := e.createService(t, completeService(e.createStructure(t, outsider, "Mienne "+uniq()).ID, "Le mien"))
	before := e.state(t, c, x)
	f := serviceForm(x.svc)
	f.Set("nom", "Piraté")
	if p := outsider.post("/espace/services/"+x.svc.ID, f); p.status != http.StatusForbidden {
		t.Errorf("edit by another structure's administrator: %d", p.status)
	}
	// A bulk action with one foreign service among own ones is refused whole.
	if p := outsider.post("/espace/services/a-jour", url.Values{"services": {own.ID, x.svc.ID}}); p.status != http.StatusForbidden {
		t.Errorf("bulk with a foreign service: %d", p.status)
	}
	if got, _ := e.store.Service(context.Background(), own.ID); got.Version != own.Version {
		t.Error("the bulk action wrote before being refused")
	}
	if after := e.state(t, c, x); after != before {
		t.Error("refused requests changed the data")
	}
}
