package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/datainclusion"
	"github.com/repere-spie/repere/internal/directory"
)

type servicePage struct {
	Layout
	S               *directory.Service
	StructureName   string
	StructureURL    string
	Type            string
	Thematiques     []Link
	DescriptionHTML template.HTML
	Publics         []string
	Fees            string
	Who             string // who may ask for the service, in plain words
	How             string // how to ask, in plain words: "téléphoner, se présenter sur place"
	Phone           string
	Modes           []string
	Address         []string
	Commune         *Link
	Place           *placeView
	Hours           *hoursView
	Zones           []Link
	Updated         string
	UpdatedISO      string
	Frequency       string
	Stale           bool
	Unverified      bool                  // the structure awaits a moderator's check
	Report          string                // the "Signaler une erreur" form
	Share           string                // mailto URL of "Partager par e-mail"
	Summary         string                // the essentials as plain text, for a case file
	Origin          *datainclusion.Origin // imported services: where they come from
	Approximate     bool                  // the position is only the centre of the commune
	Map             *mapView
}

// placeView is a marker for a page's map.
type placeView struct{ Name, Lat, Lon string }

// publicService reads a service the public may see, with its structure's
// moderation state: a service not published, suspended, or of a structure
// refused by moderation is not found.
func (s *Server) publicService(c *fiber.Ctx, id string) (*directory.Service, directory.Moderation, error) {
	gone := directory.Errorf(directory.ENOTFOUND, "Ce service n’est plus proposé ou n’a pas encore été publié.")
	svc, err := s.Catalog.Service(c.UserContext(), id)
	if err == nil && !svc.Visible(s.now()) {
		err = gone
	}
	if err != nil {
		return nil, "", err
	}
	moderation := directory.ModerationValidated // imported and demo structures have no account
	if acc, err := s.Accounts.StructureAccount(c.UserContext(), svc.StructureID); err == nil {
		moderation = acc.Moderation
	} else if directory.ErrorCode(err) != directory.ENOTFOUND {
		return nil, "", err
	}
	if !moderation.Listed() {
		return nil, "", gone
	}
	return svc, moderation, nil
}

// serviceShow shows everything a professional needs to act on a service.
// The service is read by id; a service that is not published (or
// suspended) is not found.
func (s *Server) serviceShow(c *fiber.Ctx) error {
	id, _ := splitRef(c.Params("ref"))
	svc, moderation, err := s.publicService(c, id)
	if err != nil {
		return err
	}
	if c.Params("ref") != ref(svc.ID, svc.Name) {
		return c.Redirect(serviceURL(svc.ID, svc.Name), http.StatusMovedPermanently)
	}
	now := s.now()
	p := servicePage{
		S:               svc,
		Type:            directory.ServiceTypes.Label(svc.Type),
		DescriptionHTML: s.md.HTML(svc.Description),
		Publics:         labels(directory.Publics, svc.Publics),
		Who:             whoMobilises(svc.MobilisableBy),
		How:             howToMobilise(svc.MobilisationModes),
		Phone:           phone(svc.Phone),
		Modes:           labels(directory.ReceptionModes, svc.ReceptionModes),
		Address:         addressLines(svc.Address, svc.AddressComplement, svc.PostalCode, svc.CommuneName),
		Hours:           newHoursView(svc.OpeningHours, now),
		Zones:           s.zoneLinks(svc.EligibilityZone),
		Updated:         directory.FrenchDate(svc.UpdatedAt),
		UpdatedISO:      svc.UpdatedAt.Format(time.DateOnly),
		Frequency:       svc.UpdateFrequency.Label(),
		Stale:           svc.Stale(now),
		Unverified:      moderation == directory.ModerationPending,
	}
	if svc.Fees != "" {
		p.Fees = directory.Fees.Label(svc.Fees)
	}
	if o, ok := datainclusion.OriginOf(svc.Source, svc.Provenance); ok {
		p.Origin = &o
	}
	p.Approximate = svc.Provenance.Approximate()
	if st, err := s.Accounts.Structure(c.UserContext(), svc.StructureID); err == nil {
		p.StructureName, p.StructureURL = st.Name, structureURL(st.ID, st.Name)
	} else if directory.ErrorCode(err) != directory.ENOTFOUND {
		return err
	}
	cm, _ := s.Gazetteer.Commune(svc.CodeInsee)
	if cm != nil {
		p.Commune = &Link{Label: cm.Name, URL: communeURL(cm)}
	}
	for _, t := range svc.Thematiques {
		p.Thematiques = append(p.Thematiques, Link{Label: thematiqueLabel(t), URL: placeSearch(cm, t).URL()})
	}
	if svc.OnSite() && svc.Latitude != nil && svc.Longitude != nil {
		p.Place = &placeView{Name: svc.Name, Lat: coord(svc.Latitude), Lon: coord(svc.Longitude)}
		p.Map = s.mapView("carte-service", "Carte : lieu d’accueil du service", "lieu-service")
	}
	p.Layout = s.layout(c, svc.Name, serviceDescription(svc, p.StructureName))
	p.Report = c.Path() + "/signaler"
	p.Summary = serviceSummary(&p, s.baseURL+c.Path())
	p.Share = shareMailto(svc.Name, p.Summary)
	p.Leaflet = p.Map != nil
	switch back := s.resultsReferer(c); {
	case back != "":
		// Opened from a results page: the way back keeps its criteria.
		p.Breadcrumb = crumbs(Link{Label: "Résultats de la recherche", URL: back}, Link{Label: svc.Name})
	case p.Commune != nil:
		p.Breadcrumb = crumbs(*p.Commune, Link{Label: svc.Name})
	default:
		p.Breadcrumb = crumbs(Link{Label: svc.Name})
	}
	// The breadcrumb depends on the page the visitor came from.
	c.Vary(fiber.HeaderReferer)
	return c.Render("service", p)
}

