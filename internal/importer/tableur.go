package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/repere-spie/repere/internal/datainclusion"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// SpreadsheetFeed is what partners and territories keep in spreadsheets.
var SpreadsheetFeed = Feed{Name: "tableur", Label: "tableur", Licence: "transmis par la structure à Repère"}

const spreadsheetSource = "tableur"

// SpreadsheetReader reads services from a spreadsheet (.xlsx, or .csv in
// any of the encodings and separators Excel writes): one service per row,
// columns named as people name them ("Nom du service", "Thématiques",
// "Code postal", "Téléphone"…), vocabulary values by their label or their
// code. Mapping names the columns the built-in names miss. Structure, when
// set, is the structure every row belongs to; otherwise rows name theirs
// (columns "Structure" and "SIRET").
type SpreadsheetReader struct {
	Path      string
	Name      string            // the file's name as uploaded (Path may be a temporary file)
	Mapping   map[string]string // column → data·inclusion field
	Structure *directory.Structure
}

func (s *SpreadsheetReader) Feed() Feed { return SpreadsheetFeed }

func (s *SpreadsheetReader) Describe() string {
	d := "fichier " + s.name()
	if s.Structure != nil {
		d += ", structure " + s.Structure.Name
	}
	return d
}

func (s *SpreadsheetReader) name() string {
	if s.Name != "" {
		return s.Name
	}
	return filepath.Base(s.Path)
}

// Columns are the fields a spreadsheet may fill, each with the names people
// give its column (folded: accents, case and punctuation do not matter).
var Columns = []struct {
	Field, Label, Help string
	Names              []string
}{
	{"nom", "Nom du service", "obligatoire, 3 à 150 caractères", []string{"nom du service", "nom", "service", "intitule", "intitule du service", "titre", "libelle"}},
	{"description", "Description", "ce que le service apporte, pour qui, comment", []string{"description", "presentation", "descriptif", "description du service", "detail"}},
	{"thematiques", "Thématiques", "une ou plusieurs, séparées par des virgules (libellés ou codes data·inclusion)", []string{"thematiques", "thematique", "themes", "theme", "besoins", "besoin", "categories", "categorie"}},
	{"type", "Type de service", "accompagnement, aide financière, aide matérielle, atelier, formation ou information", []string{"type", "type de service", "nature"}},
	{"frais", "Frais", "gratuit ou payant", []string{"frais", "cout", "tarif", "gratuit ou payant", "gratuite"}},
	{"frais_precisions", "Précisions sur les frais", "", []string{"precisions sur les frais", "precisions frais", "tarifs"}},
	{"publics", "Publics", "séparés par des virgules (ex. jeunes, demandeurs d’emploi)", []string{"publics", "public", "public cible", "publics cibles", "publics vises", "public vise", "beneficiaires"}},
	{"publics_precisions", "Précisions sur les publics", "", []string{"precisions sur les publics", "precisions publics", "criteres"}},
	{"conditions_acces", "Conditions d’accès", "", []string{"conditions d acces", "conditions", "prerequis", "pre requis"}},
	{"adresse", "Adresse", "numéro et rue", []string{"adresse", "adresse postale", "rue", "adresse du lieu", "lieu"}},
	{"complement_adresse", "Complément d’adresse", "", []string{"complement d adresse", "complement adresse", "complement"}},
	{"code_postal", "Code postal", "5 chiffres", []string{"code postal", "cp", "code postale"}},
	{"commune", "Commune", "", []string{"commune", "ville", "localite"}},
	{"code_insee", "Code INSEE", "facultatif : trouvé d’après le code postal et la commune", []string{"code insee", "insee", "code commune", "code insee commune"}},
	{"latitude", "Latitude", "facultatif, ex. 46,58", []string{"latitude", "lat"}},
	{"longitude", "Longitude", "facultatif, ex. 0,34", []string{"longitude", "lon", "lng", "long"}},
	{"telephone", "Téléphone", "ex. 05 49 00 00 00", []string{"telephone", "tel", "numero de telephone", "n de telephone", "tel fixe", "portable"}},
	{"courriel", "Courriel", "", []string{"courriel", "email", "e mail", "mail", "adresse mail", "adresse email", "adresse electronique"}},
	{"contact_nom_prenom", "Contact", "nom et prénom de la personne à joindre", []string{"contact", "nom du contact", "interlocuteur", "referent", "personne a contacter"}},
	{"lien_source", "Lien vers la fiche", "adresse web de la page du service", []string{"lien", "site web", "site internet", "url", "page web", "lien source"}},
	{"modes_accueil", "Modes d’accueil", "en présentiel, à distance, ou les deux", []string{"modes d accueil", "mode d accueil", "accueil", "modalites d accueil"}},
	{"zone_eligibilite", "Zone d’éligibilité", "codes INSEE de communes, SIREN d’EPCI, numéros de départements, ou « france »", []string{"zone d eligibilite", "zone", "territoire", "perimetre", "zone d intervention"}},
	{"lien_mobilisation", "Lien d’inscription", "", []string{"lien de mobilisation", "lien d inscription", "inscription", "formulaire", "lien d orientation"}},
	{"modes_mobilisation", "Comment mobiliser", "téléphoner, envoyer un courriel, se présenter, utiliser le lien", []string{"modes de mobilisation", "mode de mobilisation", "comment mobiliser", "orientation"}},
	{"mobilisable_par", "Mobilisable par", "professionnels, usagers", []string{"mobilisable par", "qui peut mobiliser", "orientation par"}},
	{"mobilisation_precisions", "Précisions sur la mobilisation", "", []string{"precisions sur la mobilisation", "precisions mobilisation", "modalites d orientation"}},
	{"horaires_accueil", "Horaires", "au format OpenStreetMap, ex. Mo-Fr 09:00-12:00", []string{"horaires", "horaires d ouverture", "horaires d accueil", "jours et horaires"}},
	{"id", "Identifiant", "facultatif : votre référence du service, pour les mises à jour", []string{"identifiant", "id", "reference", "ref", "numero"}},
	{"date_maj", "Date de mise à jour", "facultatif, ex. 14/02/2026", []string{"date de mise a jour", "mise a jour", "date maj", "maj", "mis a jour le"}},
	{"structure", "Structure", "nom de la structure qui porte le service", []string{"structure", "nom de la structure", "organisme", "porteur", "structure porteuse", "operateur"}},
	{"siret", "SIRET de la structure", "14 chiffres", []string{"siret", "siret de la structure", "n siret", "numero siret"}},
}

