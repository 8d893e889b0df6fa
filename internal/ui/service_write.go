package ui

import (
	"context"
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

// checkService applies the form and adds what the editor requires of any
// service, even a draft: a name.
func (s *Server) checkService(svc *directory.Service, v url.Values) error {
	err := s.applyService(svc, v)
	if svc.Name != "" {
		return err
	}
	fe := directory.FieldErrors{}
	if de, ok := err.(*directory.Error); ok {
		for k, m := range de.Fields {
			fe.Add(k, m)
		}
	}
	fe.Add("nom", "Indiquez le nom du service : il faut au moins un nom pour enregistrer un brouillon.")
	return fe.Err()
}

// changeService applies fn to the service as stored and saves it, again if
// someone saved in between: for the changes of state, which touch no field
// the editor shows.
func (s *Server) changeService(ctx context.Context, id string, fn func(*directory.Service) error) (before, after *directory.Service, err error) {
	for attempt := 0; ; attempt++ {
		cur, err := s.Store.Service(ctx, id)
		if err != nil {
			return nil, nil, err
		}
		next := *cur
		if err := fn(&next); err != nil {
			return nil, nil, err
		}
		err = s.Catalog.UpdateService(ctx, &next)
		if directory.ErrorCode(err) == directory.ECONFLICT && attempt < 5 {
			continue
		}
		if err != nil && next.Version == cur.Version {
			return nil, nil, err
		}
		if err != nil {
			s.Logger.Warn("service saved, search index late", "service", id, "err", err)
		}
		return cur, &next, nil
	}
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
