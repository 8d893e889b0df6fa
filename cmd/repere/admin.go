package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
)

// adminCmd grants or withdraws the platform administrator role. No route can:
// it takes access to the server.
func adminCmd(fs *flag.FlagSet) func(context.Context, *Main) error {
	revoke := fs.Bool("retirer", false, "retirer le rôle au lieu de le donner")
	return func(ctx context.Context, m *Main) error {
		if fs.NArg() != 1 {
			return errors.New("usage : repere admin [-retirer] <adresse électronique d’un compte existant>")
		}
		if err := m.openBase(ctx); err != nil {
			return err
		}
		if err := m.openIndex(ctx, false); err != nil {
			return err
		}
		if err := m.openAccounts(ctx); err != nil {
			return err
		}
		email := fs.Arg(0)
		if err := m.Accounts.SetPlatformAdmin(ctx, email, !*revoke); err != nil {
			return err
		}
		if *revoke {
			fmt.Fprintf(os.Stderr, "%s n’est plus administrateur de la plateforme.\n", email)
		} else {
			fmt.Fprintf(os.Stderr, "%s est administrateur de la plateforme.\n", email)
		}
		return nil
	}
}