// columnIndex maps folded column names to fields.
var columnIndex = func() map[string]string {
	m := map[string]string{}
	for _, c := range Columns {
		m[geo.Fold(c.Field)], m[geo.Fold(c.Label)] = c.Field, c.Field
		for _, n := range c.Names {
			m[n] = c.Field
		}
	}
	return m
}()

// ParseMapping reads a mapping file: a JSON object {"column": "field"}, or
// lines "column;field" (or "column = field").
func ParseMapping(r io.Reader) (map[string]string, error) {
	b, err := readAll(r, 1<<20)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	if trimmed := strings.TrimSpace(string(b)); strings.HasPrefix(trimmed, "{") {
		if err := json.Unmarshal(b, &out); err != nil {
			return nil, fmt.Errorf("fichier de correspondance illisible : %w", err)
		}
	} else {
		for i, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			col, field, ok := strings.Cut(line, ";")
			if !ok {
				col, field, ok = strings.Cut(line, "=")
			}
			if !ok {
				return nil, fmt.Errorf("fichier de correspondance, ligne %d : « colonne;champ » attendu", i+1)
			}
			out[strings.TrimSpace(col)] = strings.TrimSpace(field)
		}
	}
	for col, field := range out {
		if !slices.ContainsFunc(Columns, func(c struct {
			Field, Label, Help string
			Names              []string
		}) bool {
			return c.Field == field
		}) {
			return nil, fmt.Errorf("fichier de correspondance : champ inconnu « %s » pour la colonne « %s »", field, col)
		}
	}
	return out, nil
}

