package seed

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"slices"

	"github.com/repere-spie/repere/internal/directory"
)

// diStructure and diService carry exactly the fields of the data·inclusion v1
// JSON Schema (structure.json, service.json); empty optional fields are null.
type diStructure struct {
	AccessibiliteLieu *string  `json:"accessibilite_lieu"`
	Adresse           *string  `json:"adresse"`
	CodeInsee         *string  `json:"code_insee"`
	CodePostal        *string  `json:"code_postal"`
	Commune           *string  `json:"commune"`
	ComplementAdresse *string  `json:"complement_adresse"`
	Courriel          *string  `json:"courriel"`
	DateMaj           string   `json:"date_maj"`
	Description       *string  `json:"description"`
	HorairesAccueil   *string  `json:"horaires_accueil"`
	ID                string   `json:"id"`
	Latitude          *float64 `json:"latitude"`
	LienSource        *string  `json:"lien_source"`
	Longitude         *float64 `json:"longitude"`
	Nom               string   `json:"nom"`
	ReseauxPorteurs   []string `json:"reseaux_porteurs"`
	Siret             *string  `json:"siret"`
	SiteWeb           *string  `json:"site_web"`
	Source            string   `json:"source"`
	Telephone         *string  `json:"telephone"`
}

type diService struct {
	Adresse                   *string  `json:"adresse"`
	CodeInsee                 *string  `json:"code_insee"`
	CodePostal                *string  `json:"code_postal"`
	Commune                   *string  `json:"commune"`
	ComplementAdresse         *string  `json:"complement_adresse"`
	ConditionsAcces           *string  `json:"conditions_acces"`
	ContactNomPrenom          *string  `json:"contact_nom_prenom"`
	Courriel                  *string  `json:"courriel"`
	DateMaj                   string   `json:"date_maj"`
	Description               string   `json:"description"`
	Frais                     *string  `json:"frais"`
	FraisPrecisions           *string  `json:"frais_precisions"`
	HorairesAccueil           *string  `json:"horaires_accueil"`
	ID                        string   `json:"id"`
	Latitude                  *float64 `json:"latitude"`
	LienMobilisation          *string  `json:"lien_mobilisation"`
	LienSource                *string  `json:"lien_source"`
	Longitude                 *float64 `json:"longitude"`
	MobilisablePar            []string `json:"mobilisable_par"`
	MobilisationPrecisions    *string  `json:"mobilisation_precisions"`
	ModesAccueil              []string `json:"modes_accueil"`
	ModesMobilisation         []string `json:"modes_mobilisation"`
	Nom                       string   `json:"nom"`
	NombreSemaines            *int     `json:"nombre_semaines"`
	Publics                   []string `json:"publics"`
	PublicsPrecisions         *string  `json:"publics_precisions"`
	Source                    string   `json:"source"`
	StructureID               string   `json:"structure_id"`
	Telephone                 *string  `json:"telephone"`
	Thematiques               []string `json:"thematiques"`
	Type                      *string  `json:"type"`
	VolumeHoraireHebdomadaire *float64 `json:"volume_horaire_hebdomadaire"`
	ZoneEligibilite           []string `json:"zone_eligibilite"`
}

