package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/datainclusion"
	"github.com/repere-spie/repere/internal/opendata"
)

// apiServiceResponse is a service as a data·inclusion v1 record, with where
// it comes from.
type apiServiceResponse struct {
	*datainclusion.Service
	URL        string         `json:"url"`
	Provenance *apiProvenance `json:"provenance"`
}

type apiProvenance struct {
	Source      string `json:"source"` // the producer, as people know it
	Via         string `json:"via,omitempty"`
	DateMaj     string `json:"date_maj,omitempty"` // the producer's date
	Licence     string `json:"licence,omitempty"`
	LienSource  string `json:"lien_source,omitempty"`
	Approximate bool   `json:"position_approximative"` // the coordinates are the commune's centre
	Text        string `json:"texte"`
}

// apiService serves GET /api/v1/services/{id}: a visible service in the
// data·inclusion v1 shape, on the same terms as its page. Services typed on
// Repère say so as their provenance.
func (s *Server) apiService(c *fiber.Ctx) error {
	if _, errs := strictQuery(c); errs.Err() != nil {
		return errs.Err()
	}
	svc, _, err := s.publicService(c, c.Params("id"))
	if err != nil {
		return err
	}
	out := apiServiceResponse{Service: datainclusion.FromService(svc, s.OpenData.RegionDeps()), URL: s.baseURL + serviceURL(svc.ID, svc.Name),
		Provenance: &apiProvenance{Source: "Repère", Text: "Source : saisi sur Repère par la structure"}}
	if o, ok := datainclusion.OriginOf(svc.Source, svc.Provenance); ok {
		out.Provenance = &apiProvenance{Source: o.Source, Via: o.Via, DateMaj: o.DateISO, Licence: o.Licence, LienSource: svc.SourceLink,
			Approximate: svc.Provenance.Approximate(), Text: o.Sentence()}
	}
	c.Set(fiber.HeaderCacheControl, listCacheControl)
	setLastModified(c, opendata.ChangedAt(svc.UpdatedAt, svc.Provenance))
	return c.JSON(out)
}
