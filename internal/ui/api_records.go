package ui

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/datainclusion"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/opendata"
)

// The listings of data·inclusion v1 records: GET /api/v1/services and
// /api/v1/structures, walked with a cursor in the order of the ids, which
// never change, so that a walk sees each record once whatever is written
// meanwhile.

// listParams are the parameters of the listings.
var listParams = []string{"code_departement", "source", "maj_depuis", "cursor", "size"}

// strictQuery reads the query string of an API call: a parameter it does
// not know, or one given twice, is an error naming it, so that a typo never
// silently widens an answer.
func strictQuery(c *fiber.Ctx, known ...string) (url.Values, directory.FieldErrors) {
	v, errs := queryValues(c), directory.FieldErrors{}
	for name, values := range v {
		switch {
		case !contains(known, name):
			errs.Add(name, fmt.Sprintf("Paramètre inconnu : « %s ».", name))
		case len(values) > 1:
			errs.Add(name, "Ce paramètre ne peut être donné qu’une fois.")
		}
	}
	return v, errs
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

var sourcePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// listing is a listing request, read.
type listing struct {
	filter opendata.Filter
	after  string
	size   int
}

func readListing(c *fiber.Ctx) (listing, error) {
	v, errs := strictQuery(c, listParams...)
	l := listing{size: opendata.DefaultPageSize}
	if d := strings.ToUpper(strings.TrimSpace(v.Get("code_departement"))); d != "" {
		if directory.CheckDepartementCode(d) != nil {
			errs.Add("code_departement", "Le code de département doit être un code INSEE : 01 à 95, 2A, 2B ou 971 à 976.")
		}
		l.filter.Departement = d
	}
	if src := strings.TrimSpace(v.Get("source")); src != "" {
		if !sourcePattern.MatchString(src) {
			errs.Add("source", "La source est un identifiant data·inclusion en minuscules, par exemple « dora ».")
		}
		l.filter.Source = src
	}
	if s := strings.TrimSpace(v.Get("maj_depuis")); s != "" {
		t, err := time.ParseInLocation(time.DateOnly, s, directory.Paris)
		if err != nil {
			errs.Add("maj_depuis", "La date doit être au format AAAA-MM-JJ.")
		}
		l.filter.Since = &t
	}
	if cur := v.Get("cursor"); cur != "" {
		id, ok := opendata.DecodeCursor(cur)
		if !ok {
			errs.Add("cursor", "Ce curseur n’a pas été donné par Repère : reprenez le parcours depuis le début, sans cursor, ou avec le champ next_cursor de la page précédente.")
		}
		l.after = id
	}
	if s := v.Get("size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > opendata.MaxPageSize {
			errs.Add("size", fmt.Sprintf("Le nombre d’enregistrements par page doit être un entier entre 1 et %d.", opendata.MaxPageSize))
		}
		l.size = n
	}
	return l, errs.Err()
}

// listCacheControl lets clients and proxies keep an answer a minute.
const listCacheControl = "public, max-age=60"

func (s *Server) apiServices(c *fiber.Ctx) error {
	l, err := readListing(c)
	if err != nil {
		return err
	}
	page, err := s.OpenData.Services(c.UserContext(), l.filter, l.after, l.size)
	if err != nil {
		return err
	}
	return s.sendListing(c, page)
}

func (s *Server) apiStructures(c *fiber.Ctx) error {
	l, err := readListing(c)
	if err != nil {
		return err
	}
	page, err := s.OpenData.Structures(c.UserContext(), l.filter, l.after, l.size)
	if err != nil {
		return err
	}
	return s.sendListing(c, page)
}

// sendListing sends a page, {"items": [...], "size": n, "next_cursor":
// "...", "next": "URL"}, the records spliced in as the snapshot holds them,
// with the URL of the next page also in a Link header. A page has an ETag
// but no Last-Modified: its content changes when a record leaves it, which
// no date tells.
func (s *Server) sendListing(c *fiber.Ctx, p *opendata.Page) error {
	n := 64
	for _, it := range p.Items {
		n += len(it) + 1
	}
	b := make([]byte, 0, n+256)
	b = append(b, `{"items":[`...)
	for i, it := range p.Items {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, it...)
	}
	b = append(b, `],"size":`...)
	b = strconv.AppendInt(b, int64(len(p.Items)), 10)
	if p.Next != "" {
		v := queryValues(c)
		v.Set("cursor", string(p.Next))
		next := s.baseURL + c.Path() + "?" + v.Encode()
		b = append(b, `,"next_cursor":`...)
		b = strconv.AppendQuote(b, string(p.Next))
		b = append(b, `,"next":`...)
		b, _ = appendJSONString(b, next)
		c.Set(fiber.HeaderLink, "<"+next+`>; rel="next"`)
	}
	b = append(b, '}')
	// The same request on the same snapshot gets the same bytes: no need
	// to hash a megabyte for the ETag.
	h := fnv.New64a()
	h.Write(c.Request().URI().QueryString())
	c.Set(fiber.HeaderETag, fmt.Sprintf(`W/"%s-%x"`, p.Version, h.Sum64()))
	c.Set(fiber.HeaderCacheControl, listCacheControl)
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(b)
}

func appendJSONString(b []byte, s string) ([]byte, error) {
	q, err := json.Marshal(s)
	return append(b, q...), err
}

// apiStructureResponse is a structure as a data·inclusion v1 record, with
// its page on Repère.
type apiStructureResponse struct {
	*datainclusion.Structure
	URL string `json:"url"`
}

// apiStructure serves GET /api/v1/structures/{id}.
func (s *Server) apiStructure(c *fiber.Ctx) error {
	if _, errs := strictQuery(c); errs.Err() != nil {
		return errs.Err()
	}
	st, err := s.OpenData.Structure(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, listCacheControl)
	setLastModified(c, opendata.ChangedAt(st.UpdatedAt, st.Provenance))
	return c.JSON(apiStructureResponse{Structure: datainclusion.FromStructure(st), URL: s.baseURL + structureURL(st.ID, st.Name)})
}
