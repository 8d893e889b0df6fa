package app

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/mail/smtptest"
)

// processes is a store shared by real `repere serve` processes: this test
// binary owns the embedded store (with the geography and demo data), the
// processes connect to it as other instances would.
type processes struct {
	bin       string
	owner     *Main
	storeAddr string
}

var (
	procOnce sync.Once
	procEnv  *processes
	procErr  error
)

func sharedProcesses(t *testing.T) *processes {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary and starts processes")
	}
	procOnce.Do(func() { procEnv, procErr = newProcesses(t) })
	if procErr != nil {
		t.Fatal(procErr)
	}
	return procEnv
}

func newProcesses(t *testing.T) (*processes, error) {
	dir, err := os.MkdirTemp("", "repere-processes-")
	if err != nil {
		return nil, err
	}
	cleanups = append(cleanups, func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "repere")
	build := exec.Command("go", "build", "-o", bin, "./cmd/repere")
	build.Dir = apptest.ModuleRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build: %v\n%s", err, out)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cfg := apptest.Config(t, filepath.Join(dir, "owner"))
	cfg.EmbeddedAddr, cfg.DemoServices = addr, 50
	owner := &Main{Config: cfg, Logger: apptest.QuietLogger()}
	cleanups = append(cleanups, owner.Close)
	if err := owner.Open(context.Background()); err != nil {
		return nil, err
	}
	return &processes{bin: bin, owner: owner, storeAddr: addr}, nil
}

// cleanups run after every test of the package (TestMain calls
// runCleanups).
var cleanups []func()

func runCleanups() {
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// serve starts `repere serve` on the shared store, sending mail to srv,
// and waits until it answers.
func (p *processes) serve(t *testing.T, srv *smtptest.Server, env ...string) *exec.Cmd {
	t.Helper()
	cmd, addr := p.start(t, srv, env...)
	ready(t, addr)
	return cmd
}

// start starts `repere serve` and returns it with its HTTP address.
func (p *processes) start(t *testing.T, srv *smtptest.Server, env ...string) (*exec.Cmd, string) {
	t.Helper()
	addr, err := freeAddr()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(p.bin, "serve")
	cmd.Env = append(os.Environ(),
		"REPERE_MONGODB_URI=mongodb://"+p.storeAddr+"/",
		"REPERE_ADDR="+addr,
		"REPERE_BASE_URL=https://repere.exemple.fr",
		"REPERE_DATA_DIR="+t.TempDir(),
		"REPERE_GEO_SOURCE="+p.owner.Config.GeoSource,
		"REPERE_SECRET_KEY="+p.owner.Config.SecretKey,
		"REPERE_SMTP_HOST="+srv.Host(),
		fmt.Sprintf("REPERE_SMTP_PORT=%d", srv.Port()),
		"REPERE_SMTP_FROM=Repère <ne-pas-repondre@repere.exemple.fr>",
		"REPERE_LOG_LEVEL=warn",
	)
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return cmd, addr
}

// ready waits until the process at addr answers.
func ready(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("repere serve did not answer within 2 min: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitUntil polls ok until it holds or limit passes.
func waitUntil(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
