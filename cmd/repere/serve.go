package main

import (
	"context"
	"flag"
)

func serveCmd(fs *flag.FlagSet) func(context.Context, *Main) error {
	return func(ctx context.Context, m *Main) error {
		if err := m.Open(ctx); err != nil {
			return err
		}
		return m.Run(ctx)
	}
}
