package ui_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/repere-spie/repere/internal/app/apptest"
)

// HSDS 3.0 comes in ../shared/reference as examples (the schemas they were
// written from are not there): a record is checked against the shape of the
// full service example, every key one the specification has, with the same
// JSON type, nested objects alike, identifiers UUIDs, and the values the
// specification enumerates.
var (
	uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	hsdsEnums   = map[string][]string{
		"status":        {"active", "inactive", "defunct", "temporarily closed"},
		"type":          {"text", "voice", "fax", "cell", "video", "pager", "textphone"},
		"location_type": {"physical", "postal", "virtual"},
		"address_type":  {"physical", "postal", "virtual"},
	}
	hsdsRequired = []string{"id", "name", "status"}
)

func hsdsExample(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(apptest.SharedDir(t), "reference", "openreferral-hsds-3.0", "json", "service_full.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ex map[string]any
	if err := json.Unmarshal(b, &ex); err != nil {
		t.Fatal(err)
	}
	return ex
}

func checkHSDS(t *testing.T, records []map[string]any) {
	t.Helper()
	ex := hsdsExample(t)
	failures := 0
	for _, rec := range records {
		var errs []string
		for _, k := range hsdsRequired {
			if rec[k] == nil {
				errs = append(errs, "missing "+k)
			}
		}
		errs = append(errs, hsdsShape("service", ex, rec)...)
		if len(errs) > 0 {
			if failures++; failures <= 5 {
				t.Errorf("HSDS record %v: %s", rec["id"], strings.Join(errs, "; "))
			}
		}
	}
}

// hsdsShape compares v with the example ex of the same place.
func hsdsShape(path string, ex, v any) []string {
	switch v := v.(type) {
	case map[string]any:
		exm, ok := ex.(map[string]any)
		if !ok {
			return []string{path + ": an object where the specification has " + fmt.Sprintf("%T", ex)}
		}
		var errs []string
		if _, hasID := exm["id"]; hasID {
			if id, _ := v["id"].(string); !uuidPattern.MatchString(id) {
				errs = append(errs, path+".id: not a UUID: "+fmt.Sprint(v["id"]))
			}
		}
		for k, x := range v {
			exv, known := exm[k]
			if !known {
				errs = append(errs, path+"."+k+": not an HSDS field")
				continue
			}
			if s, ok := x.(string); ok && hsdsEnums[k] != nil && !slices.Contains(hsdsEnums[k], s) {
				errs = append(errs, fmt.Sprintf("%s.%s: %q not in %v", path, k, s, hsdsEnums[k]))
			}
			errs = append(errs, hsdsShape(path+"."+k, exv, x)...)
		}
		return errs
	case []any:
		exl, ok := ex.([]any)
		if !ok || len(exl) == 0 {
			return []string{path + ": an array where the specification has " + fmt.Sprintf("%T", ex)}
		}
		var errs []string
		for i, x := range v {
			errs = append(errs, hsdsShape(fmt.Sprintf("%s[%d]", path, i), exl[0], x)...)
		}
		return errs
	case string, float64, bool:
		if fmt.Sprintf("%T", v) != fmt.Sprintf("%T", ex) {
			return []string{fmt.Sprintf("%s: %T where the specification has %T", path, v, ex)}
		}
	}
	return nil
}

// The checker rejects what it must.
func TestHSDSChecker(t *testing.T) {
	ex := hsdsExample(t)
	good := map[string]any{"id": "6f2b521e-8c4d-5a0e-9b1a-526570657265", "name": "Nom", "status": "active"}
	if errs := hsdsShape("service", ex, good); len(errs) > 0 {
		t.Fatalf("a minimal service refused: %v", errs)
	}
	for _, bad := range []map[string]any{
		{"id": "pas-un-uuid", "name": "Nom", "status": "active"},
		{"id": good["id"], "name": "Nom", "status": "ouvert"},
		{"id": good["id"], "name": "Nom", "status": "active", "nom": "x"},
		{"id": good["id"], "name": 3.0, "status": "active"},
		{"id": good["id"], "name": "Nom", "status": "active", "phones": []any{map[string]any{"id": good["id"], "number": "1", "type": "pigeon"}}},
		{"id": good["id"], "name": "Nom", "status": "active", "organization": map[string]any{"id": "x", "name": "Org"}},
	} {
		if errs := hsdsShape("service", ex, bad); len(errs) == 0 {
			t.Errorf("%v accepted", bad)
		}
	}
}