// rows streams the rows of the sheet: header first, then each row with its
// line number.
func (s *SpreadsheetReader) rows(fn func(line int, cells []string) error) error {
	f, err := os.Open(s.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	if strings.HasSuffix(strings.ToLower(s.name()), ".xlsx") {
		return xlsxRows(f, s.name(), fn)
	}
	t, err := openCSV(f, s.name())
	if err != nil {
		return err
	}
	if err := fn(1, t.Header); err != nil {
		return err
	}
	for {
		rec, line, err := t.Next()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("%s : %w", s.name(), err)
		}
		if err := fn(line, rec); err != nil {
			return err
		}
	}
}

// xlsxRows streams the first sheet of a workbook.
func xlsxRows(r io.Reader, name string, fn func(line int, cells []string) error) error {
	wb, err := excelize.OpenReader(r)
	if err != nil {
		return fmt.Errorf("%s n’est pas un classeur Excel lisible : %w", name, err)
	}
	defer wb.Close()
	sheets := wb.GetSheetList()
	if len(sheets) == 0 {
		return fmt.Errorf("%s ne contient aucune feuille", name)
	}
	rows, err := wb.Rows(sheets[0])
	if err != nil {
		return err
	}
	defer rows.Close()
	line := 0
	for rows.Next() {
		line++
		cells, err := rows.Columns()
		if err != nil {
			return fmt.Errorf("%s, ligne %d : %w", name, line, err)
		}
		if err := fn(line, cells); err != nil {
			return err
		}
	}
	return rows.Error()
}

