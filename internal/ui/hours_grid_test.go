package ui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestEditorHoursGrid: the week is typed day by day in French and saved in
// OSM syntax; the editor shows a saved value back in the grid; a day it
// cannot read is refused with its name and kept as typed; French typed in
// the raw field of a form without the grid is read too.
func TestEditorHoursGrid(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	x := c.setup(t, e)
	admin := c.roles[rAdmin]
	ctx := context.Background()
	path := "/espace/services/" + x.svc.ID

	page := admin.get(path)
	if n := page.doc.Find(`fieldset#champ-horaires-accueil input[name^="horaires_"][type="text"]`).Length(); n != 8 {
		t.Fatalf("the grid has %d text fields, want 7 days and the other rules", n)
	}
	f := serviceForm(x.svc)
	f.Set("horaires_grille", "1")
	for _, d := range []string{"lundi", "mardi", "mercredi", "jeudi", "vendredi"} {
		f.Set("horaires_"+d, "9h-12h, 14h-17h30")
	}
	f.Set("horaires_mercredi", "9h à 12h")
	f.Set("horaires_samedi", "9h-12h")
	f.Set("horaires_dimanche", "fermé")
	f.Set("horaires_rdv", "1")
	f.Set("horaires_feries", "1")
	f.Set("horaires_autres", "Aug off")
	if p := admin.post(path, f); p.status != http.StatusSeeOther {
		t.Fatalf("save the grid: %d %s", p.status, p.doc.Find("#erreurs").Text())
	}
	svc, _ := e.store.Service(ctx, x.svc.ID)
	want := `Mo-Tu,Th-Fr 09:00-12:00,14:00-17:30 "sur rendez-vous"; We,Sa 09:00-12:00 "sur rendez-vous"; PH off; Aug off`
	if svc.OpeningHours != want {
		t.Errorf("saved hours %q, want %q", svc.OpeningHours, want)
	}
	page = admin.get(path)
	for name, v := range map[string]string{"horaires_lundi": "09:00-12:00, 14:00-17:30", "horaires_mercredi": "09:00-12:00",
		"horaires_dimanche": "", "horaires_autres": "Aug off"} {
		if got := page.doc.Find(`input[name="`+name+`"]`).AttrOr("value", "?"); got != v {
			t.Errorf("grid shows %s = %q, want %q", name, got, v)
		}
	}
	if page.doc.Find(`input[name="horaires_rdv"][checked]`).Length() != 1 || page.doc.Find(`input[name="horaires_feries"][checked]`).Length() != 1 {
		t.Error("the boxes of the saved value are not ticked")
	}

	f = serviceForm(svc)
	f.Set("horaires_grille", "1")
	f.Set("horaires_lundi", "9h-12h")
	f.Set("horaires_mardi", "tôt le matin")
	p := admin.post(path, f)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.doc.Find("#champ-horaires-accueil-erreur").Text(), "Mardi") ||
		p.doc.Find(`#erreurs a[href="#champ-horaires-accueil"]`).Length() != 1 {
		t.Errorf("an unreadable day: %d %q", p.status, p.doc.Find("#champ-horaires-accueil-erreur").Text())
	}
	if got := p.doc.Find(`input[name="horaires_mardi"]`).AttrOr("value", ""); got != "tôt le matin" {
		t.Errorf("the day typed is shown again as %q", got)
	}
	if again, _ := e.store.Service(ctx, x.svc.ID); again.Version != svc.Version {
		t.Error("a form with an unreadable day was saved")
	}

	f = serviceForm(svc)
	f.Set("horaires_accueil", "du lundi au vendredi de 9h à 12h, fermé les jours fériés")
	if p := admin.post(path, f); p.status != http.StatusSeeOther {
		t.Fatalf("French in the raw field: %d %s", p.status, p.doc.Find("#erreurs").Text())
	}
	if svc, _ = e.store.Service(ctx, x.svc.ID); svc.OpeningHours != "Mo-Fr 09:00-12:00; PH off" {
		t.Errorf("French in the raw field saved as %q", svc.OpeningHours)
	}
}
