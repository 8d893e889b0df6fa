package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// The editor's buttons that show the form again without saving.
const (
	actionPreview = "apercu"       // the description rendered as the public page will show it
	actionAddZone = "ajouter_zone" // the zone typed, without scripts
)

// editorAgain shows the form again with what was typed: the description's
// preview, or the zone typed added to the zones (scripts do both in place).
func (s *Server) editorAgain(c *fiber.Ctx, st *directory.Structure, svc *directory.Service, v url.Values) error {
	v = cloneValues(v)
	var err error
	if v.Get("action") == actionAddZone {
		fe := directory.FieldErrors{}
		zones := s.applyZones(v, fe)
		if err = fe.Err(); err == nil {
			v.Del("zone_eligibilite")
			for _, z := range zones {
				v.Add("zone_eligibilite", z.Key())
			}
			v.Del("zone_ajout")
		}
	}
	status := http.StatusOK
	if err != nil {
		status = http.StatusUnprocessableEntity
	}
	return renderForm(c, status, "espace/service-editeur", s.editorPage(c, st, svc, v, editorOptions{err: err, preview: v.Get("action") == actionPreview}))
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vals := range v {
		out[k] = slices.Clone(vals)
	}
	return out
}

// version reads the version the form was filled from; -1 when missing.
func version(v url.Values) int64 {
	n, err := strconv.ParseInt(v.Get("version_lue"), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
