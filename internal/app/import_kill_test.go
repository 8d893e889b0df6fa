package app

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/config"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/importer"
)

// TestMain lets the test binary be the importing process that
// TestImportSurvivesKill9 kills.
func TestMain(m *testing.M) {
	if dir := os.Getenv("REPERE_TEST_IMPORT_DIR"); dir != "" {
		os.Exit(childImport(dir, os.Getenv("REPERE_TEST_IMPORT_DATA")))
	}
	code := m.Run()
	runCleanups()
	os.Exit(code)
}

// childImport imports a data·inclusion folder into a data directory and
// prints how many records it has read, batch by batch, until it is killed.
func childImport(dir, data string) int {
	ctx := context.Background()
	cfg, err := loadChildConfig(data)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	m := &Main{Config: cfg, Logger: NewLogger("error")}
	defer m.Close()
	im, err := m.Importer(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	_, err = im.Run(ctx, &importer.DirReader{Dir: dir}, importer.Options{Progress: func(done, _ int) { fmt.Printf("lus %d\n", done) }})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println("fini")
	return 0
}

// A real process killed with SIGKILL in the middle of an import, then the
// same import again: every service is there once, and the index is in step
// with the store.
func TestImportSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a second process")
	}
	ctx := context.Background()
	data, export := t.TempDir(), t.TempDir()
	cfg := apptest.Config(t, data)
	cfg.Demo, cfg.DemoServices = false, 4000
	g, gaz := apptest.Geography(t)
	m := &Main{Config: cfg, Logger: apptest.QuietLogger(), Geography: g, Gazetteer: gaz}
	if err := m.ExportDemo(export); err != nil {
		t.Fatal(err)
	}
	// The child needs the geography in the store.
	if err := m.OpenStore(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.ImportGeography(ctx, false); err != nil {
		t.Fatal(err)
	}
	m.Close()

	cmd := exec.Command(os.Args[0], "-test.run", "^$")
	cmd.Env = append(os.Environ(), "REPERE_TEST_IMPORT_DIR="+export, "REPERE_TEST_IMPORT_DATA="+data,
		"REPERE_GEO_SOURCE="+apptest.GeoDir(t))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	killedAt := 0
	for lines.Scan() {
		if n, ok := strings.CutPrefix(lines.Text(), "lus "); ok {
			if read, _ := strconv.Atoi(n); read >= 1800 {
				killedAt = read
				_ = cmd.Process.Signal(syscall.SIGKILL)
				break
			}
		}
	}
	_ = cmd.Wait()
	if killedAt == 0 {
		t.Fatal("the import ended before it could be killed")
	}

	m2 := &Main{Config: apptest.Config(t, data), Logger: apptest.QuietLogger(), Geography: g, Gazetteer: gaz}
	m2.Config.Demo = false
	defer m2.Close()
	rep, err := m2.Import(ctx, &importer.DirReader{Dir: export}, false, io.Discard, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := rep.New + rep.Unchanged + rep.Updated
	if rep.Rejected != 0 || want == 0 || rep.Unchanged == 0 {
		t.Errorf("second import: %+v", rep)
	}
	n, err := m2.Store.CountServices(ctx)
	if err != nil || int(n) != want {
		t.Errorf("store holds %d services for %d in the file (%v)", n, want, err)
	}
	ids := map[string]bool{}
	err = m2.Store.EachService(ctx, func(s *directory.Service) error {
		if ids[s.Provenance.ExternalID] {
			t.Errorf("service %s imported twice", s.Provenance.ExternalID)
		}
		ids[s.Provenance.ExternalID] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fixed, err := m2.Catalog.Reconcile(ctx); err != nil || fixed != 0 {
		t.Errorf("index out of step after the second import: %d fixed, %v", fixed, err)
	}
	t.Logf("killed after %d records; second run: %d new, %d unchanged", killedAt, rep.New, rep.Unchanged)
}

func loadChildConfig(data string) (*config.Config, error) {
	env := map[string]string{"REPERE_DATA_DIR": data, "REPERE_GEO_SOURCE": os.Getenv("REPERE_GEO_SOURCE"), "REPERE_LOG_LEVEL": "error"}
	return config.Load(func(k string) string { return env[k] }, nil)
}
