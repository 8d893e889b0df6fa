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
)

func TestStructureCreationAndJoin(t *testing.T) {
	e := partner(t)
	founder := e.member(t, "Fondatrice")
	f := structureForm("Garage solidaire " + uniq())
	f.Del("code_insee")      // typed, without the suggestions
	f.Set("siret", "12 345") // wrong
	p := founder.post("/espace/structures", f)
	if p.status != http.StatusUnprocessableEntity || p.doc.Find("#champ-siret-erreur").Length() != 1 {
		t.Fatalf("bad SIRET: %d", p.status)
	}
	siret := newSIRET()
	f.Set("siret", siret[:3]+" "+siret[3:6]+" "+siret[6:9]+" "+siret[9:])
	if p = founder.post("/espace/structures", f); p.status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", p.status, p.doc.Find("#erreurs").Text())
	}
	id := strings.TrimPrefix(strings.Split(p.location, "?")[0], "/espace/structures/")
	st, err := e.store.Structure(context.Background(), id)
	if err != nil || st.SIRET != siret || st.CodeInsee != poitiers {
		t.Fatalf("structure: %+v %v", st, err)
	}

	// The same SIRET again leads to the join request.
	other := e.member(t, "Collègue")
	f.Set("nom", "Autre nom")
	p = other.post("/espace/structures", f)
	if p.status != http.StatusConflict || p.doc.Find(`a[href="/espace/structures/rejoindre?siret=`+siret+`"]`).Length() != 1 {
		t.Fatalf("SIRET taken: %d", p.status)
	}
	if p = other.post("/espace/structures/"+id+"/rejoindre", url.Values{"message": {"Je suis la comptable."}}); p.status != http.StatusSeeOther {
		t.Fatalf("join: %d", p.status)
	}
	if d := other.get("/espace"); d.doc.Find(`form[action="/espace/structures/`+id+`/demande/annuler"]`).Length() != 1 {
		t.Error("the pending request is not on the dashboard")
	}
	m := founder.get("/espace/structures/" + id + "/membres")
	if !strings.Contains(m.doc.Find(".request").Text(), "Je suis la comptable.") {
		t.Fatal("the request is not on the members page")
	}
	if p = founder.post("/espace/structures/"+id+"/demandes/"+other.id+"/accepter", url.Values{"role": {"membre"}}); p.status != http.StatusSeeOther {
		t.Fatalf("accept: %d", p.status)
	}
	// The last administrator may not step down.
	if p = founder.post("/espace/structures/"+id+"/membres/"+founder.id+"/role", url.Values{"role": {"membre"}}); p.status != http.StatusUnprocessableEntity ||
		!strings.Contains(p.doc.Find(".fr-alert--error").Text(), "administrateur") {
		t.Errorf("last administrator steps down: %d", p.status)
	}

	// An invitation, accepted by its addressee once signed in.
	guest := e.member(t, "Invitée")
	if p = founder.post("/espace/structures/"+id+"/invitations", url.Values{"email": {guest.email}, "role": {"administrateur"}}); p.status != http.StatusSeeOther {
		t.Fatalf("invite: %d", p.status)
	}
	link := "/invitations/accepter?jeton=" + e.token(t, guest.email, "Invitation")
	if p = e.visitor(t).get(link); p.status != http.StatusOK || p.doc.Find(`a[href^="/connexion?retour="]`).Length() != 1 {
		t.Errorf("invitation page, anonymously: %d", p.status)
	}
	if p = other.get(link); !strings.Contains(p.doc.Find(".fr-alert--warning").Text(), other.email) {
		t.Error("invitation page, signed in as someone else: no warning")
	}
	if p = guest.get(link); p.doc.Find(`form[action="/invitations/accepter"]`).Length() != 1 {
		t.Fatal("invitation page: no button")
	}
	if p = guest.post(account.InvitationPath, url.Values{"jeton": {strings.TrimPrefix(link, "/invitations/accepter?jeton=")}}); p.status != http.StatusSeeOther {
		t.Fatalf("accept invitation: %d", p.status)
	}
	sa, _ := e.store.StructureAccount(context.Background(), id)
	if sa.RoleOf(guest.id) != directory.RoleAdmin || sa.RoleOf(other.id) != directory.RoleMember {
		t.Errorf("members: %+v", sa.Members)
	}
	h := founder.get("/espace/structures/" + id)
	for _, want := range []string{"Accepter une invitation", "Accepter une demande", "Inviter un membre", "Créer une structure"} {
		if !strings.Contains(h.doc.Find(".history").Text(), want) {
			t.Errorf("structure history lacks %q", want)
		}
	}

	// An antenne, run by the structure's administrators.
	af := structureForm("Antenne de Châtellerault")
	af.Del("siret")
	af.Set("commune", "Châtellerault")
	af.Set("code_postal", "86100")
	af.Del("code_insee")
	if p = guest.post("/espace/structures/"+id+"/antennes", af); p.status != http.StatusSeeOther {
		t.Fatalf("antenne: %d %s", p.status, p.doc.Find("#erreurs").Text())
	}
	if a := founder.get(strings.Split(p.location, "?")[0]); a.status != http.StatusOK || !strings.Contains(a.body, "Antenne de") {
		t.Errorf("antenne page: %d", a.status)
	}
}