func str(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func list(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	return l
}

// WriteDataInclusion writes the dataset as data·inclusion v1 JSON: one array
// of structures and one of services. Every structure is written; services
// only when visible at opt.Now (published and not suspended), since the
// schema has no publication status. A région zone is written as the codes of
// its départements, as the schema asks.
func WriteDataInclusion(structures, services io.Writer, g *directory.Geography, opt Options) error {
	opt = opt.withDefaults()
	regionDeps := map[string][]string{}
	for _, d := range g.Departements {
		regionDeps[d.Region] = append(regionDeps[d.Region], d.Code)
	}
	sw, vw := newArrayWriter(structures), newArrayWriter(services)
	err := Generate(g, opt, func(st *directory.Structure, ss []*directory.Service) error {
		if err := sw.write(structureRecord(st)); err != nil {
			return err
		}
		for _, s := range ss {
			if !s.Visible(opt.Now) {
				continue
			}
			if err := vw.write(serviceRecord(s, regionDeps)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := sw.close(); err != nil {
		return err
	}
	return vw.close()
}

func structureRecord(st *directory.Structure) *diStructure {
	return &diStructure{
		AccessibiliteLieu: str(st.AccessibilityLink),
		Adresse:           str(st.Address),
		CodeInsee:         str(st.CodeInsee),
		CodePostal:        str(st.PostalCode),
		Commune:           str(st.CommuneName),
		ComplementAdresse: str(st.AddressComplement),
		Courriel:          str(st.Email),
		DateMaj:           st.UpdatedAt.In(directory.Paris).Format("2006-01-02"),
		Description:       str(st.Description),
		HorairesAccueil:   str(st.OpeningHours),
		ID:                st.ID,
		Latitude:          st.Latitude,
		LienSource:        str(st.SourceLink),
		Longitude:         st.Longitude,
		Nom:               st.Name,
		ReseauxPorteurs:   list(st.Networks),
		Siret:             str(st.SIRET),
		SiteWeb:           str(st.Website),
		Source:            st.Source,
		Telephone:         str(st.Phone),
	}
}

func serviceRecord(s *directory.Service, regionDeps map[string][]string) *diService {
	return &diService{
		Adresse:                   str(s.Address),
		CodeInsee:                 str(s.CodeInsee),
		CodePostal:                str(s.PostalCode),
		Commune:                   str(s.CommuneName),
		ComplementAdresse:         str(s.AddressComplement),
		ConditionsAcces:           str(s.AccessConditions),
		ContactNomPrenom:          str(s.ContactName),
		Courriel:                  str(s.Email),
		DateMaj:                   s.UpdatedAt.In(directory.Paris).Format("2006-01-02"),
		Description:               s.Description,
		Frais:                     str(s.Fees),
		FraisPrecisions:           str(s.FeesDetails),
		HorairesAccueil:           str(s.OpeningHours),
		ID:                        s.ID,
		Latitude:                  s.Latitude,
		LienMobilisation:          str(s.MobilisationLink),
		LienSource:                str(s.SourceLink),
		Longitude:                 s.Longitude,
		MobilisablePar:            list(s.MobilisableBy),
		MobilisationPrecisions:    str(s.MobilisationDetails),
		ModesAccueil:              list(s.ReceptionModes),
		ModesMobilisation:         list(s.MobilisationModes),
		Nom:                       s.Name,
		NombreSemaines:            s.WeeksCount,
		Publics:                   list(s.Publics),
		PublicsPrecisions:         str(s.PublicsDetails),
		Source:                    s.Source,
		StructureID:               s.StructureID,
		Telephone:                 str(s.Phone),
		Thematiques:               list(s.Thematiques),
		Type:                      str(s.Type),
		VolumeHoraireHebdomadaire: s.WeeklyHours,
		ZoneEligibilite:           zoneCodes(s.EligibilityZone, regionDeps),
	}
}

// zoneCodes writes zones the data·inclusion way: codes without their kind, a
// région as its départements.
func zoneCodes(zones []directory.Zone, regionDeps map[string][]string) []string {
	var out []string
	add := func(code string) {
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	for _, z := range zones {
		switch z.Kind {
		case directory.ZoneFrance:
			add("france")
		case directory.ZoneRegion:
			for _, d := range regionDeps[z.Code] {
				add(d)
			}
		default:
			add(z.Code)
		}
	}
	return out
}

// arrayWriter streams a JSON array, one element per line.
type arrayWriter struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	n   int
}

func newArrayWriter(w io.Writer) *arrayWriter {
	a := &arrayWriter{w: bufio.NewWriterSize(w, 64<<10)}
	a.enc = json.NewEncoder(&a.buf)
	a.enc.SetEscapeHTML(false)
	return a
}

func (a *arrayWriter) write(v any) error {
	a.buf.Reset()
	if err := a.enc.Encode(v); err != nil {
		return err
	}
	sep := ",\n"
	if a.n == 0 {
		sep = "[\n"
	}
	a.n++
	a.w.WriteString(sep)
	_, err := a.w.Write(bytes.TrimSuffix(a.buf.Bytes(), []byte("\n")))
	return err
}

func (a *arrayWriter) close() error {
	if a.n == 0 {
		a.w.WriteString("[")
	}
	a.w.WriteString("\n]\n")
	return a.w.Flush()
}
