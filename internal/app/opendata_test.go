package app

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/datainclusion/schema"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/importer"
)

// walkRecords reads a whole listing of the API and checks every record
// against the v1 schema; it returns how many it read.
func walkRecords(t *testing.T, app *fiber.App, base, schemaFile string) int {
	t.Helper()
	s, err := schema.Load(apptest.SharedDir(t), schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	n, failures := 0, 0
	seen := map[string]bool{}
	next := base + "?size=1000"
	for next != "" {
		var page struct {
			Items []map[string]any `json:"items"`
			Next  string           `json:"next"`
		}
		getJSON(t, app, next, &page)
		for _, rec := range page.Items {
			id := rec["id"].(string)
			if seen[id] {
				t.Fatalf("%s read twice", id)
			}
			seen[id] = true
			if errs := s.CheckObject(rec); len(errs) > 0 {
				if failures++; failures <= 10 {
					t.Errorf("%s %s: %s", schemaFile, id, strings.Join(errs, "\n\t"))
				}
			}
		}
		n += len(page.Items)
		next = ""
		if page.Next != "" {
			u, err := url.Parse(page.Next)
			if err != nil {
				t.Fatal(err)
			}
			next = u.RequestURI()
		}
	}
	if failures > 10 {
		t.Errorf("%d records of %s invalid in all", failures, schemaFile)
	}
	return n
}

// Every record of the demo dataset, and of the real files once imported,
// goes out valid against the data·inclusion v1 schema.
func TestOpenDataValidatesAgainstTheSchema(t *testing.T) {
	ctx := context.Background()
	t.Run("demo", func(t *testing.T) {
		cfg := apptest.Config(t, t.TempDir()) // 300 demo services
		g, gaz := apptest.Geography(t)
		m := &Main{Config: cfg, Logger: apptest.QuietLogger(), Geography: g, Gazetteer: gaz}
		t.Cleanup(m.Close)
		if err := m.Open(ctx); err != nil {
			t.Fatal(err)
		}
		visible := 0
		now := time.Now()
		err := m.Store.EachService(ctx, func(s *directory.Service) error {
			if s.Visible(now) {
				visible++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := walkRecords(t, m.App, "/api/v1/services", "service.json"); n != visible || n < 200 {
			t.Errorf("%d services listed, %d visible", n, visible)
		}
		if n := walkRecords(t, m.App, "/api/v1/structures", "structure.json"); n == 0 {
			t.Error("no structure listed")
		}
	})
	t.Run("real", func(t *testing.T) {
		m := openImportSite(t)
		real := filepath.Join(apptest.SharedDir(t), "realdata")
		runImport(t, m, &importer.DirReader{Dir: filepath.Join(real, "gip-inclusion-fluo-proto")})
		runImport(t, m, &importer.DirReader{Dir: filepath.Join(real, "gip-inclusion-offre-inclusion")})
		runImport(t, m, &importer.FranceServicesReader{Path: filepath.Join(real, "anct-carto-france_services", "liste-fs-20240801.csv")})
		if err := m.OpenData.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if n := walkRecords(t, m.App, "/api/v1/services", "service.json"); n < 581+2704 {
			t.Errorf("%d real services listed", n)
		}
		if n := walkRecords(t, m.App, "/api/v1/structures", "structure.json"); n < 434+276 {
			t.Errorf("%d real structures listed", n)
		}
		// By source and département, as a data·inclusion harvester asks.
		var page struct {
			Items []struct {
				Source    string  `json:"source"`
				CodeInsee *string `json:"code_insee"`
			} `json:"items"`
		}
		getJSON(t, m.App, "/api/v1/services?source=monenfant&code_departement=59&size=50", &page)
		if len(page.Items) == 0 {
			t.Fatal("no Mon enfant service in the Nord")
		}
		for _, it := range page.Items {
			if it.Source != "monenfant" || it.CodeInsee == nil || !strings.HasPrefix(*it.CodeInsee, "59") {
				t.Errorf("filtered listing gave %+v", it)
			}
		}
	})
}
