package ui

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/alert"
	"github.com/repere-spie/repere/internal/directory"
)

// alertsPage lists the alerts of an address: the signed-in user's, or the
// one a link from an alert mail opens.
type alertsPage struct {
	Layout
	Email  string
	Alerts []alertRow
	Access []Link // the fields that prove the right to the address without a session
	Ask    input  // the address to send the link to, when none is known
}

type alertRow struct {
	ID, Title, SearchURL string
	Confirmed            bool
	Frequency            choiceGroup
}

// alertOwner is the address whose alerts the request may manage: the one
// of a link from a mail (adresse and jeton, in the URL or the form), else
// the signed-in user's verified address; "" for none. access is what the
// page's forms must carry back.
func (s *Server) alertOwner(c *fiber.Ctx) (email string, access []Link) {
	v := s.form(c)
	addr, tok := v.Get("adresse"), v.Get("jeton")
	if addr == "" {
		addr, tok = c.Query("adresse"), c.Query("jeton")
	}
	if s.Alerts.CanManage(addr, tok) {
		return addr, []Link{{Label: "adresse", URL: addr}, {Label: "jeton", URL: tok}}
	}
	if a := actorOf(c); a != nil && a.User.Verified() {
		return a.User.Email, nil
	}
	return "", nil
}

func (s *Server) alertsShow(c *fiber.Ctx) error {
	p := alertsPage{Layout: s.espaceLayout(c, "Mes alertes")}
	p.Breadcrumb = crumbs(Link{Label: "Mes alertes"})
	p.Email, p.Access = s.alertOwner(c)
	if p.Email == "" {
		p.Ask = newFields(url.Values{}, nil).input("email", "email", "Adresse électronique", "Nous vous enverrons un lien qui ouvre la liste de vos alertes.")
		p.Ask.Autocomplete = "email"
		return c.Render("alertes/liste", p)
	}
	list, err := s.Alerts.ForEmail(c.UserContext(), p.Email)
	if err != nil {
		return err
	}
	for _, al := range list {
		r := alertRow{ID: al.ID, Title: al.Title, SearchURL: alert.SearchPath(al.Query), Confirmed: al.Confirmed(),
			Frequency: frequencyChoice("frequence-"+al.ID, string(al.Frequency), "")}
		for i := range r.Frequency.Choices {
			r.Frequency.Choices[i].Inline = true
		}
		p.Alerts = append(p.Alerts, r)
	}
	return c.Render("alertes/liste", p)
}

// alertsBack is where an action on an alert returns: the list, with the
// link's fields when it came without a session.
func alertsBack(access []Link, flash string) string {
	u := alert.ListPath + "?ok=" + flash
	for _, a := range access {
		u += "&" + a.Label + "=" + url.QueryEscape(a.URL)
	}
	return u
}

// alertUpdate changes how often an alert is sent.
func (s *Server) alertUpdate(c *fiber.Ctx) error {
	email, access := s.alertOwner(c)
	if email == "" {
		return s.toLogin(c)
	}
	if _, err := s.Alerts.SetFrequency(c.UserContext(), email, c.Params("alerte"), directory.AlertFrequency(s.form(c).Get("frequence"))); err != nil {
		return err
	}
	return c.Redirect(alertsBack(access, "alerte-modifiee"), fiber.StatusSeeOther)
}

// alertDelete deletes an alert.
func (s *Server) alertDelete(c *fiber.Ctx) error {
	email, access := s.alertOwner(c)
	if email == "" {
		return s.toLogin(c)
	}
	if err := s.Alerts.Delete(c.UserContext(), email, c.Params("alerte")); err != nil {
		return err
	}
	return c.Redirect(alertsBack(access, "alerte-supprimee"), fiber.StatusSeeOther)
}

// alertsLink mails the link that opens the alerts of an address. The page
// says the same whether the address has alerts or not.
func (s *Server) alertsLink(c *fiber.Ctx) error {
	email := s.form(c).Get("email")
	if err := s.Alerts.SendManageLink(c.UserContext(), email, s.client(c)); err != nil {
		return err
	}
	return s.message(c, fiber.StatusOK, "info", "Consultez votre messagerie",
		[]string{"Si des alertes sont enregistrées pour cette adresse, un lien qui les ouvre vient d’y être envoyé."})
}
