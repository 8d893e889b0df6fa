package importer

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/repere-spie/repere/internal/directory"
)

func spreadsheetService(t *testing.T, e *env, structure *directory.Structure, ext string) *directory.Service {
	t.Helper()
	s, err := e.store.Service(context.Background(), stableID("service", SpreadsheetFeed.Name, spreadsheetSource, ext))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A CSV saved by Excel on a French Windows: Windows-1252, semicolons,
// headers as people write them, labels instead of codes, a decimal comma, a
// malformed row among good ones.
func TestSpreadsheetCSV(t *testing.T) {
	e := newEnv(t)
	content := "Identifiant;Nom du service;Thématiques;Public visé;Frais;Adresse;CP;Ville;Tél.;Latitude;Longitude;Accueil;Couleur préférée\n" +
		"c1;Crèche Les Lutins;Garde d’enfants;Familles;Gratuit;3 rue des Écoles;86000;Poitiers;05 49 11 22 33;46,5802;0,3404;Sur place;bleu\n" +
		"c2;Permis solidaire;Mobilité;Jeunes, Demandeurs d’emploi;payant;;86100;Châtellerault;;;;;\n" +
		"c3;;Santé;;;;86000;Poitiers;;;;;\n" +
		"c4;Atelier numérique;Cuisine créative;;;;99999;Nulle-part;;;;;\n"
	win, err := charmap.Windows1252.NewEncoder().String(content)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "services.csv")
	if err := os.WriteFile(path, []byte(win), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := e.run(&SpreadsheetReader{Path: path}, Options{})
	if rep.New != 2 || rep.Rejected != 2 || rep.Read != 4 {
		t.Fatalf("%+v", rep)
	}
	if rep.Rejections[0].Ref != "ligne 4" || !strings.Contains(rep.Rejections[0].Reason, "sans nom") ||
		rep.Rejections[1].Ref != "ligne 5" || !strings.Contains(rep.Rejections[1].Reason, "Impossible de situer") {
		t.Errorf("rejections %+v", rep.Rejections)
	}
	w := reasonsOf(rep.WarningKinds)
	if w["Colonne ignorée"] != 1 || w["Thématique : valeur inconnue"] != 1 {
		t.Errorf("warnings %+v", rep.WarningList)
	}
	c1 := spreadsheetService(t, e, nil, "c1")
	if c1.Name != "Crèche Les Lutins" || !slices.Equal(c1.Thematiques, []string{"famille--garde-denfants"}) || !slices.Equal(c1.Publics, []string{"familles"}) ||
		c1.Fees != "gratuit" || c1.Phone != "+33549112233" || *c1.Latitude != 46.5802 || c1.CodeInsee != "86194" || c1.Address != "3 rue des Écoles" ||
		!slices.Equal(c1.ReceptionModes, []string{"en-presentiel"}) || c1.Provenance.Position != directory.PositionSource {
		t.Errorf("c1: %+v", c1)
	}
	c2 := spreadsheetService(t, e, nil, "c2")
	if !slices.Equal(c2.Thematiques, directory.Besoins("mobilite")) || !slices.Equal(c2.Publics, []string{"jeunes", "demandeurs-emploi"}) || c2.CodeInsee != "86066" {
		t.Errorf("c2: %+v", c2)
	}
}

func reasonsOf(counts []Count) map[string]int {
	out := map[string]int{}
	for _, c := range counts {
		out[c.Reason] = c.N
	}
	return out
}

// An XLSX with columns the import does not know, named by a mapping file,
// for a registered structure; the template itself reads back.
func TestSpreadsheetXLSX(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	st := &directory.Structure{ID: "st-partenaire", Source: "repere", Name: "Association Tremplin", CodeInsee: "86194", CommuneName: "Poitiers"}
	if err := e.store.CreateStructure(ctx, st); err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	rows := [][]string{
		{"Intitulé de l’action", "Ce qu’on y fait", "Besoins", "Code postal"},
		{"Aide au permis", "Financement et accompagnement du permis de conduire.", "Préparer un permis", "86000"},
		{"Cours de français", "Cours pour adultes.", "Maîtriser le français", "86000"},
	}
	for i, r := range rows {
		_ = f.SetSheetRow("Sheet1", "A"+string(rune('1'+i)), &r)
	}
	path := filepath.Join(t.TempDir(), "actions.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	mapping, err := ParseMapping(strings.NewReader("# colonnes de l’association\nIntitulé de l'action;nom\nCe qu'on y fait = description\n"))
	if err != nil {
		t.Fatal(err)
	}
	rep := e.run(&SpreadsheetReader{Path: path, Mapping: mapping, Structure: st}, Options{})
	if rep.New != 2 || rep.Rejected != 0 || rep.StructuresNew != 0 {
		t.Fatalf("%+v", rep)
	}
	ids, err := e.store.ServiceIDsOfStructure(ctx, st.ID)
	if err != nil || len(ids) != 2 {
		t.Errorf("services of the structure: %v %v", ids, err)
	}
	// A second file for the same structure without "Cours de français":
	// gone, within the structure's scope only.
	rows = rows[:2]
	f2 := excelize.NewFile()
	for i, r := range rows {
		_ = f2.SetSheetRow("Sheet1", "A"+string(rune('1'+i)), &r)
	}
	if err := f2.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	rep = e.run(&SpreadsheetReader{Path: path, Mapping: mapping, Structure: st}, Options{})
	if rep.Unchanged != 1 || rep.Missing != 1 {
		t.Errorf("second file: %+v", rep)
	}
	if _, err := ParseMapping(strings.NewReader(`{"Intitulé": "titre"}`)); err == nil {
		t.Error("unknown field accepted in a mapping")
	}

	var buf bytes.Buffer
	if err := WriteTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	tpl := filepath.Join(t.TempDir(), "modele.xlsx")
	if err := os.WriteFile(tpl, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	rep = e.run(&SpreadsheetReader{Path: tpl}, Options{DryRun: true})
	if rep.New != 1 || rep.Rejected != 0 || rep.Warnings != 0 {
		t.Errorf("the template's example row: %+v", rep)
	}
}
