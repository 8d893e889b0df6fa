// Command repere runs the Repère site and its operator jobs; the wiring is
// internal/app's.
package main

import (
	"os"

	"github.com/repere-spie/repere/internal/app"
)

var commands = []app.Command{
	{Name: "serve", Usage: "démarre le site (importe la géographie et les données de démonstration au besoin)", Flags: serveCmd},
	{Name: "sonde", Usage: "vérifie que le site de REPERE_ADDR est prêt (/readyz), pour les contrôles de santé des conteneurs", Flags: probeCmd},
	{Name: "geo import", Usage: "importe ou met à jour la géographie depuis REPERE_GEO_SOURCE", Flags: geoImportCmd},
	{Name: "demo", Usage: "génère les données de démonstration dans la base, ou les exporte au format data·inclusion", Flags: demoCmd},
	{Name: "admin", Usage: "donne (ou retire, -retirer) le rôle d’administrateur de la plateforme à un compte", Flags: adminCmd},
	{Name: "import datainclusion", Usage: "importe ou synchronise l’offre data·inclusion : fichiers (-dir) ou API (-api, -token)", Flags: importDataInclusionCmd},
	{Name: "import france-services", Usage: "importe ou synchronise la liste nationale des France services (fichier CSV de l’ANCT)", Flags: importFranceServicesCmd},
	{Name: "import tableur", Usage: "importe les services d’un tableur (.xlsx, .csv) ; -modele écrit le modèle à remplir", Flags: importSpreadsheetCmd},
	{Name: "index rebuild", Usage: "reconstruit l’index de recherche depuis la base, puis le met en service", Flags: indexRebuildCmd},
	{Name: "index reconcile", Usage: "compare l’index à la base (id et version) et corrige les écarts", Flags: indexReconcileCmd},
}

func main() {
	app.Exit("repere", app.Exec("repere", commands, os.Args[1:]))
}
