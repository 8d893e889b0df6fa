// Command repere-bench prints the performance figures of Repère (make bench):
// it starts the site through internal/app as the repere binary does, but is
// not part of what is deployed.
package main

import (
	"os"

	"github.com/repere-spie/repere/internal/app"
)

var commands = []app.Command{
	{Name: "prepare", Usage: "prépare un dossier de mesure (géographie, services de démonstration) et mesure la construction de l’index", Flags: benchPrepareCmd},
	{Name: "search", Usage: "mesure la recherche, l’API et la mémoire sur un dossier préparé", Flags: benchSearchCmd},
	{Name: "import", Usage: "mesure l’import de 100 000 services data·inclusion, leur nouvel import et celui des fichiers réels", Flags: benchImportCmd},
	{Name: "caches", Usage: "mesure la mémoire gardée par 10 000 flux et 10 000 aperçus d’horaires distincts", Flags: benchCachesCmd},
	{Name: "observatory", Usage: "mesure le calcul de la couverture de l’observatoire et la page d’un département sur un dossier préparé", Flags: benchObservatoryCmd},
	{Name: "alerts", Usage: "mesure le calcul et la mise en file des alertes hebdomadaires de 10 000 recherches enregistrées sur un dossier préparé", Flags: benchAlertsCmd},
	{Name: "opendata", Usage: "mesure les données ouvertes : pages de 1 000 services, téléchargement CSV d’une recherche, export complet", Flags: benchOpenDataCmd},
	{Name: "instances", Usage: "mesure plusieurs serveurs sur une même base : démarrage sur un index existant, délai de publication d’une instance à l’autre, lectures réparties", Flags: benchInstancesCmd},
	{Name: "foundation", Usage: "mesure l’import de la géographie, l’insertion de 100 000 services et les lectures par id", Flags: benchFoundationCmd},
}

func main() {
	app.Exit("repere-bench", app.Exec("repere-bench", commands, os.Args[1:]))
}
