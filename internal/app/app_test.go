package app

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// The first start imports the geography and generates demo data; the second
// start on the same data directory reuses both and serves the same site.
func TestFirstAndSecondStart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	var logs bytes.Buffer
	m := &Main{Config: apptest.Config(t, dir), Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	// Without SMTP server nor development mailbox: no mailbox page, and the
	// log says loudly that no mail can be sent.
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "AUCUN COURRIEL") {
		t.Errorf("a start without SMTP does not warn:\n%s", logs.String())
	}
	if status := statusOf(t, m, "/dev/courriels"); status != 404 {
		t.Errorf("/dev/courriels answers %d without REPERE_DEV_MAILBOX", status)
	}
	geoInfo, err := m.Store.Geography(ctx)
	if err != nil {
		t.Fatal(err)
	}
	demo, err := m.Store.DemoInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if geoInfo.Communes != 34969 || demo.Services != 300 {
		t.Fatalf("first start: %d communes, %d demo services; want 34969 and 300", geoInfo.Communes, demo.Services)
	}
	body := get(t, m, "/")
	if !strings.Contains(body, "fictifs") {
		t.Errorf("home page does not say the data are fictional:\n%s", body)
	}
	// The figures are counted in the background after start: none until
	// then, rather than zeros.
	if strings.Contains(body, "Repère en chiffres") {
		t.Errorf("home page shows figures before they were counted")
	}
	if err := m.refreshStats(ctx); err != nil {
		t.Fatal(err)
	}
	body = get(t, m, "/")
	// The home page counts what visitors can find: the visible services of
	// the index (not the drafts and archives of the store), kept current.
	visible, err := m.Index.Search(ctx, directory.SearchQuery{Page: 1, Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	st := *m.stats.Load()
	if st.Services != visible.Total || st.Services == 0 || st.Services >= 300 || st.Structures == 0 || st.Communes == 0 {
		t.Errorf("home figures %+v; want the %d visible services of 300 stored", st, visible.Total)
	}
	if !strings.Contains(body, homeServices(st.Services)) {
		t.Errorf("home page does not show %d services", st.Services)
	}
	if err := m.Index.Delete(visible.Hits[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := m.refreshStats(ctx); err != nil {
		t.Fatal(err)
	}
	if got := m.stats.Load().Services; got != st.Services-1 {
		t.Errorf("after a service left the index the home page counts %d, want %d", got, st.Services-1)
	}
	// The scheduler's housekeeping deletes what has expired.
	expired := &store.Token{ID: "expired", Kind: "verify", ExpireAt: time.Now().Add(-time.Minute)}
	if err := m.Store.CreateToken(ctx, expired); err != nil {
		t.Fatal(err)
	}
	m.Scheduler.Tick(ctx)
	if _, err := m.Store.Token(ctx, "expired"); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Errorf("expired token still there after housekeeping: %v", err)
	}
	m.Close()

	cfg2 := apptest.Config(t, dir)
	cfg2.DevMailbox = true // as make run sets it
	m2 := &Main{Config: cfg2, Logger: apptest.QuietLogger()}
	defer m2.Close()
	if err := m2.Open(ctx); err != nil {
		t.Fatal(err)
	}
	geo2, _ := m2.Store.Geography(ctx)
	demo2, _ := m2.Store.DemoInfo(ctx)
	if geo2.Generation != geoInfo.Generation || !geo2.ImportedAt.Equal(geoInfo.ImportedAt) {
		t.Errorf("second start re-imported the geography: %+v then %+v", geoInfo, geo2)
	}
	if !demo2.GeneratedAt.Equal(demo.GeneratedAt) {
		t.Errorf("second start regenerated the demo data")
	}
	if n, _ := m2.Store.CountServices(ctx); n != 300 {
		t.Errorf("second start holds %d services, want 300", n)
	}
	get(t, m2, "/")
	get(t, m2, "/dev/courriels")
}

func statusOf(t *testing.T, m *Main, path string) int {
	t.Helper()
	resp, err := m.App.Test(httptest.NewRequest("GET", path, nil), int((10 * time.Second).Milliseconds()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func get(t *testing.T, m *Main, path string) string {
	t.Helper()
	resp, err := m.App.Test(httptest.NewRequest("GET", path, nil), int((10 * time.Second).Milliseconds()))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d\n%s", path, resp.StatusCode, b)
	}
	return string(b)
}

// homeServices writes n as the home page does: French thousands separator.
func homeServices(n int) string {
	digits := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(r)
	}
	return b.String() + " services"
}
