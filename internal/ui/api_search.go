package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/openinghours"
)

// searchParams are the parameters of GET /api/v1/search/services, named after
// the data·inclusion API. Any other parameter is refused, so a typo never
// silently widens a search.
var searchParams = map[string]bool{
	"code_commune": true, "lat": true, "lon": true, "rayon": true, "q": true,
	"thematiques": true, "types": true, "frais": true, "publics": true, "modes_accueil": true,
	"structure": true, "maj_depuis": true, "page": true, "size": true, "sort": true,
}

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
	q, err := s.parseSearchQuery(c)
	if err != nil {
		return err
	}
	res, err := s.Index.Search(c.UserContext(), q)
	if err != nil {
		return err
	}
	out := apiSearchResponse{Total: res.Total, Page: res.Page, Size: res.Size, Results: make([]apiHit, 0, len(res.Hits)),
		Facets: make(map[string][]apiFacetV, len(res.Facets))}
	if res.Center != nil {
		out.Centre = &apiPoint{"Point", [2]float64{res.Center[0], res.Center[1]}}
	}
	if cm, ok := s.Gazetteer.Commune(res.Commune); ok {
		out.Commune = &apiCommuneRef{cm.Code, cm.Name}
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

// parseSearchQuery reads the API parameters. Every malformed or unknown
// parameter is reported by name in one EINVALID error.
func (s *Server) parseSearchQuery(c *fiber.Ctx) (directory.SearchQuery, error) {
	var q directory.SearchQuery
	f := directory.FieldErrors{}
	values := map[string][]string{}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) {
		key := string(k) // copies: fasthttp reuses these buffers
		if !searchParams[key] {
			f.Add(key, fmt.Sprintf("Paramètre inconnu : « %s ».", key))
			return
		}
		values[key] = append(values[key], string(v))
	})
	one := func(name string) string {
		v := values[name]
		if len(v) > 1 {
			f.Add(name, "Ce paramètre ne peut être donné qu’une fois.")
		}
		if len(v) == 0 {
			return ""
		}
		return strings.TrimSpace(v[0])
	}
	list := func(name string) []string {
		var out []string
		for _, v := range values[name] {
			for _, x := range strings.Split(v, ",") {
				if x = strings.TrimSpace(x); x != "" {
					out = append(out, x)
				}
			}
		}
		return out
	}
	number := func(name string) *float64 {
		v := one(name)
		if v == "" {
			return nil
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			f.Add(name, "Ce paramètre doit être un nombre décimal, par exemple 46.81.")
			return nil
		}
		return &x
	}
	integer := func(name string) int {
		v := one(name)
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			f.Add(name, "Ce paramètre doit être un nombre entier positif.")
			return 0
		}
		return n
	}
	q.CommuneCode = strings.ToUpper(one("code_commune"))
	q.Lat, q.Lon = number("lat"), number("lon")
	q.RadiusKm = integer("rayon")
	q.Text = one("q")
	q.Thematiques, q.Types, q.Fees = list("thematiques"), list("types"), list("frais")
	q.Publics, q.ReceptionModes = list("publics"), list("modes_accueil")
	q.StructureID = one("structure")
	if v := one("maj_depuis"); v != "" {
		t, err := time.ParseInLocation(time.DateOnly, v, directory.Paris)
		if err != nil {
			f.Add("maj_depuis", "La date doit être au format AAAA-MM-JJ.")
		} else {
			q.UpdatedSince = &t
		}
	}
	q.Page, q.Size = integer("page"), integer("size")
	q.Sort = one("sort")
	if err := f.Err(); err != nil {
		return q, err
	}
	if err := q.Validate(); err != nil {
		return q, err
	}
	if q.CommuneCode != "" {
		cm, ok := s.Gazetteer.Commune(q.CommuneCode)
		if !ok {
			return q, directory.FieldErrors{"code_commune": fmt.Sprintf("Aucune commune n’a le code « %s ».", q.CommuneCode)}.Err()
		}
		q.CommuneCode = cm.Code // arrondissements resolve to their commune
	}
	q.Normalize()
	return q, nil
}
