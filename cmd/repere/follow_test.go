package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/app"
	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/directory"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Two instances share one store: A writes, B (another OS process with its own
// index) finds the change through the store's change log within 2 s.
func TestSecondInstanceFollowsWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts a second process")
	}
	ctx := context.Background()
	bin := filepath.Join(t.TempDir(), "repere")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}

	storeAddr := freeAddr(t)
	cfgA := apptest.Config(t, t.TempDir())
	cfgA.EmbeddedAddr = storeAddr
	cfgA.DemoServices = 50
	a := &app.Main{Config: cfgA, Logger: apptest.QuietLogger()}
	defer a.Close()
	if err := a.Open(ctx); err != nil {
		t.Fatal(err)
	}

	httpB := freeAddr(t)
	b := exec.Command(bin, "serve")
	b.Env = append(os.Environ(),
		"REPERE_MONGODB_URI=mongodb://"+storeAddr+"/",
		"REPERE_ADDR="+httpB,
		"REPERE_DATA_DIR="+t.TempDir(),
		"REPERE_GEO_SOURCE="+cfgA.GeoSource,
		"REPERE_LOG_LEVEL=warn",
	)
	b.Stdout, b.Stderr = os.Stderr, os.Stderr
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = b.Process.Kill(); _, _ = b.Process.Wait() }()
	waitFor(t, 3*time.Minute, func() bool { // B loads the geography and builds its index first: slow on a busy machine
		resp, err := http.Get("http://" + httpB + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})

	svc := &directory.Service{
		StructureID: "inconnue", Source: "test",
		Name: "Vélo-école solidaire Zorglub", Description: "Apprendre à circuler à vélo en ville.",
		Thematiques: []string{"mobilite--apprendre-a-utiliser-un-deux-roues"}, ReceptionModes: []string{"a-distance"},
		EligibilityZone: []directory.Zone{directory.France}, Status: directory.StatusPublished,
	}
	if !directory.Thematiques.Has(svc.Thematiques[0]) {
		svc.Thematiques = []string{directory.Besoins("mobilite")[0]}
	}
	published := time.Now()
	if err := a.Catalog.CreateService(ctx, svc); err != nil {
		t.Fatal(err)
	}
	if r, err := a.Index.Search(ctx, directory.SearchQuery{Text: "zorglub"}); err != nil || r.Total != 1 {
		t.Fatalf("A's own index: %v, %+v", err, r)
	}
	search := func() int {
		resp, err := http.Get("http://" + httpB + "/api/v1/search/services?q=zorglub")
		if err != nil {
			return -1
		}
		defer resp.Body.Close()
		var r struct{ Total int }
		if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&r) != nil {
			return -1
		}
		return r.Total
	}
	waitFor(t, 2*time.Second, func() bool { return search() == 1 })
	t.Logf("published on A, found on B after %v", time.Since(published).Round(time.Millisecond))

	svc.Status = directory.StatusArchived
	if err := a.Catalog.UpdateService(ctx, svc); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 2*time.Second, func() bool { return search() == 0 })
}

func waitFor(t *testing.T, limit time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not met within %v", limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
