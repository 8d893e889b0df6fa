package datainclusion

import (
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// v0.csv maps every value of the v0 vocabularies (reference
// data-inclusion-schema/v0) to its v1 values: one row per v0 value, the v1
// values separated by spaces, none when v1 has no equivalent (the note says
// why). "categorie--*" stands for every besoin of a v1 category, used only
// when the record names no precise besoin of that category. v0_test.go checks
// the file against both schemas value by value.
//
//go:embed v0.csv
var v0CSV string

// V0 vocabularies, as named in the schema's file names.
const (
	V0Thematiques         = "thematiques"
	V0Profils             = "profils"
	V0Frais               = "frais"
	V0TypesServices       = "typologies-de-services"
	V0ModesAccueil        = "modes-accueil"
	V0OrientationPro      = "modes-orientation-accompagnateur"
	V0OrientationUsager   = "modes-orientation-beneficiaire"
	V0ZoneTypes           = "zones-de-diffusion-types"
	V0TypesStructures     = "typologies-de-structures"
	V0LabelsNationaux     = "labels-nationaux"
	wildcard              = "--*"
	mobilisableParPro     = "professionnels"
	mobilisableParUsagers = "usagers"
)

// V0Term is one row of the mapping.
type V0Term struct {
	Vocabulary, Value string
	V1                []string // empty: no v1 equivalent
	Note              string
}

var v0Terms, v0Index = loadV0()

func loadV0() ([]V0Term, map[string]map[string]*V0Term) {
	rows, err := csv.NewReader(strings.NewReader(v0CSV)).ReadAll()
	if err != nil || len(rows) < 2 {
		panic(fmt.Sprintf("datainclusion: v0.csv: %v", err)) // embedded: checked by the tests
	}
	terms := make([]V0Term, 0, len(rows)-1)
	for _, r := range rows[1:] {
		terms = append(terms, V0Term{Vocabulary: r[0], Value: r[1], V1: strings.Fields(r[2]), Note: r[3]})
	}
	index := map[string]map[string]*V0Term{}
	for i := range terms {
		t := &terms[i]
		if index[t.Vocabulary] == nil {
			index[t.Vocabulary] = map[string]*V0Term{}
		}
		index[t.Vocabulary][t.Value] = t
	}
	return terms, index
}

// V0Terms returns the whole mapping, in file order.
func V0Terms() []V0Term { return slices.Clone(v0Terms) }

// MapV0 maps v0 values of a vocabulary to v1 values, in order and without
// repeats. It returns the values it could not map: unknown to v0, or without
// a v1 equivalent. Values are matched without regard to case and spaces,
// except for the upper-case typologies of structures.
func MapV0(vocabulary string, values []string) (v1, unmapped []string) {
	var wild []string
	for _, v := range values {
		key := strings.TrimSpace(v)
		if vocabulary != V0TypesStructures {
			key = strings.ToLower(key)
		}
		t := v0Index[vocabulary][key]
		if t == nil || len(t.V1) == 0 {
			if key != "" {
				unmapped = append(unmapped, v)
			}
			continue
		}
		for _, x := range t.V1 {
			switch {
			case strings.HasSuffix(x, wildcard):
				wild = append(wild, strings.TrimSuffix(x, wildcard))
			case !slices.Contains(v1, x):
				v1 = append(v1, x)
			}
		}
	}
	for _, category := range wild {
		if slices.ContainsFunc(v1, func(x string) bool { return strings.HasPrefix(x, category+"--") }) {
			continue // a precise besoin of the category says more
		}
		for _, x := range directory.Besoins(category) {
			if !slices.Contains(v1, x) {
				v1 = append(v1, x)
			}
		}
	}
	return v1, unmapped
}

// V0Service is a v0 service (schema v0 service.json), read leniently.
type V0Service struct {
	ID                                  string  `json:"id"`
	StructureID                         string  `json:"structure_id"`
	Source                              string  `json:"source"`
	Nom                                 string  `json:"nom"`
	PresentationResume                  *string `json:"presentation_resume"`
	PresentationDetail                  *string `json:"presentation_detail"`
	Types                               List    `json:"types"`
	Thematiques                         List    `json:"thematiques"`
	Frais                               List    `json:"frais"`
	FraisAutres                         *string `json:"frais_autres"`
	Profils                             List    `json:"profils"`
	ProfilsPrecisions                   *string `json:"profils_precisions"`
	PreRequis                           List    `json:"pre_requis"`
	Justificatifs                       List    `json:"justificatifs"`
	Adresse                             *string `json:"adresse"`
	ComplementAdresse                   *string `json:"complement_adresse"`
	Commune                             *string `json:"commune"`
	CodePostal                          *string `json:"code_postal"`
	CodeInsee                           *string `json:"code_insee"`
	Longitude                           *Number `json:"longitude"`
	Latitude                            *Number `json:"latitude"`
	Telephone                           *string `json:"telephone"`
	Courriel                            *string `json:"courriel"`
	ContactNomPrenom                    *string `json:"contact_nom_prenom"`
	ModesAccueil                        List    `json:"modes_accueil"`
	ModesOrientationAccompagnateur      List    `json:"modes_orientation_accompagnateur"`
	ModesOrientationAccompagnateurAutre *string `json:"modes_orientation_accompagnateur_autres"`
	ModesOrientationBeneficiaire        List    `json:"modes_orientation_beneficiaire"`
	ModesOrientationBeneficiaireAutre   *string `json:"modes_orientation_beneficiaire_autres"`
	LienSource                          *string `json:"lien_source"`
	PageWeb                             *string `json:"page_web"`
	FormulaireEnLigne                   *string `json:"formulaire_en_ligne"`
	PriseRdv                            *string `json:"prise_rdv"`
	ZoneDiffusionType                   *string `json:"zone_diffusion_type"`
	ZoneDiffusionCode                   *string `json:"zone_diffusion_code"`
	DateMaj                             string  `json:"date_maj"`
	DateSuspension                      *string `json:"date_suspension"`
	NombreSemaines                      *int    `json:"nombre_semaines"`
	VolumeHoraireHebdomadaire           *Number `json:"volume_horaire_hebdomadaire"`
}

// V0Structure is a v0 structure (schema v0 structure.json), read leniently.
type V0Structure struct {
	ID                 string  `json:"id"`
	Source             string  `json:"source"`
	Nom                string  `json:"nom"`
	Siret              *string `json:"siret"`
	Commune            *string `json:"commune"`
	CodePostal         *string `json:"code_postal"`
	CodeInsee          *string `json:"code_insee"`
	Adresse            *string `json:"adresse"`
	ComplementAdresse  *string `json:"complement_adresse"`
	Longitude          *Number `json:"longitude"`
	Latitude           *Number `json:"latitude"`
	Typologie          *string `json:"typologie"`
	Telephone          *string `json:"telephone"`
	Courriel           *string `json:"courriel"`
	SiteWeb            *string `json:"site_web"`
	PresentationResume *string `json:"presentation_resume"`
	PresentationDetail *string `json:"presentation_detail"`
	DateMaj            string  `json:"date_maj"`
	LienSource         *string `json:"lien_source"`
	HorairesOuverture  *string `json:"horaires_ouverture"`
	Accessibilite      *string `json:"accessibilite"`
	LabelsNationaux    List    `json:"labels_nationaux"`
}

// v0Aliases name the v0 fields in the extracts people publish: the
// pilotage tables of data·inclusion write "Service ID", "Code Postal",
// "Long", "Lat"…; keys are folded first ("Code Postal" → "code_postal").
var v0Aliases = map[string]string{
	"service_id": "id", "long": "longitude", "lat": "latitude", "lon": "longitude", "lng": "longitude",
	"structure": "structure_id", "typologie_structure": "typologie",
}

// FieldKey folds a column or key name the way people vary it: accents,
// case, spaces and punctuation ("Code Postal", "code-postal" and
// "CODE_POSTAL" all give "code_postal").
func FieldKey(name string) string {
	return strings.ReplaceAll(geo.Fold(name), " ", "_")
}

// decodeV0 reads a v0 object whose keys may be spelt as in the extracts.
func decodeV0(b []byte, out any) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	norm := make(map[string]json.RawMessage, len(raw))
	for k, v := range raw {
		k = FieldKey(k)
		if a, ok := v0Aliases[k]; ok {
			k = a
		}
		if string(v) == `""` {
			v = json.RawMessage("null") // empty cells of the extracts
		}
		norm[k] = v
	}
	b, err := json.Marshal(norm)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// DecodeV0Service reads one v0 service object.
func DecodeV0Service(b []byte) (*V0Service, error) {
	var s V0Service
	if err := decodeV0(b, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// DecodeV0Structure reads one v0 structure object.
func DecodeV0Structure(b []byte) (*V0Structure, error) {
	var s V0Structure
	if err := decodeV0(b, &s); err != nil {
		return nil, err
	}
	return &s, nil
}

var v0FeeLabels = map[string]string{
	"adhesion": "Adhésion", "gratuit-sous-conditions": "Gratuit sous conditions", "pass-numerique": "Accepte le pass numérique",
}

func unmappedWarnings(w *Warnings, what string, values []string) {
	for _, v := range values {
		w.add("%s v0 sans équivalent v1, ignoré : « %s »", what, v)
	}
}

// JoinText joins the non-empty parts as paragraphs.
func JoinText(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n\n")
}

func ptr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// ToV1 converts a v0 service into the domain through the v1 vocabulary. A
// service whose suspension date has passed is reported by the returned error.
func (v *V0Service) ToV1(now time.Time) (*directory.Service, Warnings, error) {
	var w Warnings
	if d := val(v.DateSuspension); d != "" {
		if t, err := ParseDate(d); err == nil && t.Before(now) {
			return nil, nil, fmt.Errorf("service suspendu par la source depuis le %s", directory.FrenchDate(t))
		}
	}
	r := &Service{
		ID: v.ID, StructureID: v.StructureID, Source: v.Source, Nom: v.Nom, DateMaj: v.DateMaj,
		Description: JoinText(val(v.PresentationDetail), val(v.PresentationResume)),
		Adresse:     v.Adresse, ComplementAdresse: v.ComplementAdresse, Commune: v.Commune,
		CodePostal: v.CodePostal, CodeInsee: v.CodeInsee, Longitude: v.Longitude, Latitude: v.Latitude,
		Telephone: v.Telephone, Courriel: v.Courriel, ContactNomPrenom: v.ContactNomPrenom,
		ModesAccueil: v.ModesAccueil, NombreSemaines: v.NombreSemaines, VolumeHoraireHebdomadaire: v.VolumeHoraireHebdomadaire,
		PublicsPrecisions: v.ProfilsPrecisions,
	}
	var unmapped []string
	r.Thematiques, unmapped = MapV0(V0Thematiques, v.Thematiques)
	unmappedWarnings(&w, "Thématique", unmapped)
	r.Publics, unmapped = MapV0(V0Profils, v.Profils)
	unmappedWarnings(&w, "Profil", unmapped)
	if slices.Contains(r.Publics, "tous-publics") && len(r.Publics) > 1 {
		r.Publics = List{"tous-publics"} // v1 does not combine it with others
	}
	types, unmapped := MapV0(V0TypesServices, v.Types)
	unmappedWarnings(&w, "Type de service", unmapped)
	if len(types) > 0 {
		r.Type = &types[0]
	}
	fees, unmapped := MapV0(V0Frais, v.Frais)
	unmappedWarnings(&w, "Frais", unmapped)
	var feeNotes []string
	for _, f := range v.Frais {
		if l := v0FeeLabels[strings.ToLower(strings.TrimSpace(f))]; l != "" {
			feeNotes = append(feeNotes, l)
		}
	}
	switch {
	case slices.Contains(fees, "payant"):
		r.Frais = ptr("payant")
	case len(fees) > 0:
		r.Frais = ptr(fees[0])
	}
	r.FraisPrecisions = ptr(JoinText(strings.Join(feeNotes, ", "), val(v.FraisAutres)))
	var conditions []string
	if len(v.PreRequis) > 0 {
		conditions = append(conditions, "Prérequis : "+strings.Join(v.PreRequis, ", "))
	}
	if len(v.Justificatifs) > 0 {
		conditions = append(conditions, "Justificatifs : "+strings.Join(v.Justificatifs, ", "))
	}
	r.ConditionsAcces = ptr(strings.Join(conditions, "\n"))
	// "autre" has no v1 mode: the free text of *_autres says how.
	pro, _ := MapV0(V0OrientationPro, v.ModesOrientationAccompagnateur)
	usr, _ := MapV0(V0OrientationUsager, v.ModesOrientationBeneficiaire)
	for _, m := range append(pro, usr...) {
		if !slices.Contains(r.ModesMobilisation, m) {
			r.ModesMobilisation = append(r.ModesMobilisation, m)
		}
	}
	if len(v.ModesOrientationAccompagnateur) > 0 {
		r.MobilisablePar = append(r.MobilisablePar, mobilisableParPro)
	}
	if len(v.ModesOrientationBeneficiaire) > 0 {
		r.MobilisablePar = append(r.MobilisablePar, mobilisableParUsagers)
	}
	r.MobilisationPrecisions = ptr(JoinText(val(v.ModesOrientationAccompagnateurAutre), val(v.ModesOrientationBeneficiaireAutre)))
	r.LienMobilisation = ptr(cmpOr(val(v.FormulaireEnLigne), val(v.PriseRdv)))
	r.LienSource = ptr(cmpOr(val(v.LienSource), val(v.PageWeb)))

	s, w2 := ToService(r)
	w = append(w, w2...)
	if z, ok := v0Zone(val(v.ZoneDiffusionType), val(v.ZoneDiffusionCode)); ok {
		s.EligibilityZone = []directory.Zone{z}
	} else if val(v.ZoneDiffusionType) != "" {
		w.add("Zone de diffusion illisible, ignorée : « %s %s »", val(v.ZoneDiffusionType), val(v.ZoneDiffusionCode))
	}
	return s, w, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// v0Zone reads zone_diffusion_type and zone_diffusion_code.
func v0Zone(kind, code string) (directory.Zone, bool) {
	mapped, _ := MapV0(V0ZoneTypes, []string{kind})
	if len(mapped) != 1 {
		return directory.Zone{}, false
	}
	if mapped[0] == "france" {
		return directory.France, true
	}
	z := directory.Zone{Kind: directory.ZoneKind(mapped[0]), Code: strings.ToUpper(code)}
	parsed, ok := directory.ParseZoneKey(z.Key())
	return parsed, ok
}

// ToV1 converts a v0 structure into the domain: its typologie and national
// labels become v1 networks (reseaux_porteurs).
func (v *V0Structure) ToV1() (*directory.Structure, Warnings) {
	var w Warnings
	r := &Structure{
		ID: v.ID, Source: v.Source, Nom: v.Nom, Siret: v.Siret, Commune: v.Commune, CodePostal: v.CodePostal,
		CodeInsee: v.CodeInsee, Adresse: v.Adresse, ComplementAdresse: v.ComplementAdresse,
		Longitude: v.Longitude, Latitude: v.Latitude, Telephone: v.Telephone, Courriel: v.Courriel,
		SiteWeb: v.SiteWeb, DateMaj: v.DateMaj, LienSource: v.LienSource, AccessibiliteLieu: v.Accessibilite,
		Description:     ptr(JoinText(val(v.PresentationDetail), val(v.PresentationResume))),
		HorairesAccueil: v.HorairesOuverture,
	}
	var networks []string
	if t := val(v.Typologie); t != "" {
		n, unmapped := MapV0(V0TypesStructures, []string{t})
		networks = append(networks, n...)
		unmappedWarnings(&w, "Typologie", unmapped)
	}
	labels, unmapped := MapV0(V0LabelsNationaux, v.LabelsNationaux)
	unmappedWarnings(&w, "Label national", unmapped)
	for _, l := range labels {
		if !slices.Contains(networks, l) {
			networks = append(networks, l)
		}
	}
	r.ReseauxPorteurs = networks
	st, w2 := ToStructure(r)
	return st, append(w, w2...)
}
