// Command repere runs the Repère site and its operator jobs.
package main

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

type command struct {
	name, usage string
	flags       func(fs *flag.FlagSet) func(ctx context.Context, m *Main) error
}

var commands = []command{
	{"serve", "démarre le site (importe la géographie et les données de démonstration au besoin)", serveCmd},
	{"geo import", "importe ou met à jour la géographie depuis REPERE_GEO_SOURCE", geoImportCmd},
	{"demo", "génère les données de démonstration dans la base, ou les exporte au format data·inclusion", demoCmd},
	{"admin", "donne (ou retire, -retirer) le rôle d’administrateur de la plateforme à un compte", adminCmd},
	{"index rebuild", "reconstruit l’index de recherche depuis la base, puis le met en service", indexRebuildCmd},
	{"index reconcile", "compare l’index à la base (id et version) et corrige les écarts", indexReconcileCmd},
	{"bench prepare", "prépare un dossier de mesure (géographie, services de démonstration) et mesure la construction de l’index", benchPrepareCmd},
	{"bench search", "mesure la recherche, l’API et la mémoire sur un dossier préparé", benchSearchCmd},
	{"bench foundation", "mesure l’import de la géographie, l’insertion de 100 000 services et les lectures par id", benchFoundationCmd},
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage : repere <commande> [options]")
	fmt.Fprintln(w, "\nCommandes :")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-18s %s\n", c.name, c.usage)
	}
	fmt.Fprintln(w, "\nRéglages (variable d’environnement, ou option de même nom) :")
	config.PrintSettings(w)
	fmt.Fprintln(w, "\nAide d’une commande : repere <commande> -h")
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "repere:", err)
		}
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(os.Stdout)
		return nil
	}
	var cmd *command
	for i := range commands {
		words := strings.Fields(commands[i].name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == commands[i].name {
			cmd, args = &commands[i], args[len(words):]
			break
		}
	}
	if cmd == nil {
		usage(os.Stderr)
		return fmt.Errorf("commande inconnue : %q", strings.Join(args, " "))
	}
	fs := flag.NewFlagSet("repere "+cmd.name, flag.ContinueOnError)
	values := config.Flags(fs)
	exec := cmd.flags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := config.Load(os.Getenv, values)
	if err != nil {
		return fmt.Errorf("configuration invalide :\n%w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Config: cfg, Logger: newLogger(cfg.LogLevel)}
	defer m.Close()
	return exec(ctx, m)
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}
