package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/repere-spie/repere/internal/app"
)

func indexRebuildCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	return func(ctx context.Context, m *app.Main) error {
		if err := m.OpenBase(ctx); err != nil {
			return err
		}
		return m.OpenIndex(ctx, true)
	}
}

func indexReconcileCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	return func(ctx context.Context, m *app.Main) error {
		if err := m.OpenBase(ctx); err != nil {
			return err
		}
		if err := m.OpenIndex(ctx, false); err != nil {
			return err
		}
		start := time.Now()
		n, err := m.Catalog.Reconcile(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "Index vérifié en %.1f s : %d services réindexés ou retirés\n", time.Since(start).Seconds(), n)
		return nil
	}
}
