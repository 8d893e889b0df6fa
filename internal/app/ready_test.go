package app

import (
	"context"
	"io"
	"net"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/store"
)

// TestReadiness: /healthz answers while the process does; /readyz answers
// 503 with its reason while the store is stopped or the index closed, and
// 200 again once the store is back.
func TestReadiness(t *testing.T) {
	ctx := context.Background()
	t0 := time.Now()
	// The store runs apart, as a MongoDB server would: an embedded store
	// on a fixed port, stopped and started again under the site.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	storeDir := t.TempDir()
	startStore := func() *store.Store {
		st, err := store.Open(ctx, store.Config{DataDir: storeDir, EmbeddedAddr: addr, Logger: apptest.QuietLogger()})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	server := startStore()
	defer func() { server.Close(ctx) }()

	cfg := apptest.Config(t, t.TempDir())
	cfg.Demo = false
	cfg.MongoURI = "mongodb://" + addr + "/"
	g, gaz := apptest.Geography(t)
	m := &Main{Config: cfg, Logger: apptest.QuietLogger(), Geography: g, Gazetteer: gaz}
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	t.Log("opened", time.Since(t0))
	probe := func(path string) (int, string) {
		t.Helper()
		resp, err := m.App.Test(httptest.NewRequest("GET", path, nil), int((20 * time.Second).Milliseconds()))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := probe("/readyz"); code != 200 || body != "ok" {
		t.Fatalf("/readyz on a sound site: %d %q", code, body)
	}

	if err := server.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if code, body := probe("/readyz"); code != 503 || body != "store unreachable" {
		t.Errorf("/readyz with the store stopped: %d %q", code, body)
	}
	if code, _ := probe("/healthz"); code != 200 {
		t.Errorf("/healthz with the store stopped: %d", code)
	}

	t.Log("stopped checks", time.Since(t0))
	server = startStore()
	t.Log("restarted", time.Since(t0))
	deadline := time.Now().Add(30 * time.Second)
	for code, _ := probe("/readyz"); code != 200; code, _ = probe("/readyz") {
		if time.Now().After(deadline) {
			t.Fatalf("/readyz after the store came back: %d", code)
		}
		time.Sleep(200 * time.Millisecond)
	}

	t.Log("ready again", time.Since(t0))
	if err := m.Index.Close(); err != nil {
		t.Fatal(err)
	}
	if code, body := probe("/readyz"); code != 503 || body != "search index unusable" {
		t.Errorf("/readyz with the index closed: %d %q", code, body)
	}
	if code, _ := probe("/healthz"); code != 200 {
		t.Errorf("/healthz with the index closed: %d", code)
	}
}
