package ui_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// searchFinds reports whether the public search for text finds the service.
func (e *partnerEnv) searchFinds(t *testing.T, text, id string) bool {
	t.Helper()
	res, err := e.index.Search(context.Background(), directory.SearchQuery{Text: text, Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.ID == id {
			return true
		}
	}
	return false
}

func TestEditorKeepsWhatWasTyped(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	x := c.setup(t, e)
	admin := c.roles[rAdmin]
	f := serviceForm(x.svc)
	f.Set("nom", "AB")
	f.Set("telephone", "12")
	f.Set("courriel", "pas-une-adresse")
	f.Set("lien_mobilisation", "www.exemple.fr")
	f.Set("horaires_accueil", "Mo-Fr 9h-12h")
	f.Set("nombre_semaines", "douze")
	f.Set("description", "Une description\navec deux lignes <b>et du HTML</b>")
	f["publics"] = []string{"tous-publics", "jeunes"}
	f.Set("conditions_acces", "Habiter la Vienne")
	p := admin.post("/espace/services/"+x.svc.ID, f)
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form: %d", p.status)
	}
	for _, field := range []string{"nom", "telephone", "courriel", "lien-mobilisation", "horaires-accueil", "nombre-semaines", "publics"} {
		msg := strings.TrimSpace(p.doc.Find("#champ-" + field + "-erreur").Text())
		if msg == "" {
			t.Errorf("no message for %s", field)
		} else if !strings.ContainsAny(msg, "éèàùç’") && !strings.Contains(msg, " doit ") && !strings.Contains(msg, "Indiquez") {
			t.Errorf("message for %s does not read as French: %q", field, msg)
		}
	}
	if n := p.doc.Find("#erreurs li").Length(); n < 7 {
		t.Errorf("error summary lists %d fields, want 7", n)
	}
	for name, want := range map[string]string{"nom": "AB", "telephone": "12", "courriel": "pas-une-adresse", "horaires_autres": "Mo-Fr 9h-12h", "nombre_semaines": "douze"} {
		if got := p.doc.Find(`input[name="`+name+`"]`).AttrOr("value", ""); got != want {
			t.Errorf("%s shown again as %q, want %q", name, got, want)
		}
	}
	if got := p.doc.Find(`textarea[name="description"]`).Text(); !strings.Contains(got, "avec deux lignes <b>et du HTML</b>") {
		t.Errorf("description shown again as %q", got)
	}
	if got := strings.TrimSpace(p.doc.Find(`textarea[name="conditions_acces"]`).Text()); got != "Habiter la Vienne" {
		t.Errorf("conditions shown again as %q", got)
	}
	if p.doc.Find(`input[name="publics"][value="jeunes"][checked]`).Length() != 1 {
		t.Error("a ticked box is not ticked again")
	}
	if got := p.doc.Find(`input[name="version_lue"]`).AttrOr("value", ""); got != itoa(x.svc.Version) {
		t.Errorf("version shown again: %q", got)
	}
	if svc, _ := e.store.Service(context.Background(), x.svc.ID); svc.Version != x.svc.Version || svc.Name != x.svc.Name {
		t.Error("an invalid form was saved")
	}
}

