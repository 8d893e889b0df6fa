package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/mail"
)

// reportsTo are the newest report mails on the service (whose name is
// unique in the test binary), by recipient; the mailbox keeps the last
// thousand messages, so they are told by content, not by count.
func reportsTo(e *partnerEnv, name, text string) map[string]mail.Sent {
	out := map[string]mail.Sent{}
	for _, m := range e.mailbox.Messages() { // newest first
		if _, seen := out[m.To]; !seen && strings.HasPrefix(m.Subject, "Erreur signalée") && strings.Contains(m.Text, "« "+name+" »") &&
			strings.Contains(m.Text, text) {
			out[m.To] = m
		}
	}
	return out
}

// TestServiceReport is "Signaler une erreur" without a browser: the form
// checks what it is given, reaches the structure's members and the
// moderators of the service's département (the site's contact when nobody
// else would read it), and refuses floods.
func TestServiceReport(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	x := c.setup(t, e)
	svc := completeService(x.S.ID, "Service signalé "+uniq())
	svc.Status = directory.StatusPublished
	e.createService(t, svc)
	anon := e.visitor(t)

	page := anon.get("/services/" + svc.ID)
	if page.status == http.StatusMovedPermanently {
		page = anon.get(page.location)
	}
	link := page.doc.Find("a#signaler").AttrOr("href", "")
	if !strings.HasSuffix(link, "/signaler") || page.doc.Find(`a[href^="mailto:signalement@"]`).Length() != 0 {
		t.Fatalf("service page: report link %q (the form replaces the mailto)", link)
	}
	form := anon.get(link)
	if form.status != http.StatusOK || form.doc.Find(`form[action="`+link+`"] input[name="csrf"]`).Length() != 1 ||
		form.doc.Find(`input[name="motifs"]`).Length() != 5 || form.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("report form: %d, %d reasons, cache %q", form.status, form.doc.Find(`input[name="motifs"]`).Length(), form.header.Get("Cache-Control"))
	}

	for _, bad := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"commentaire": {"rien"}}, "#champ-motifs"},
		{url.Values{"motifs": {"inconnu"}}, "#champ-motifs"},
		{url.Values{"motifs": {"autre"}}, "#champ-commentaire"},
		{url.Values{"motifs": {"zone"}, "email": {"pas une adresse"}}, "#champ-email"},
		{url.Values{"motifs": {"zone"}, "commentaire": {strings.Repeat("trop long ", 250)}}, "#champ-commentaire"},
	} {
		p := anon.post(link, bad.form)
		if p.status != http.StatusUnprocessableEntity || p.doc.Find(`#erreurs a[href="`+bad.field+`"]`).Length() != 1 {
			t.Errorf("%v: %d, want 422 with %s in the error summary", bad.form, p.status, bad.field)
			continue
		}
		if v := p.doc.Find(`textarea[name="commentaire"]`).Text(); !strings.Contains(v, bad.form.Get("commentaire")) {
			t.Errorf("%v: the comment typed is lost", bad.form)
		}
	}
	if got := reportsTo(e, svc.Name, ""); len(got) != 0 {
		t.Fatalf("invalid reports were mailed to %d people", len(got))
	}

	ok := anon.post(link, url.Values{"motifs": {"coordonnees", "horaires"}, "commentaire": {"Le numéro ne répond plus depuis janvier."},
		"email": {"Conseillere@Exemple.fr"}})
	if ok.status != http.StatusOK || !strings.Contains(ok.doc.Find("h1").Text(), "Merci") {
		t.Fatalf("report: %d %s", ok.status, ok.doc.Find("h1").Text())
	}
	got := reportsTo(e, svc.Name, "")
	for who, v := range map[string]*visitor{"administratrice": c.roles[rAdmin], "membre": c.roles[rMember], "co-administratrice": c.coadmin,
		"gestionnaire du 86": c.roles[rModerator]} {
		m, ok := got[v.email]
		if !ok {
			t.Errorf("the %s (%s) did not receive the report", who, v.email)
			continue
		}
		for _, want := range []string{"Coordonnées erronées", "Horaires erronés", "Le numéro ne répond plus depuis janvier.",
			"conseillere@exemple.fr", e.base + "/services/" + svc.ID + "-", x.S.Name} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("mail to the %s lacks %q:\n%s", who, want, m.Text)
			}
		}
	}
	for who, addr := range map[string]string{"gestionnaire du 37": c.roles[rOtherModerator].email, "demandeur": c.requester.email,
		"site contact": "signalement@repere.example"} {
		if _, ok := got[addr]; ok {
			t.Errorf("the %s received the report", who)
		}
	}
	if len(got) != 4 {
		t.Errorf("report sent to %d addresses, want 4", len(got))
	}

	// A service whose structure has no account: the moderators of its
	// département; none there: the site's contact address.
	for _, cs := range []struct{ code, commune, to string }{
		{"37261", "Tours", c.roles[rOtherModerator].email},
		{"48095", "Mende", "signalement@repere.example"}, // Lozère: no moderator in any test
	} {
		other := completeService("structuresanscompte", "Service sans compte "+uniq())
		other.Status, other.CodeInsee, other.CommuneName, other.EligibilityZone = directory.StatusPublished, cs.code, cs.commune,
			[]directory.Zone{{Kind: directory.ZoneCommune, Code: cs.code}}
		e.createService(t, other)
		reporter := e.visitor(t)
		if p := reporter.post("/services/"+other.ID+"/signaler", url.Values{"motifs": {"ferme"}}); p.status != http.StatusOK {
			t.Fatalf("%s: report %d", cs.commune, p.status)
		}
		if got := reportsTo(e, other.Name, ""); len(got) != 1 || got[cs.to].To == "" {
			t.Errorf("%s: report sent to %v, want %s only", cs.commune, got, cs.to)
		}
	}

	// Five reports an hour from one connection (three sent above from this
	// address); then 429, with what was typed kept.
	for i := 0; i < 2; i++ {
		if p := anon.post(link, url.Values{"motifs": {"zone"}}); p.status != http.StatusOK {
			t.Fatalf("report %d: %d", i+4, p.status)
		}
	}
	p := anon.post(link, url.Values{"motifs": {"zone"}, "commentaire": {"Encore une fois"}})
	if p.status != http.StatusTooManyRequests || !strings.Contains(p.doc.Find(".fr-alert--error").Text(), "Trop de signalements") ||
		!strings.Contains(p.doc.Find(`textarea[name="commentaire"]`).Text(), "Encore une fois") {
		t.Errorf("sixth report within the hour: %d", p.status)
	}
	if got := reportsTo(e, svc.Name, "Encore une fois"); len(got) != 0 {
		t.Error("a refused report was mailed")
	}
	if p := anon.post("/services/inconnu000000001/signaler", url.Values{"motifs": {"zone"}}); p.status != http.StatusNotFound {
		t.Errorf("report on an unknown service: %d", p.status)
	}
}
