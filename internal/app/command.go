package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/repere-spie/repere/internal/config"
)

// Command is an operator command: its words ("geo import"), a line of help,
// and a function that declares its flags and returns what it runs on a Main
// configured from the environment and the flags.
type Command struct {
	Name, Usage string
	Flags       func(fs *flag.FlagSet) func(ctx context.Context, m *Main) error
}

// Exec runs the command that args name, on a fresh Main closed afterwards,
// until it ends or the process is interrupted. With no command or -h it
// prints the usage of binary: its commands and every setting.
func Exec(binary string, commands []Command, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(os.Stdout, binary, commands)
		return nil
	}
	var cmd *Command
	for i := range commands {
		words := strings.Fields(commands[i].Name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == commands[i].Name {
			cmd, args = &commands[i], args[len(words):]
			break
		}
	}
	if cmd == nil {
		usage(os.Stderr, binary, commands)
		return fmt.Errorf("commande inconnue : %q", strings.Join(args, " "))
	}
	fs := flag.NewFlagSet(binary+" "+cmd.Name, flag.ContinueOnError)
	values := config.Flags(fs)
	exec := cmd.Flags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := config.Load(os.Getenv, values)
	if err != nil {
		return fmt.Errorf("configuration invalide :\n%w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Config: cfg, Logger: NewLogger(cfg.LogLevel)}
	defer m.Close()
	return exec(ctx, m)
}

// Exit ends the process after Exec: status 1 on an error, printed unless it
// is a request for help.
func Exit(binary string, err error) {
	if err == nil {
		return
	}
	if !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, binary+":", err)
	}
	os.Exit(1)
}

func usage(w io.Writer, binary string, commands []Command) {
	fmt.Fprintf(w, "Usage : %s <commande> [options]\n", binary)
	fmt.Fprintln(w, "\nCommandes :")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-18s %s\n", c.Name, c.Usage)
	}
	fmt.Fprintln(w, "\nRéglages (variable d’environnement, ou option de même nom) :")
	config.PrintSettings(w)
	fmt.Fprintf(w, "\nAide d’une commande : %s <commande> -h\n", binary)
}

// NewLogger logs text at level ("debug", "info", "warn", "error") to stderr.
func NewLogger(level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}
