package main

import (
	"context"
	"flag"
	"testing"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/app"
	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/store"
)

func TestAdminCommandGrantsAndRevokes(t *testing.T) {
	ctx := context.Background()
	cfg := apptest.Config(t, t.TempDir())
	cfg.DemoServices = 20
	m := &app.Main{Config: cfg, Logger: apptest.QuietLogger()}
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	const email = "camille.martin@exemple.fr"
	if err := m.Accounts.SignUp(ctx, account.SignUpForm{Email: email, Name: "Camille Martin", Password: "une phrase de passe assez longue"},
		account.Client{IP: "127.0.0.1"}); err != nil {
		t.Fatal(err)
	}
	admin := func(args ...string) error {
		fs := flag.NewFlagSet("admin", flag.ContinueOnError)
		exec := adminCmd(fs)
		if err := fs.Parse(args); err != nil {
			return err
		}
		return exec(ctx, m)
	}
	isAdmin := func() bool {
		u, err := m.Store.UserByKey(ctx, store.EmailKey(email))
		if err != nil {
			t.Fatal(err)
		}
		return u.PlatformAdmin
	}
	if isAdmin() {
		t.Fatal("a new account is platform administrator")
	}
	if err := admin(email); err != nil || !isAdmin() {
		t.Fatalf("grant: %v, admin %v", err, isAdmin())
	}
	if err := admin("-retirer", email); err != nil || isAdmin() {
		t.Fatalf("revoke: %v, admin %v", err, isAdmin())
	}
	if err := admin("inconnu@exemple.fr"); err == nil {
		t.Error("granting an unknown address succeeded")
	}
	if err := admin(); err == nil {
		t.Error("no address: want a usage error")
	}
}
