package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// The "toujours à jour" link of the monthly reminder confirms a service
// without a password, for the member it was made for, while they may; a
// forged or borrowed link changes nothing.
func TestFreshLinkFromReminder(t *testing.T) {
	e := partner(t)
	c := people(t, e) // sign-ups are limited by address: the matrix's people
	ctx := context.Background()
	admin, member, outsider := c.roles[rAdmin], c.roles[rMember], c.roles[rLambda]
	st := e.createStructure(t, admin, "Structure fraîcheur "+uniq())
	e.join(t, member, admin, st.ID, directory.RoleMember)
	svc := completeService(st.ID, "Atelier permis "+uniq())
	svc.Status, svc.UpdateFrequency = directory.StatusPublished, directory.FrequencyMonthly
	e.createService(t, svc)
	old := time.Now().AddDate(0, 0, -60).UTC().Truncate(time.Millisecond)
	svc.UpdatedAt = old
	if err := e.store.UpdateService(ctx, svc); err != nil {
		t.Fatal(err)
	}

	path := func(userID string) string {
		return strings.TrimPrefix(e.site.Reminders.FreshURL(svc.ID, userID, time.Now()), e.base)
	}
	submit := func(v *visitor, link string) page {
		u, _ := url.Parse(link)
		return v.post(u.Path, url.Values{"service": {u.Query().Get("service")}, "compte": {u.Query().Get("compte")}, "jeton": {u.Query().Get("jeton")}})
	}
	updated := func() time.Time {
		s, err := e.store.Service(ctx, svc.ID)
		if err != nil {
			t.Fatal(err)
		}
		return s.UpdatedAt
	}

	forged := path(member.id)
	forged = forged[:len(forged)-2] + "xx"
	anon := e.visitor(t)
	if p := anon.get(forged); p.status != http.StatusNotFound {
		t.Errorf("forged link: %d", p.status)
	}
	if p := submit(anon, forged); p.status != http.StatusNotFound || !updated().Equal(old) {
		t.Errorf("forged link posted: %d, updated %v", p.status, updated())
	}
	if p := submit(anon, path(outsider.id)); p.status != http.StatusForbidden || !updated().Equal(old) {
		t.Errorf("a link made for someone who may not confirm it: %d", p.status)
	}

	link := path(member.id)
	p := anon.get(link)
	if p.status != http.StatusOK || !strings.Contains(p.body, svc.Name) || p.doc.Find(`form[action="/rappels/a-jour"] button`).Length() != 1 {
		t.Fatalf("confirmation page: %d\n%s", p.status, p.body)
	}
	if !updated().Equal(old) {
		t.Fatal("opening the link confirmed the service: mail scanners open links")
	}
	if p := submit(anon, link); p.status != http.StatusOK || !strings.Contains(p.body, "est à jour") {
		t.Fatalf("confirm: %d\n%s", p.status, p.body)
	}
	if time.Since(updated()) > time.Minute {
		t.Errorf("service not confirmed: updated %v", updated())
	}
	h, err := e.store.History(ctx, store.ServiceHistoryKey(svc.ID))
	if err != nil || len(h) == 0 || h[len(h)-1].UserID != member.id {
		t.Errorf("history does not name the member: %+v, %v", h, err)
	}
}

// Each user chooses their reminders in their account, and a reminder's
// one-click unsubscribe works without a session or CSRF token, for the
// signed user and kind only.
func TestReminderChoices(t *testing.T) {
	e := partner(t)
	ctx := context.Background()
	u := people(t, e).roles[rLambda]
	if p := u.post("/compte/rappels", url.Values{"rappels": {"fraicheur", "demandes", "moderation"}}); p.status != http.StatusSeeOther {
		t.Fatalf("save: %d", p.status)
	}
	p := u.get("/compte")
	if n := p.doc.Find(`#rappels ~ form input[name="rappels"][checked]`).Length(); n != len(directory.Reminders) {
		t.Errorf("%d reminders ticked, want all %d", n, len(directory.Reminders))
	}
	if p := u.post("/compte/rappels", url.Values{"rappels": {"demandes"}}); p.status != http.StatusSeeOther {
		t.Fatalf("save: %d", p.status)
	}
	off := func() []directory.Reminder {
		usr, err := e.store.User(ctx, u.id)
		if err != nil {
			t.Fatal(err)
		}
		return usr.RemindersOff
	}
	if got := off(); !slices.Equal(got, []directory.Reminder{directory.ReminderFreshness, directory.ReminderModeration}) {
		t.Fatalf("off: %v", got)
	}

	stop := strings.TrimPrefix(e.site.Reminders.StopURL(u.id, directory.ReminderRequests), e.base)
	oneClick := func(path string) page {
		return e.visitor(t).do(http.MethodPost, path, url.Values{"List-Unsubscribe": {"One-Click"}})
	}
	flipped := stop[:len(stop)-1] + map[bool]string{true: "B", false: "A"}[strings.HasSuffix(stop, "A")]
	for _, bad := range []string{flipped, strings.Replace(stop, "/demandes/", "/fraicheur/", 1),
		strings.Replace(stop, "/"+u.id+"/", "/quelqu-un/", 1)} {
		if p := oneClick(bad); p.status != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 404", bad, p.status)
		}
	}
	if got := off(); slices.Contains(got, directory.ReminderRequests) {
		t.Fatalf("a bad link switched it off: %v", got)
	}
	if p := e.visitor(t).get(stop); p.status != http.StatusOK || p.doc.Find("form button").Length() != 1 {
		t.Fatalf("GET %s: %d", stop, p.status)
	}
	if got := off(); slices.Contains(got, directory.ReminderRequests) {
		t.Fatal("opening the link unsubscribed")
	}
	if p := oneClick(stop); p.status != http.StatusOK {
		t.Fatalf("one-click: %d\n%s", p.status, p.body)
	}
	if got := off(); !slices.Contains(got, directory.ReminderRequests) {
		t.Fatalf("after one-click: %v", got)
	}
}
