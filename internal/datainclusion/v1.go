// Package datainclusion is the data·inclusion wire format: the v1 records
// (JSON Schema structure.json and service.json) read by the imports and
// written by the exports, their conversion to and from the domain, and the
// legacy v0 vocabulary mapped to v1.
package datainclusion

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Structure carries exactly the fields of the v1 structure; empty optional
// fields are null.
type Structure struct {
	AccessibiliteLieu *string `json:"accessibilite_lieu"`
	Adresse           *string `json:"adresse"`
	CodeInsee         *string `json:"code_insee"`
	CodePostal        *string `json:"code_postal"`
	Commune           *string `json:"commune"`
	ComplementAdresse *string `json:"complement_adresse"`
	Courriel          *string `json:"courriel"`
	DateMaj           string  `json:"date_maj"`
	Description       *string `json:"description"`
	HorairesAccueil   *string `json:"horaires_accueil"`
	ID                string  `json:"id"`
	Latitude          *Number `json:"latitude"`
	LienSource        *string `json:"lien_source"`
	Longitude         *Number `json:"longitude"`
	Nom               string  `json:"nom"`
	ReseauxPorteurs   List    `json:"reseaux_porteurs"`
	Siret             *string `json:"siret"`
	SiteWeb           *string `json:"site_web"`
	Source            string  `json:"source"`
	Telephone         *string `json:"telephone"`
}

// Service carries exactly the fields of the v1 service.
type Service struct {
	Adresse                   *string `json:"adresse"`
	CodeInsee                 *string `json:"code_insee"`
	CodePostal                *string `json:"code_postal"`
	Commune                   *string `json:"commune"`
	ComplementAdresse         *string `json:"complement_adresse"`
	ConditionsAcces           *string `json:"conditions_acces"`
	ContactNomPrenom          *string `json:"contact_nom_prenom"`
	Courriel                  *string `json:"courriel"`
	DateMaj                   string  `json:"date_maj"`
	Description               string  `json:"description"`
	Frais                     *string `json:"frais"`
	FraisPrecisions           *string `json:"frais_precisions"`
	HorairesAccueil           *string `json:"horaires_accueil"`
	ID                        string  `json:"id"`
	Latitude                  *Number `json:"latitude"`
	LienMobilisation          *string `json:"lien_mobilisation"`
	LienSource                *string `json:"lien_source"`
	Longitude                 *Number `json:"longitude"`
	MobilisablePar            List    `json:"mobilisable_par"`
	MobilisationPrecisions    *string `json:"mobilisation_precisions"`
	ModesAccueil              List    `json:"modes_accueil"`
	ModesMobilisation         List    `json:"modes_mobilisation"`
	Nom                       string  `json:"nom"`
	NombreSemaines            *int    `json:"nombre_semaines"`
	Publics                   List    `json:"publics"`
	PublicsPrecisions         *string `json:"publics_precisions"`
	Source                    string  `json:"source"`
	StructureID               string  `json:"structure_id"`
	Telephone                 *string `json:"telephone"`
	Thematiques               List    `json:"thematiques"`
	Type                      *string `json:"type"`
	VolumeHoraireHebdomadaire *Number `json:"volume_horaire_hebdomadaire"`
	ZoneEligibilite           List    `json:"zone_eligibilite"`
}

// List is a list of vocabulary values. It is written as a JSON array (null
// when empty) and read from what producers actually publish: an array, an
// array encoded as a JSON string ("[\"a\",\"b\"]"), a Postgres array literal
// ("{a,b}") or values separated by commas, semicolons or vertical bars.
type List []string

// UnmarshalJSON reads any of the shapes above.
func (l *List) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*l = nil
		return nil
	case len(b) > 0 && b[0] == '[':
		var vs []*string
		if err := json.Unmarshal(b, &vs); err != nil {
			return fmt.Errorf("liste illisible : %w", err)
		}
		out := make(List, 0, len(vs))
		for _, v := range vs {
			if v != nil && strings.TrimSpace(*v) != "" {
				out = append(out, strings.TrimSpace(*v))
			}
		}
		*l = out
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = ParseList(s)
		return nil
	}
	return fmt.Errorf("liste attendue, trouvé %.20s", b)
}

// ParseList reads a list written as text: a JSON array, a Postgres array
// literal, or values separated by commas, semicolons, vertical bars or line
// breaks. Blank values are dropped.
func ParseList(s string) List {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") {
		var l List
		if err := json.Unmarshal([]byte(s), &l); err == nil {
			return l
		}
	}
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		s = s[1 : len(s)-1]
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' || r == '\n' })
	out := make(List, 0, len(parts))
	for _, p := range parts {
		if p = strings.Trim(strings.TrimSpace(p), `"`); p != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Number is a decimal number, written as a JSON number and read from a
// number or from text with a decimal point or a decimal comma ("55,4465").
type Number float64

// UnmarshalJSON reads a number, a numeric string or null (which leaves the
// pointer holding it nil, as for any null).
func (n *Number) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, err := ParseNumber(s)
		if err != nil {
			return err
		}
		*n = Number(v)
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("nombre attendu, trouvé %.20s", b)
	}
	*n = Number(v)
	return nil
}

// ParseNumber reads a decimal number written with a point or a comma, with
// spaces as thousands separators.
func ParseNumber(s string) (float64, error) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f':
			return -1
		case ',':
			return '.'
		}
		return r
	}, s)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("« %s » n’est pas un nombre", s)
	}
	return v, nil
}

func num(p *float64) *Number {
	if p == nil {
		return nil
	}
	n := Number(*p)
	return &n
}

func float(p *Number) *float64 {
	if p == nil {
		return nil
	}
	f := float64(*p)
	return &f
}