func TestPublishArchiveAndSearch(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	x := c.setup(t, e)
	member := c.roles[rMember]
	ctx := context.Background()

	// An incomplete draft is not published: the list says what is missing.
	f := serviceForm(x.svc)
	f.Del("zone_eligibilite")
	f.Del("telephone")
	f.Del("adresse")
	f.Del("code_insee")
	f.Del("commune")
	f.Del("code_postal")
	p := member.post("/espace/services/"+x.svc.ID+"/publier", f)
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("publishing an incomplete service: %d", p.status)
	}
	missing := p.doc.Find("#a-completer li")
	if missing.Length() < 2 || !strings.Contains(missing.Text(), "zone") {
		t.Errorf("missing for publication: %q", missing.Text())
	}
	if svc, _ := e.store.Service(ctx, x.svc.ID); svc.Status != directory.StatusDraft {
		t.Fatal("an incomplete service was published")
	}

	// Complete, it is published and found at once.
	name := "Vélo-école solidaire " + uniq()
	f = serviceForm(x.svc)
	f.Set("nom", name)
	start := time.Now()
	if p = member.post("/espace/services/"+x.svc.ID+"/publier", f); p.status != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", p.status, p.body)
	}
	if !e.searchFinds(t, name, x.svc.ID) {
		t.Fatal("a published service is not found in the search")
	}
	t.Logf("published to searchable: %v", time.Since(start))
	page := member.get(p.location)
	if !strings.Contains(page.doc.Find(".fr-alert--success").Text(), "publié") || page.doc.Find(`[data-status]`).Text() != "Publié" {
		t.Errorf("after publishing: %q / %q", page.doc.Find(".fr-alert--success").Text(), page.doc.Find(`[data-status]`).Text())
	}
	pub := e.visitor(t).get(page.doc.Find(`a:contains("Voir la fiche publique")`).AttrOr("href", "/nowhere"))
	if pub.status != http.StatusOK {
		t.Errorf("public page of the published service: %d", pub.status)
	}

	// Suspended, it leaves the search until the date; resumed, it is back.
	until := time.Now().In(directory.Paris).AddDate(0, 0, 10).Format(time.DateOnly)
	if p = member.post("/espace/services/"+x.svc.ID+"/suspendre", url.Values{"jusqu_au": {until}}); p.status != http.StatusSeeOther {
		t.Fatalf("suspend: %d", p.status)
	}
	if e.searchFinds(t, name, x.svc.ID) {
		t.Error("a suspended service is found")
	}
	if p = member.post("/espace/services/"+x.svc.ID+"/suspendre", url.Values{"jusqu_au": {"2001-01-01"}}); p.status != http.StatusUnprocessableEntity {
		t.Errorf("suspension in the past: %d", p.status)
	}
	if p = member.post("/espace/services/"+x.svc.ID+"/suspendre", url.Values{"reprendre": {"1"}}); p.status != http.StatusSeeOther || !e.searchFinds(t, name, x.svc.ID) {
		t.Errorf("resume: %d", p.status)
	}

	// Duplicated: a draft copy, not in the search.
	if p = member.post("/espace/services/"+x.svc.ID+"/dupliquer", nil); p.status != http.StatusSeeOther {
		t.Fatalf("duplicate: %d", p.status)
	}
	copyID := strings.TrimPrefix(strings.Split(p.location, "?")[0], "/espace/services/")
	dup, err := e.store.Service(ctx, copyID)
	if err != nil || dup.Status != directory.StatusDraft || dup.Name != name+" (copie)" || dup.StructureID != x.S.ID || dup.ID == x.svc.ID {
		t.Fatalf("copy: %+v %v", dup, err)
	}

	// Archived, it leaves the search.
	if p = member.post("/espace/services/"+x.svc.ID+"/archiver", nil); p.status != http.StatusSeeOther {
		t.Fatalf("archive: %d", p.status)
	}
	if e.searchFinds(t, name, x.svc.ID) {
		t.Error("an archived service is still found")
	}

	// The history says who did what.
	h := member.get("/espace/services/" + x.svc.ID + "/historique")
	text := h.doc.Find(".history").Text()
	for _, want := range []string{"Archiver un service", "Suspendre un service", "Publier un service", member.actor().User.Name, "Brouillon", "Publié", "Archivé"} {
		if !strings.Contains(text, want) {
			t.Errorf("history lacks %q", want)
		}
	}
}

