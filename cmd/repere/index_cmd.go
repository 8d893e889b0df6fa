package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"
)

func indexRebuildCmd(fs *flag.FlagSet) func(context.Context, *Main) error {
	return func(ctx context.Context, m *Main) error {
		if err := m.openBase(ctx); err != nil {
			return err
		}
		return m.openIndex(ctx, true)
	}
}

func indexReconcileCmd(fs *flag.FlagSet) func(context.Context, *Main) error {
	return func(ctx context.Context, m *Main) error {
		if err := m.openBase(ctx); err != nil {
			return err
		}
		if err := m.openIndex(ctx, false); err != nil {
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
