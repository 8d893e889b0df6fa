package app

import (
	"context"
	"io"
	"net/http/httptest"
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

	m := &Main{Config: apptest.Config(t, dir), Logger: apptest.QuietLogger()}
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
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

	m2 := &Main{Config: apptest.Config(t, dir), Logger: apptest.QuietLogger()}
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
