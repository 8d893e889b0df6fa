package ui

import (
	"html/template"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

type structurePage struct {
	Layout
	St              *directory.Structure
	Siret           string
	Networks        []string
	DescriptionHTML template.HTML
	Address         []string
	Phone           string
	Hours           *hoursView
	Commune         *Link
	Services        []cardView
	Total           int
	Place           *placeView
	Map             *mapView
	Updated         string
	UpdatedISO      string
	Unverified      bool // a moderator has not yet checked the structure
}

// maxStructureServices bounds the services listed on a structure page.
const maxStructureServices = directory.MaxSearchSize

// structureShow shows a structure read by id, with its published services
// taken from the index. Moderation applies as on its services' pages: a
// refused structure is not found, one awaiting its check says so.
func (s *Server) structureShow(c *fiber.Ctx) error {
	id, _ := splitRef(c.Params("ref"))
	st, err := s.Accounts.Structure(c.UserContext(), id)
	if err != nil {
		return err
	}
	moderation := directory.ModerationValidated // imported and demo structures have no account
	if acc, err := s.Accounts.StructureAccount(c.UserContext(), st.ID); err == nil {
		moderation = acc.Moderation
	} else if directory.ErrorCode(err) != directory.ENOTFOUND {
		return err
	}
	if !moderation.Listed() {
		return directory.Errorf(directory.ENOTFOUND, "Cette structure n’est pas présentée sur Repère.")
	}
	if c.Params("ref") != ref(st.ID, st.Name) {
		return c.Redirect(structureURL(st.ID, st.Name), http.StatusMovedPermanently)
	}
	res, err := s.Index.Search(c.UserContext(), directory.SearchQuery{
		StructureID: st.ID, Sort: directory.SortDate, Size: maxStructureServices,
	})
	if err != nil {
		return err
	}
	now := s.now()
	p := structurePage{
		St:              st,
		Siret:           siret(st.SIRET),
		Networks:        labels(directory.Networks, st.Networks),
		DescriptionHTML: s.md.HTML(st.Description),
		Address:         addressLines(st.Address, st.AddressComplement, st.PostalCode, st.CommuneName),
		Phone:           phone(st.Phone),
		Hours:           newHoursView(st.OpeningHours, now),
		Services:        s.cards(res.Hits),
		Total:           res.Total,
		Updated:         directory.FrenchDate(st.UpdatedAt),
		UpdatedISO:      st.UpdatedAt.Format(time.DateOnly),
		Unverified:      moderation == directory.ModerationPending,
	}
	if cm, ok := s.Gazetteer.Commune(st.CodeInsee); ok {
		p.Commune = &Link{Label: cm.Name, URL: communeURL(cm)}
	}
	if st.Latitude != nil && st.Longitude != nil {
		p.Place = &placeView{Name: st.Name, Lat: coord(st.Latitude), Lon: coord(st.Longitude)}
		p.Map = s.mapView("carte-structure", "Carte : adresse de la structure", "lieu-structure")
	}
	desc := st.Name
	if st.CommuneName != "" {
		desc += " à " + st.CommuneName
	}
	p.Layout = s.layout(c, st.Name, desc+" : coordonnées, horaires et "+countLabel(res.Total)+" proposés.")
	p.Leaflet = p.Map != nil
	p.Breadcrumb = crumbs(Link{Label: st.Name})
	if p.Commune != nil {
		p.Breadcrumb = crumbs(*p.Commune, Link{Label: st.Name})
	}
	return c.Render("structure", p)
}
