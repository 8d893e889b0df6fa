package ui

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/openinghours"
)

type apiSearchResponse struct {
	Total   int                    `json:"total"`
	Page    int                    `json:"page"`
	Size    int                    `json:"size"`
	Centre  *apiPoint              `json:"centre"`
	Commune *apiCommuneRef         `json:"commune"`
	Results []apiHit               `json:"results"`
	Facets  map[string][]apiFacetV `json:"facets"`
}

type apiPoint struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

type apiCommuneRef struct {
	Code string `json:"code"`
	Nom  string `json:"nom"`
}

type apiRef struct {
	ID  string `json:"id"`
	Nom string `json:"nom"`
}

type apiTerm struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

type apiHit struct {
	ID           string         `json:"id"`
	Nom          string         `json:"nom"`
	Structure    apiRef         `json:"structure"`
	Commune      *apiCommuneRef `json:"commune"`
	DistanceM    *int           `json:"distance_m"`
	ADistance    bool           `json:"a_distance"`
	Thematiques  []apiTerm      `json:"thematiques"`
	ModesAccueil []apiTerm      `json:"modes_accueil"`
	Frais        *apiTerm       `json:"frais"`
	Extrait      string         `json:"extrait"`
	Horaires     string         `json:"horaires_accueil,omitempty"`
	Ouvert       *bool          `json:"ouvert_maintenant,omitempty"` // at the time of the request, when the hours are known
	DateMaj      string         `json:"date_maj"`
	URL          string         `json:"url"`
}

type apiFacetV struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

func (s *Server) apiSearch(c *fiber.Ctx) error {
	q, err := directory.ParseSearch(queryValues(c), directory.APISearch, s.Gazetteer)
	if err != nil {
		return err
	}
	res, err := s.Index.Search(c.UserContext(), q)
	if err != nil {
		return err
	}
	s.countSearch(&q, res.Total)
	out := apiSearchResponse{Total: res.Total, Page: res.Page, Size: res.Size, Results: make([]apiHit, 0, len(res.Hits)),
		Facets: make(map[string][]apiFacetV, len(res.Facets))}
	if res.Center != nil {
		out.Centre = &apiPoint{"Point", [2]float64{res.Center[0], res.Center[1]}}
	}
	if q.Commune != nil {
		out.Commune = &apiCommuneRef{q.Commune.Code, q.Commune.Name}
	}
	base, now := s.Config.BaseURL, s.now()
	for i := range res.Hits {
		h := &res.Hits[i]
		a := apiHit{ID: h.ID, Nom: h.Name, Structure: apiRef{h.StructureID, h.StructureName}, ADistance: h.Remote,
			Thematiques: terms(h.Thematiques, directory.Thematiques), ModesAccueil: terms(h.ReceptionModes, directory.ReceptionModes),
			Extrait: h.Excerpt, DateMaj: h.UpdatedAt.In(directory.Paris).Format(time.DateOnly), URL: base + serviceURL(h.ID, h.Name)}
		if h.CommuneCode != "" || h.CommuneName != "" {
			a.Commune = &apiCommuneRef{h.CommuneCode, h.CommuneName}
		}
		if h.DistanceMeters != nil {
			d := int(*h.DistanceMeters + 0.5)
			a.DistanceM = &d
		}
		if h.Fees != "" {
			a.Frais = &apiTerm{h.Fees, directory.Fees.Label(h.Fees)}
		}
		if h.OpeningHours != "" {
			a.Horaires = h.OpeningHours
			if sched, err := openinghours.Parse(h.OpeningHours); err == nil {
				open := sched.IsOpen(now)
				a.Ouvert = &open
			}
		}
		out.Results = append(out.Results, a)
	}
	for name, values := range res.Facets {
		fv := make([]apiFacetV, len(values))
		for i, v := range values {
			fv[i] = apiFacetV(v)
		}
		out.Facets[name] = fv
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=60")
	return c.JSON(out)
}

func terms(values []string, v *directory.Vocabulary) []apiTerm {
	out := make([]apiTerm, len(values))
	for i, x := range values {
		out[i] = apiTerm{x, v.Label(x)}
	}
	return out
}
