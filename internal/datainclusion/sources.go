package datainclusion

import (
	"github.com/repere-spie/repere/internal/directory"
)

// sourceNames are the producers data·inclusion aggregates (reference
// data-inclusion/sources.json), as people know them.
var sourceNames = map[string]string{
	"action-logement": "Action Logement", "agefiph": "Agefiph", "cd35": "Annuaire social d’Ille-et-Vilaine", "dora": "DORA",
	"emplois-de-linclusion": "Les emplois de l’inclusion", "france-travail": "France Travail", "mission-locale": "Mission Locale",
	"mediation-numerique": "Cartographie nationale des lieux de médiation numérique", "mes-aides": "Mes Aides (France Travail)",
	"monenfant": "Mon enfant", "reseau-alpha": "Réseau Alpha", "soliguide": "Soliguide", "fredo": "Fredo",
	"carif-oref": "Réseau des Carif-Oref", "ma-boussole-aidants": "Ma Boussole Aidants", "finess": "FINESS", "odspep": "ODSPEP",
}

// SourceName is the name of a data·inclusion source ("monenfant" is "Mon
// enfant"), or the slug itself when unknown.
func SourceName(slug string) string {
	if n, ok := sourceNames[slug]; ok {
		return n
	}
	return slug
}

// Origin says where an imported record comes from, for people: the
// producer, the channel it came through (empty when direct), the
// producer's date, the licence.
type Origin struct {
	Source, Via, Licence string
	Date                 string // French, "14 février 2025"; empty when unknown
	DateISO              string
}

// OriginOf describes the provenance of a record; ok is false for records
// typed on Repère or generated.
func OriginOf(source string, p directory.Provenance) (Origin, bool) {
	if p.Kind != "import" {
		return Origin{}, false
	}
	o := Origin{Licence: p.Licence}
	switch p.Feed {
	case "datainclusion":
		o.Source, o.Via = SourceName(source), "data·inclusion"
	case "france-services":
		o.Source = "ANCT, liste des structures France services"
	case "tableur":
		o.Source = "tableur transmis à Repère"
	default:
		o.Source = source
	}
	d := p.SourceDate
	if d == nil {
		d = p.ImportedAt
	}
	if d != nil {
		o.Date, o.DateISO = directory.FrenchDate(*d), d.In(directory.Paris).Format("2006-01-02")
	}
	return o, true
}

// Sentence is the origin in one line: "Source : Mon enfant, via
// data·inclusion, mis à jour le 14 février 2025".
func (o Origin) Sentence() string {
	s := "Source : " + o.Source
	if o.Via != "" {
		s += ", via " + o.Via
	}
	if o.Date != "" {
		s += ", mis à jour le " + o.Date
	}
	return s
}
