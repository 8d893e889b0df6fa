package config

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestLoadPrecedence(t *testing.T) {
	env := map[string]string{"REPERE_ADDR": ":9000", "REPERE_DEMO": "true", "REPERE_DATA_DIR": "/srv/repere"}
	addr := ":7000"
	c, err := Load(func(k string) string { return env[k] }, map[string]*string{"addr": &addr})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":7000" {
		t.Errorf("flag should win over env: Addr = %q", c.Addr)
	}
	if !c.Demo || c.DataDir != "/srv/repere" || c.IndexDir != "/srv/repere/index" {
		t.Errorf("env not applied: %+v", c)
	}
	if c.ReadTimeout != 10*time.Second || c.MongoDatabase != "repere" || c.DemoServices != 3000 {
		t.Errorf("defaults not applied: %+v", c)
	}
}

func TestLoadRejectsBadValues(t *testing.T) {
	env := map[string]string{"REPERE_DEMO_SERVICES": "-3", "REPERE_READ_TIMEOUT": "soon", "REPERE_BASE_URL": "localhost"}
	_, err := Load(func(k string) string { return env[k] }, nil)
	if err == nil {
		t.Fatal("want an error")
	}
	for _, name := range []string{"REPERE_DEMO_SERVICES", "REPERE_READ_TIMEOUT", "REPERE_BASE_URL"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestHelpListsEverySetting(t *testing.T) {
	var b bytes.Buffer
	PrintSettings(&b)
	for _, s := range settings {
		if !strings.Contains(b.String(), s.Env()) || !strings.Contains(b.String(), "-"+s.name) {
			t.Errorf("help misses %s", s.Env())
		}
	}
}