// serviceDescription is the meta description of a service page.
func serviceDescription(svc *directory.Service, structure string) string {
	d := svc.Name
	if structure != "" {
		d += ", proposé par " + structure
	}
	if svc.CommuneName != "" {
		d += " à " + svc.CommuneName
	}
	d += "."
	if ex := strings.TrimSpace(svc.Description); ex != "" {
		d += " " + directory.Shorten(plainDescription(ex), 150)
	}
	return d
}

// plainDescription keeps the words of a Markdown text, for meta tags.
func plainDescription(md string) string {
	return strings.Join(strings.Fields(strings.NewReplacer("#", "", "*", "", "_", "", "`", "", ">", "", "[", "", "]", "").Replace(md)), " ")
}

// truncate cuts s to at most n characters at a word boundary.
func addressLines(address, complement, postalCode, commune string) []string {
	var out []string
	for _, l := range []string{address, complement, strings.TrimSpace(postalCode + " " + commune)} {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// whoMobilises says in plain words who may ask for the service.
func whoMobilises(by []string) string {
	pro, self := slices.Contains(by, "professionnels"), slices.Contains(by, "usagers")
	switch {
	case pro && self:
		return "La personne peut s’adresser elle-même au service, ou un professionnel qui l’accompagne peut l’y orienter."
	case self:
		return "La personne s’adresse elle-même au service."
	case pro:
		return "Uniquement sur orientation d’un professionnel (conseiller France Travail, travailleur social, Mission locale…)."
	}
	return ""
}

// plainModes are the mobilisation modes as the end of "Pour le mobiliser : …".
var plainModes = map[string]string{
	"telephoner":                 "téléphoner",
	"envoyer-un-courriel":        "écrire un courriel",
	"se-presenter":               "se présenter sur place",
	"utiliser-lien-mobilisation": "faire une demande en ligne",
}

// howToMobilise lists the ways to ask for the service, in plain words.
func howToMobilise(modes []string) string {
	var out []string
	for _, m := range modes {
		if w, ok := plainModes[m]; ok {
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, ", ")
}

// serviceSummary is the page's essentials as plain text: what a
// professional pastes into a case file or a message.
func serviceSummary(p *servicePage, pageURL string) string {
	var b strings.Builder
	line := func(label, v string) {
		if v = strings.TrimSpace(v); v != "" {
			b.WriteString(label + v + "\n")
		}
	}
	b.WriteString(p.S.Name + "\n")
	line("Proposé par : ", p.StructureName)
	line("Pour qui : ", strings.Join(p.Publics, ", "))
	line("Coût : ", p.Fees)
	line("Qui peut le demander : ", p.Who)
	line("Comment : ", p.How)
	line("Contact : ", p.S.ContactName)
	line("Téléphone : ", p.Phone)
	line("Courriel : ", p.S.Email)
	line("Demande en ligne : ", p.S.MobilisationLink)
	line("Adresse : ", strings.Join(p.Address, ", "))
	if h := p.Hours; h != nil {
		if h.Valid {
			var days []string
			for _, d := range h.Days {
				if d.Hours != "Fermé" {
					days = append(days, strings.ToLower(d.Day)+" "+d.Hours)
				}
			}
			line("Horaires : ", strings.Join(days, " ; "))
		} else {
			line("Horaires : ", h.Raw)
		}
	}
	line("Fiche Repère : ", pageURL)
	line("Informations mises à jour le ", p.Updated)
	return b.String()
}

// shareMailto is "Partager par e-mail": a message with the essentials, to
// whoever the visitor chooses.
func shareMailto(name, summary string) string {
	enc := func(v string) string { return strings.ReplaceAll(url.QueryEscape(v), "+", "%20") }
	body := directory.Shorten(summary, 1500) // some mail clients refuse longer links
	return "mailto:?subject=" + enc(name+" – Repère") + "&body=" + enc(body)
}

// resultsReferer is the results page the visitor came from (path and
// query on this site), "" otherwise.
func (s *Server) resultsReferer(c *fiber.Ctx) string {
	ref := c.Get(fiber.HeaderReferer)
	if ref == "" || len(ref) > 2000 {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil || u.Path != "/recherche" {
		return ""
	}
	if sameSite := u.Host == c.Hostname() || u.Scheme+"://"+u.Host == s.baseURL; !sameSite {
		return ""
	}
	if u.RawQuery == "" {
		return u.Path
	}
	return u.Path + "?" + u.RawQuery
}

// zoneLinks names the territories of a zone, with links to the pages of
// communes and départements.
func (s *Server) zoneLinks(zones []directory.Zone) []Link {
	out := make([]Link, 0, len(zones))
	for _, z := range zones {
		l := Link{Label: s.zoneName(z)}
		switch z.Kind {
		case directory.ZoneCommune:
			if c, ok := s.Gazetteer.Commune(z.Code); ok {
				l.URL = communeURL(c)
			}
		case directory.ZoneDepartement:
			if d, ok := s.Gazetteer.Departement(z.Code); ok {
				l.URL = departementURL(d)
			}
		}
		out = append(out, l)
	}
	return out
}

// zoneName names a territory of a zone in French, the same on a service's
// page and on its card: "Toute la France", "Région Corse", "Département :
// Vienne (86)", the EPCI's name, "Poitiers (86)".
func (s *Server) zoneName(z directory.Zone) string {
	switch z.Kind {
	case directory.ZoneFrance:
		return "Toute la France"
	case directory.ZoneCommune:
		if c, ok := s.Gazetteer.Commune(z.Code); ok {
			return c.Label()
		}
		return "Commune " + z.Code
	case directory.ZoneEPCI:
		if e, ok := s.Gazetteer.EPCI(z.Code); ok {
			return e.Name
		}
		return "Intercommunalité " + z.Code
	case directory.ZoneDepartement:
		if d, ok := s.Gazetteer.Departement(z.Code); ok {
			return "Département : " + d.Label()
		}
		return "Département " + z.Code
	case directory.ZoneRegion:
		if r, ok := s.Gazetteer.Region(z.Code); ok {
			return "Région " + r.Name
		}
		return "Région " + z.Code
	}
	return z.Key()
}