func TestConflictIsMerged(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	x := c.setup(t, e)
	ctx := context.Background()
	a, b := c.roles[rAdmin], c.roles[rMember]
	// Both open the editor at the same version; the history holds it.
	if p := a.post("/espace/services/"+x.svc.ID, serviceForm(x.svc)); p.status != http.StatusSeeOther {
		t.Fatalf("first save: %d", p.status)
	}
	svc, _ := e.store.Service(ctx, x.svc.ID)
	formA, formB := serviceForm(svc), serviceForm(svc)

	// B changes the name and the description, and saves first.
	formB.Set("nom", "Nom choisi par B")
	formB.Set("description", "Description écrite par B.")
	if p := b.post("/espace/services/"+svc.ID, formB); p.status != http.StatusSeeOther {
		t.Fatalf("B's save: %d", p.status)
	}
	saved, _ := e.store.Service(ctx, svc.ID)

	// A changes the description and the phone: a conflict on the
	// description, the name taken from B, A's phone kept; nothing saved.
	formA.Set("description", "Description écrite par A.")
	formA.Set("telephone", "05 49 99 99 99")
	p := a.post("/espace/services/"+svc.ID, formA)
	if p.status != http.StatusConflict {
		t.Fatalf("A's stale save: %d, want 409", p.status)
	}
	if now, _ := e.store.Service(ctx, svc.ID); now.Version != saved.Version {
		t.Fatal("a stale save wrote")
	}
	rows := p.doc.Find(".conflict-summary tbody tr")
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "Description écrite par A.") || !strings.Contains(rows.Text(), "Description écrite par B.") {
		t.Errorf("conflicts shown: %q", rows.Text())
	}
	if !strings.Contains(p.doc.Find(".conflict-summary").Text(), b.actor().User.Name) {
		t.Error("the conflict does not say who saved the other version")
	}
	if got := p.doc.Find(`input[name="nom"]`).AttrOr("value", ""); got != "Nom choisi par B" {
		t.Errorf("name changed by B only: form shows %q", got)
	}
	if got := p.doc.Find(`input[name="telephone"]`).AttrOr("value", ""); got != "05 49 99 99 99" {
		t.Errorf("phone changed by A only: form shows %q", got)
	}
	if got := strings.TrimSpace(p.doc.Find(`textarea[name="description"]`).Text()); got != "Description écrite par A." {
		t.Errorf("description in conflict: form shows A's? %q", got)
	}
	if got := p.doc.Find(`#champ-description ~ .conflict, .conflict[data-raw]`).First().AttrOr("data-raw", ""); got != "Description écrite par B." {
		t.Errorf("the other version beside the field: %q", got)
	}
	// A merges (takes B's description, keeps the phone) and saves.
	merged := url.Values{}
	p.doc.Find(`form[data-editor] input, form[data-editor] textarea, form[data-editor] select`).Each(func(_ int, s *goquery.Selection) {
		name, ok := s.Attr("name")
		if !ok || name == "action" {
			return
		}
		switch {
		case s.Is("textarea"):
			merged.Add(name, strings.TrimPrefix(s.Text(), "\n"))
		case s.Is("select"):
			merged.Add(name, s.Find("option[selected]").AttrOr("value", ""))
		case s.AttrOr("type", "") == "checkbox" || s.AttrOr("type", "") == "radio":
			if _, on := s.Attr("checked"); on {
				merged.Add(name, s.AttrOr("value", ""))
			}
		case s.AttrOr("type", "") == "submit":
		default:
			merged.Add(name, s.AttrOr("value", ""))
		}
	})
	merged.Set("description", "Description écrite par B.")
	merged.Del("csrf")
	if p = a.post("/espace/services/"+svc.ID, merged); p.status != http.StatusSeeOther {
		t.Fatalf("merged save: %d", p.status)
	}
	final, _ := e.store.Service(ctx, svc.ID)
	if final.Name != "Nom choisi par B" || final.Description != "Description écrite par B." || final.Phone != "+33549999999" || final.Version != saved.Version+1 {
		t.Errorf("merged service: %q %q %q v%d", final.Name, final.Description, final.Phone, final.Version)
	}
	h, _ := e.store.History(ctx, store.ServiceHistoryKey(svc.ID))
	if last := h[len(h)-1]; last.UserID != a.id || last.Version != final.Version {
		t.Errorf("history of the merge: %+v", last)
	}
}