func (s *SpreadsheetReader) Read(ctx context.Context, emit func(*Item) error) (Scope, error) {
	var fields []string // by column
	structures := map[string]bool{}
	err := s.rows(func(line int, cells []string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if fields == nil {
			var err error
			if fields, err = s.header(cells, emit); err != nil {
				return err
			}
			return nil
		}
		if blankRow(cells) {
			return nil
		}
		it := s.row(line, fields, cells)
		if it.Structure != nil {
			structures[it.Structure.Provenance.ExternalID] = true
			st := *it.Structure
			if err := emit(&Item{Ref: it.Ref, Structure: &st, Derived: true}); err != nil {
				return err
			}
			it.Structure = nil
		}
		return emit(it)
	})
	if err != nil {
		return Scope{}, err
	}
	if fields == nil {
		return Scope{}, fmt.Errorf("%s est vide", s.name())
	}
	scope := Scope{Sources: []string{spreadsheetSource}}
	if s.Structure != nil {
		scope.Structures = []string{s.Structure.ID}
	} else {
		for ext := range structures {
			scope.Structures = append(scope.Structures, stableID("structure", SpreadsheetFeed.Name, spreadsheetSource, ext))
		}
	}
	return scope, nil
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// header maps each column to a field, and warns about the columns it leaves.
func (s *SpreadsheetReader) header(cells []string, emit func(*Item) error) ([]string, error) {
	mapping := map[string]string{}
	for col, field := range s.Mapping {
		mapping[geo.Fold(col)] = field
	}
	fields := make([]string, len(cells))
	var unknown []string
	for i, c := range cells {
		k := geo.Fold(strings.TrimSpace(c))
		switch {
		case mapping[k] != "":
			fields[i] = mapping[k]
		case columnIndex[k] != "":
			fields[i] = columnIndex[k]
		case k != "":
			unknown = append(unknown, strings.TrimSpace(c))
		}
	}
	if !slices.Contains(fields, "nom") {
		return nil, fmt.Errorf("%s : aucune colonne « Nom du service » (colonnes lues : %s) ; renommez la colonne ou donnez un fichier de correspondance",
			s.name(), strings.Join(cells, ", "))
	}
	for _, u := range unknown {
		if err := emit(&Item{Ref: "ligne 1", Derived: true, Warnings: []string{fmt.Sprintf("Colonne ignorée : « %s »", u)}}); err != nil {
			return nil, err
		}
	}
	return fields, nil
}

// row turns one row into a service (and its structure, when the row names it).
func (s *SpreadsheetReader) row(line int, fields, cells []string) *Item {
	ref := fmt.Sprintf("ligne %d", line)
	v := map[string]string{}
	for i, c := range cells {
		if i < len(fields) && fields[i] != "" && strings.TrimSpace(c) != "" {
			v[fields[i]] = strings.TrimSpace(c)
		}
	}
	var w []string
	r := &datainclusion.Service{Source: spreadsheetSource, ID: v["id"], Nom: v["nom"], Description: v["description"], DateMaj: v["date_maj"]}
	for field, p := range map[string]**string{"frais_precisions": &r.FraisPrecisions, "publics_precisions": &r.PublicsPrecisions,
		"conditions_acces": &r.ConditionsAcces, "adresse": &r.Adresse, "complement_adresse": &r.ComplementAdresse, "code_postal": &r.CodePostal,
		"commune": &r.Commune, "code_insee": &r.CodeInsee, "telephone": &r.Telephone, "courriel": &r.Courriel, "contact_nom_prenom": &r.ContactNomPrenom,
		"lien_source": &r.LienSource, "lien_mobilisation": &r.LienMobilisation, "mobilisation_precisions": &r.MobilisationPrecisions, "horaires_accueil": &r.HorairesAccueil} {
		if x := v[field]; x != "" {
			*p = &x
		}
	}
	if pc := v["code_postal"]; len(pc) == 4 && strings.Trim(pc, "0123456789") == "" {
		pc = "0" + pc // Excel drops the leading zero of "01000"
		r.CodePostal = &pc
	}
	for field, p := range map[string]**datainclusion.Number{"latitude": &r.Latitude, "longitude": &r.Longitude} {
		if x := v[field]; x != "" {
			n, err := datainclusion.ParseNumber(x)
			if err != nil {
				w = append(w, fmt.Sprintf("Coordonnées ignorées : %v", err))
				continue
			}
			num := datainclusion.Number(n)
			*p = &num
		}
	}
	r.Thematiques = labelsToValues(&w, "Thématique", v["thematiques"], directory.Thematiques, directory.ThematiqueCategories)
	r.Publics = labelsToValues(&w, "Public", v["publics"], directory.Publics, nil)
	r.ModesAccueil = labelsToValues(&w, "Mode d’accueil", v["modes_accueil"], directory.ReceptionModes, nil)
	r.ModesMobilisation = labelsToValues(&w, "Mode de mobilisation", v["modes_mobilisation"], directory.MobilisationModes, nil)
	r.MobilisablePar = labelsToValues(&w, "Mobilisable par", v["mobilisable_par"], directory.Mobilisers, nil)
	if t := labelsToValues(&w, "Type", v["type"], directory.ServiceTypes, nil); len(t) > 0 {
		r.Type = &t[0]
	}
	if f := labelsToValues(&w, "Frais", v["frais"], directory.Fees, nil); len(f) > 0 {
		r.Frais = &f[0]
	}
	r.ZoneEligibilite = datainclusion.ParseList(v["zone_eligibilite"])
	svc, w2 := datainclusion.ToService(r)
	it := &Item{Ref: ref, Service: svc, Warnings: append(w, w2...)}
	switch {
	case s.Structure != nil:
		it.StructureID = s.Structure.ID
	case v["structure"] != "" || v["siret"] != "":
		st := &directory.Structure{Source: spreadsheetSource, Name: cmpOr(v["structure"], v["siret"]), SIRET: strings.ReplaceAll(v["siret"], " ", ""),
			CommuneName: v["commune"], PostalCode: derefOr(r.CodePostal), CodeInsee: v["code_insee"]}
		ext := "siret-" + st.SIRET
		if st.SIRET == "" {
			ext = contentID(st.Name, st.PostalCode, st.CommuneName)
		}
		st.Provenance.ExternalID = ext
		svc.StructureID = ext
		it.Structure = st
	}
	return it
}

func derefOr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// labelsToValues reads a list of vocabulary values written by label
// ("Garde d’enfants", "Demandeurs d'emploi") or by code, and a category
// label for all its besoins ("Mobilité"). Unknown ones are warned about.
func labelsToValues(w *[]string, what, cell string, v, categories *directory.Vocabulary) []string {
	var out []string
	add := func(x string) {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	for _, item := range datainclusion.ParseList(cell) {
		k := geo.Fold(item)
		found := false
		for _, t := range v.Terms() {
			if t.Value == strings.ToLower(strings.TrimSpace(item)) || geo.Fold(t.Label) == k {
				add(t.Value)
				found = true
				break
			}
		}
		if !found && categories != nil {
			for _, c := range categories.Terms() {
				if c.Value == strings.ToLower(item) || geo.Fold(c.Label) == k {
					for _, b := range directory.Besoins(c.Value) {
						add(b)
					}
					found = true
				}
			}
		}
		if !found {
			switch {
			case v == directory.ReceptionModes && (k == "sur place" || k == "presentiel"):
				add("en-presentiel")
				found = true
			case v == directory.Fees && (k == "oui" || k == "gratuite"):
				add("gratuit")
				found = true
			}
		}
		if !found {
			*w = append(*w, fmt.Sprintf("%s : valeur inconnue « %s », ignorée", what, item))
		}
	}
	return out
}

// WriteTemplate writes the spreadsheet partners fill in: a "Services"
// sheet whose columns are the ones the import reads, with an example row,
// and an "Instructions" sheet saying what goes in each column and the
// values the lists accept.
func WriteTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const data, help = "Services", "Instructions"
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return err
	}
	if _, err := f.NewSheet(help); err != nil {
		return err
	}
	example := map[string]string{
		"nom": "Atelier CV et lettre de motivation", "description": "Un atelier collectif pour rédiger son CV et sa lettre de motivation, avec un conseiller.",
		"thematiques": "Réaliser un CV et/ou une lettre de motivation", "type": "Atelier", "frais": "Gratuit", "publics": "Demandeurs d’emploi, Jeunes",
		"adresse": "1 place du Marché", "code_postal": "86000", "commune": "Poitiers", "telephone": "05 49 00 00 00", "modes_accueil": "En présentiel",
		"horaires_accueil": "Tu,Th 09:00-12:00", "structure": "Centre social du Marché",
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, c := range Columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		_ = f.SetCellStr(data, col+"1", c.Label)
		_ = f.SetCellStr(data, col+"2", example[c.Field])
		_ = f.SetColWidth(data, col, col, 24)
	}
	_ = f.SetRowStyle(data, 1, 1, bold)
	rows := [][]string{
		{"Modèle d’import des services dans Repère"},
		{"Une ligne par service, à partir de la ligne 2 de la feuille « Services » (remplacez l’exemple). Enregistrez en .xlsx, ou en CSV (UTF-8 ou Windows-1252, séparateur ; ou ,)."},
		{"Les listes se séparent par des virgules. Les noms de colonnes peuvent varier (« Tél. », « Ville », « Code postal »…) ; une colonne inconnue est ignorée et signalée dans le rapport."},
		{"Avant tout enregistrement, Repère affiche un rapport d’essai : lignes rejetées (avec la raison), avertissements, services nouveaux ou modifiés."},
		{},
		{"Colonne", "Champ data·inclusion", "Contenu"},
	}
	for _, c := range Columns {
		rows = append(rows, []string{c.Label, c.Field, c.Help})
	}
	rows = append(rows, []string{}, []string{"Valeurs acceptées (libellé ou code)"})
	for _, v := range []struct {
		title string
		voc   *directory.Vocabulary
	}{
		{"Thématiques (ou une catégorie entière : " + labels(directory.ThematiqueCategories) + ")", directory.Thematiques},
		{"Type de service", directory.ServiceTypes}, {"Frais", directory.Fees}, {"Publics", directory.Publics},
		{"Modes d’accueil", directory.ReceptionModes}, {"Comment mobiliser", directory.MobilisationModes}, {"Mobilisable par", directory.Mobilisers},
	} {
		rows = append(rows, []string{v.title})
		for _, t := range v.voc.Terms() {
			rows = append(rows, []string{"", t.Value, t.Label})
		}
	}
	for i, r := range rows {
		for j, cell := range r {
			col, _ := excelize.ColumnNumberToName(j + 1)
			_ = f.SetCellStr(help, fmt.Sprintf("%s%d", col, i+1), cell)
		}
	}
	_ = f.SetColWidth(help, "A", "A", 40)
	_ = f.SetColWidth(help, "B", "C", 60)
	_ = f.SetRowStyle(help, 1, 1, bold)
	_ = f.SetRowStyle(help, 6, 6, bold)
	_, err = f.WriteTo(w)
	return err
}

func labels(v *directory.Vocabulary) string {
	var out []string
	for _, t := range v.Terms() {
		out = append(out, t.Label)
	}
	return strings.Join(out, ", ")
}
