package app

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestProbe: the health-check command succeeds only on a 200 from /readyz,
// on the wildcard listen address too, and says why otherwise.
func TestProbe(t *testing.T) {
	var ready atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.NotFound(w, r)
			return
		}
		if !ready.Load() {
			http.Error(w, "store unreachable", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	ctx := context.Background()

	if err := Probe(ctx, ":"+port); err == nil || !strings.Contains(err.Error(), "store unreachable") {
		t.Errorf("probe of a site not ready: %v", err)
	}
	ready.Store(true)
	if err := Probe(ctx, ":"+port); err != nil {
		t.Errorf("probe of a ready site on the wildcard address: %v", err)
	}
	if err := Probe(ctx, "127.0.0.1:"+port); err != nil {
		t.Errorf("probe of a ready site: %v", err)
	}
	srv.Close()
	if err := Probe(ctx, "127.0.0.1:"+port); err == nil {
		t.Error("probe of a stopped site succeeded")
	}
	if err := Probe(ctx, "nonsense"); err == nil {
		t.Error("probe of an unreadable address succeeded")
	}
}