func TestStructureEditConflict(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	x := c.setup(t, e)
	a, b := c.roles[rAdmin], c.coadmin
	form := func(name string) url.Values {
		f := structureForm(name)
		f.Del("siret")
		f.Set("version_lue", itoa(x.S.Version))
		return f
	}
	if p := b.post("/espace/structures/"+x.S.ID+"/modifier", form("Nom de B")); p.status != http.StatusSeeOther {
		t.Fatalf("B: %d", p.status)
	}
	p := a.post("/espace/structures/"+x.S.ID+"/modifier", form("Nom de A"))
	if p.status != http.StatusConflict {
		t.Fatalf("A's stale save: %d", p.status)
	}
	if p.doc.Find(`input[name="nom"]`).AttrOr("value", "") != "Nom de A" || p.doc.Find(".conflict[data-raw='Nom de B']").Length() != 1 {
		t.Error("the conflict does not show both names")
	}
	if st, _ := e.store.Structure(context.Background(), x.S.ID); st.Name != "Nom de B" {
		t.Errorf("a stale save wrote: %q", st.Name)
	}
	if got := p.doc.Find(`input[name="version_lue"]`).AttrOr("value", ""); got != itoa(x.S.Version+1) {
		t.Errorf("merge form version: %q", got)
	}
}

func TestModeration(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	x := c.setup(t, e)
	mod := c.roles[rModerator]
	svc := completeService(x.S.ID, "Service d’une structure à vérifier "+uniq())
	svc.Status = directory.StatusPublished
	e.createService(t, svc)
	if !e.searchFinds(t, svc.Name, svc.ID) {
		t.Fatal("a pending structure's published service is not listed")
	}
	public := "/services/" + svc.ID
	if p := c.roles[rAnon].get(public); p.status == http.StatusMovedPermanently {
		public = p.location
	}
	if p := c.roles[rAnon].get(public); p.status != http.StatusOK || p.doc.Find("#structure-en-verification").Length() != 1 {
		t.Errorf("the public page of a pending structure's service: %d, without the verification notice", p.status)
	}
	structurePage := "/structures/" + x.S.ID
	if p := c.roles[rAnon].get(structurePage); p.status == http.StatusMovedPermanently {
		structurePage = p.location
	}
	if p := c.roles[rAnon].get(structurePage); p.status != http.StatusOK || p.doc.Find("#structure-en-verification").Length() != 1 {
		t.Errorf("the public page of a pending structure: %d, without the verification notice", p.status)
	}
	q := mod.get("/espace/moderation")
	if q.doc.Find(`a[href="/espace/moderation/`+x.S.ID+`"]`).Length() != 1 {
		t.Fatal("the structure is not in the moderator's queue")
	}
	if p := mod.post("/espace/moderation/"+x.S.ID, url.Values{"decision": {"refusee"}}); p.status != http.StatusUnprocessableEntity ||
		p.doc.Find("#champ-note-erreur").Length() != 1 {
		t.Errorf("refusal without a note: %d", p.status)
	}
	if p := mod.post("/espace/moderation/"+x.S.ID, url.Values{"decision": {"refusee"}, "note": {"Le SIRET est celui d’une autre association."}}); p.status != http.StatusSeeOther {
		t.Fatalf("refusal: %d", p.status)
	}
	if e.searchFinds(t, svc.Name, svc.ID) {
		t.Error("a refused structure's service is still listed")
	}
	if p := c.roles[rAnon].get(public); p.status != http.StatusNotFound {
		t.Errorf("the public page of a refused structure's service: %d, want 404", p.status)
	}
	if p := c.roles[rAnon].get(structurePage); p.status != http.StatusNotFound {
		t.Errorf("the public page of a refused structure: %d, want 404", p.status)
	}
	page := c.roles[rAdmin].get("/espace/structures/" + x.S.ID)
	if !strings.Contains(page.doc.Find(".fr-alert--error").Text(), "Le SIRET est celui d’une autre association.") {
		t.Error("the refusal's note is not shown to the administrators")
	}
	h, _ := e.store.History(context.Background(), store.StructureHistoryKey(x.S.ID))
	if len(h) == 0 || h[len(h)-1].UserID != mod.id || h[len(h)-1].Action != account.ModerationReview.Label() {
		t.Errorf("history of the decision: %+v", h)
	}
	if p := mod.get("/espace/moderation"); p.doc.Find(`a[href="/espace/moderation/`+x.S.ID+`"]`).Length() != 0 {
		t.Error("a decided structure stays in the queue")
	}
}
