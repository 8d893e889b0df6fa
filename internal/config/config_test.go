package config

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestLoadPrecedence(t *testing.T) {
	env := map[string]string{"REPERE_ADDR": ":9000", "REPERE_DEMO": "true", "REPERE_DATA_DIR": "/srv/repere", "REPERE_DEBUG_ADDR": "127.0.0.1:6060"}
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
	if c.DebugAddr != "127.0.0.1:6060" {
		t.Errorf("loopback debug address refused: %q", c.DebugAddr)
	}
	if c.ReadTimeout != 10*time.Second || c.MongoDatabase != "repere" || c.DemoServices != 3000 || c.MemoryLimit != 1<<30 {
		t.Errorf("defaults not applied: %+v", c)
	}
}

func TestLoadRejectsBadValues(t *testing.T) {
	env := map[string]string{"REPERE_DEMO_SERVICES": "-3", "REPERE_READ_TIMEOUT": "soon", "REPERE_BASE_URL": "localhost",
		"REPERE_DEBUG_ADDR": "0.0.0.0:6060", "REPERE_EMBEDDED_ADDR": "192.168.1.2:27017", "REPERE_MEMORY_LIMIT": "1.5GiB"}
	_, err := Load(func(k string) string { return env[k] }, nil)
	if err == nil {
		t.Fatal("want an error")
	}
	for _, name := range []string{"REPERE_DEMO_SERVICES", "REPERE_READ_TIMEOUT", "REPERE_BASE_URL", "REPERE_DEBUG_ADDR", "REPERE_EMBEDDED_ADDR", "REPERE_MEMORY_LIMIT"} {
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

func TestDevMailboxOnlyWhenAskedAndLocal(t *testing.T) {
	for _, c := range []struct {
		mailbox, base string
		on, fails     bool
	}{
		{"", "https://repere.example.org", false, false}, // off by default
		{"", "http://localhost:8080", false, false},
		{"true", "http://localhost:8080", true, false},
		{"true", "http://127.0.0.1:8101", true, false},
		{"true", "http://[::1]:8080", true, false},
		{"true", "http://repere.localhost", true, false},
		{"true", "https://repere.example.org", false, true}, // anyone could read the reset links
		{"true", "http://localhost.evil.example", false, true},
		{"force", "https://recette.repere.example.org", true, false},
		{"yes", "http://localhost:8080", false, true},
	} {
		env := map[string]string{"REPERE_DEV_MAILBOX": c.mailbox, "REPERE_BASE_URL": c.base}
		cfg, err := Load(func(k string) string { return env[k] }, nil)
		if (err != nil) != c.fails {
			t.Errorf("mailbox %q, base %s: err = %v", c.mailbox, c.base, err)
			continue
		}
		if err == nil && cfg.DevMailbox != c.on {
			t.Errorf("mailbox %q, base %s: DevMailbox = %v", c.mailbox, c.base, cfg.DevMailbox)
		}
		if c.fails && c.mailbox == "true" && !strings.Contains(err.Error(), "REPERE_DEV_MAILBOX") {
			t.Errorf("the error does not name the setting: %v", err)
		}
	}
}

func TestTrustedProxies(t *testing.T) {
	env := map[string]string{"REPERE_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8,::1"}
	c, err := Load(func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 3 || c.TrustedProxies[0].String() != "127.0.0.1/32" || c.TrustedProxies[1].String() != "10.0.0.0/8" || c.TrustedProxies[2].String() != "::1/128" {
		t.Errorf("TrustedProxies = %v", c.TrustedProxies)
	}
	env["REPERE_TRUSTED_PROXIES"] = "10.0.0.0/8, proxy.local"
	if _, err := Load(func(k string) string { return env[k] }, nil); err == nil || !strings.Contains(err.Error(), "REPERE_TRUSTED_PROXIES") {
		t.Errorf("a host name is accepted: %v", err)
	}
}