func TestEditorHelpers(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	v := c.roles[rAdmin]
	// Zones are suggested from France to communes.
	var zones []struct{ Cle, Libelle, Type string }
	p := v.do(http.MethodGet, "/api/v1/territoires?q=vienne", nil)
	if err := json.Unmarshal([]byte(p.body), &zones); err != nil || len(zones) == 0 {
		t.Fatalf("territories: %d %s", p.status, p.body)
	}
	found := map[string]bool{}
	for _, z := range zones {
		found[z.Cle] = true
	}
	if !found["departement:86"] || !found["departement:87"] {
		t.Errorf("vienne → %v", zones)
	}
	if p = v.do(http.MethodGet, "/api/v1/territoires?q=france", nil); !strings.Contains(p.body, `"france"`) {
		t.Errorf("france → %s", p.body)
	}
	// Opening hours are read back in French.
	var hours struct {
		Valide bool
		Erreur string
		Jours  []struct{ Jour, Horaires string }
	}
	p = v.do(http.MethodGet, "/api/v1/horaires?horaires="+url.QueryEscape("Mo-Fr 09:00-12:00,14:00-17:00"), nil)
	if err := json.Unmarshal([]byte(p.body), &hours); err != nil || !hours.Valide || len(hours.Jours) != 7 || hours.Jours[0].Horaires != "9 h – 12 h, 14 h – 17 h" {
		t.Errorf("hours: %s", p.body)
	}
	p = v.do(http.MethodGet, "/api/v1/horaires?horaires="+url.QueryEscape("lundi matin"), nil)
	if err := json.Unmarshal([]byte(p.body), &hours); err != nil || hours.Valide || hours.Erreur == "" {
		t.Errorf("bad hours: %s", p.body)
	}
	// The description preview is sanitised like the service page.
	p = v.post("/espace/apercu", url.Values{"description": {hostileDescription}})
	var preview struct{ HTML string }
	if err := json.Unmarshal([]byte(p.body), &preview); err != nil || !strings.Contains(preview.HTML, "<strong>collectif</strong>") ||
		strings.Contains(preview.HTML, "<script") || strings.Contains(preview.HTML, "onerror") || strings.Contains(preview.HTML, "javascript:") {
		t.Errorf("preview: %d %s", p.status, p.body)
	}
}

// TestZoneAndPlaceWithoutScripts: the zone typed and the commune typed are
// resolved by the server.
func TestZoneAndPlaceWithoutScripts(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	x := c.setup(t, e)
	admin := c.roles[rAdmin]
	f := serviceForm(x.svc)
	f.Set("zone_ajout", "Indre-et-Loire")
	f.Set("action", "ajouter_zone")
	p := admin.post("/espace/services/"+x.svc.ID, f)
	if p.status != http.StatusOK || p.doc.Find(`input[name="zone_eligibilite"][value="departement:37"][checked]`).Length() != 1 {
		t.Fatalf("zone added without scripts: %d", p.status)
	}
	f.Set("action", "apercu")
	f.Set("description", "Un **aperçu** <script>alert(1)</script>")
	p = admin.post("/espace/services/"+x.svc.ID, f)
	if p.status != http.StatusOK || p.doc.Find("[data-preview-body] strong").Text() != "aperçu" || p.doc.Find("[data-preview-body] script").Length() != 0 {
		t.Errorf("preview without scripts: %d %q", p.status, p.doc.Find("[data-preview-body]").Text())
	}
	if svc, _ := e.store.Service(context.Background(), x.svc.ID); svc.Version != x.svc.Version {
		t.Error("a preview saved the service")
	}
	f.Set("description", x.svc.Description)
	f.Del("action")
	f.Set("commune", "Châtellerault")
	f.Del("code_insee")
	f.Del("code_postal")
	if p = admin.post("/espace/services/"+x.svc.ID, f); p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", p.status, p.doc.Find("#erreurs").Text())
	}
	svc, _ := e.store.Service(context.Background(), x.svc.ID)
	cht, _ := e.gaz.Commune(chatellerault)
	if svc.CodeInsee != chatellerault || svc.PostalCode != "86100" || svc.Latitude == nil || *svc.Latitude != cht.Center.Y() || len(svc.EligibilityZone) != 2 {
		t.Errorf("place and zones: %s %s %v %v", svc.CodeInsee, svc.PostalCode, svc.Latitude, svc.EligibilityZone)
	}
	f.Set("commune", "Saint-Martin")
	f.Del("code_insee")
	f.Set("version_lue", itoa(svc.Version))
	if p = admin.post("/espace/services/"+x.svc.ID, f); p.status != http.StatusUnprocessableEntity || p.doc.Find("#champ-commune-erreur").Length() != 1 {
		t.Errorf("ambiguous commune: %d", p.status)
	}
}

// TestPartnerPages renders every page of the partner space for the people
// who may see it.
func TestPartnerPages(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	x := c.setup(t, e)
	if err := e.store.UpdateService(context.Background(), staleCopy(x.svc)); err != nil {
		t.Fatal(err)
	}
	admin, platform, mod := c.roles[rAdmin], c.roles[rPlatform], c.roles[rModerator]
	for _, tc := range []struct {
		who  *visitor
		path string
		want string // a CSS selector the page must have
	}{
		{admin, "/espace", `form[action="/espace/services/a-jour"] input[value="` + x.svc.ID + `"]`},
		{admin, "/espace/structures/" + x.S.ID, `a[href="/espace/structures/` + x.S.ID + `/membres"]`},
		{admin, "/espace/structures/" + x.S.ID + "/membres", `form[action$="/demandes/` + c.requester.id + `/accepter"]`},
		{admin, "/espace/structures/" + x.S.ID + "/modifier", `input[name="version_lue"]`},
		{admin, "/espace/structures/" + x.S.ID + "/antennes/nouvelle", `input[name="siret"]`},
		{admin, "/espace/structures/" + x.S.ID + "/services/nouveau", `textarea[name="description"][data-preview]`},
		{admin, "/espace/services/" + x.svc.ID, `input[name="zone_ajout"]`},
		{admin, "/espace/services/" + x.svc.ID + "/historique", `h1`},
		{admin, "/espace/structures/nouvelle", `input[name="siret"]`},
		{admin, "/espace/structures/rejoindre?siret=" + x.J.SIRET, `form[action="/espace/structures/` + x.J.ID + `/rejoindre"]`},
		{admin, "/compte", `form[action="/compte/deconnexion-partout"]`},
		{mod, "/espace", `a[href="/espace/moderation"]`},
		{mod, "/espace/moderation", `a[href="/espace/moderation/` + x.S.ID + `"]`},
		{mod, "/espace/moderation/" + x.S.ID, `input[name="decision"]`},
		{platform, "/espace/administration/gestionnaires", `input[name="departements"]`},
		{e.visitor(t), "/connexion", `input[name="mot_de_passe"]`},
		{e.visitor(t), "/inscription", `input[name="mot_de_passe"]`},
		{e.visitor(t), "/dev/courriels", `.mail`},
	} {
		p := tc.who.get(tc.path)
		if p.status != http.StatusOK || p.doc == nil {
			t.Errorf("GET %s: %d", tc.path, p.status)
			continue
		}
		if p.doc.Find(tc.want).Length() == 0 {
			t.Errorf("GET %s: nothing matches %s", tc.path, tc.want)
		}
		if p.doc.Find(`meta[name="robots"][content^="noindex"]`).Length() != 1 {
			t.Errorf("GET %s: the partner pages must not be indexed", tc.path)
		}
	}
	// The stale service is flagged on the dashboard, then marked up to date
	// in bulk.
	p := admin.post("/espace/services/a-jour", url.Values{"services": {x.svc.ID}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("bulk mark fresh: %d", p.status)
	}
	if got := admin.get("/espace"); got.doc.Find(`input[name="services"][value="`+x.svc.ID+`"]`).Length() != 0 {
		t.Error("the service is still listed as stale")
	}
	// Anonymous visitors are sent to the login page, and come back.
	if p = e.visitor(t).get("/espace/services/" + x.svc.ID); p.status != http.StatusSeeOther || p.location != "/connexion?retour=%2Fespace%2Fservices%2F"+x.svc.ID {
		t.Errorf("anonymous editor: %d %s", p.status, p.location)
	}
}

// staleCopy is svc as last confirmed two years ago, published monthly.
func staleCopy(svc *directory.Service) *directory.Service {
	s := *svc
	s.Status, s.UpdateFrequency, s.UpdatedAt = directory.StatusPublished, directory.FrequencyMonthly, time.Now().AddDate(-2, 0, 0)
	return &s
}
