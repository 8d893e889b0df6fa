package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/alert"
	"github.com/repere-spie/repere/internal/directory"
)

// alertPage is the form that saves the search of a results page as an
// alert: its URL carries the search, as the feed's does.
type alertPage struct {
	Layout
	Title     string // what the search finds
	SearchURL string
	Action    string // this page's URL: the form posts the search back
	Errors    []Link
	Email     input
	Frequency choiceGroup
	SignedIn  bool // the address is the account's
}

var alertLabels = directory.Fields{{Name: "recherche", Label: "Recherche"}, {Name: "email", Label: "Adresse électronique"}, {Name: "frequence", Label: "Fréquence"}}

// alertSearch reads the search of the page's URL and its words.
func (s *Server) alertSearch(c *fiber.Ctx) (searchForm, url.Values, string, error) {
	f, _, choices, err := s.readSearch(c, directory.FeedSearch)
	if err != nil {
		return f, nil, "", err
	}
	if choices != nil {
		return f, nil, "", directory.FieldErrors{"commune": "Plusieurs communes portent ce nom : choisissez-en une dans la recherche avant de créer l’alerte."}.Err()
	}
	v := url.Values{}
	for _, kv := range f.SearchQuery.Values(directory.FeedSearch) {
		v.Add(kv[0], kv[1])
	}
	return f, v, s.alertTitle(&f), nil
}

// alertTitle names what a search finds: "Mobilité, gratuit à Poitiers
// (Vienne)".
func (s *Server) alertTitle(f *searchForm) string {
	what := criteria(f)
	if f.hasPlace() {
		what = what[1:] // the radius
	}
	t := "Tous les services"
	if len(what) > 0 {
		t = strings.Join(what, ", ")
	}
	switch {
	case f.Position != nil:
		return t + " autour d’une position"
	case f.Commune != nil:
		return t + " à " + s.placeName(f.Commune)
	}
	return t + " dans toute la France"
}

func (s *Server) alertPage(c *fiber.Ctx, title, query string, v url.Values, err error) alertPage {
	actor := actorOf(c)
	if v == nil {
		v = url.Values{"frequence": {string(directory.AlertWeekly)}}
		if actor != nil {
			v.Set("email", actor.User.Email)
		}
	}
	f := newFields(v, err)
	p := alertPage{Layout: s.espaceLayout(c, "Créer une alerte"), Title: title, SearchURL: alert.SearchPath(query),
		Action: alert.NewPath + "?" + query, SignedIn: actor != nil && actor.User.Verified() && v.Get("email") == actor.User.Email}
	p.Email = f.input("email", "email", alertLabels.Label("email"), "Nous y enverrons les nouveaux services de cette recherche, et rien d’autre.")
	p.Email.Autocomplete, p.Email.Required = "email", true
	p.Frequency = frequencyChoice("frequence", v.Get("frequence"), f.errs["frequence"])
	p.Errors = errorSummary(alertLabels, f.errs)
	p.Breadcrumb = crumbs(Link{Label: "Recherche", URL: p.SearchURL}, Link{Label: "Créer une alerte"})
	return p
}

// alertNew shows the form.
func (s *Server) alertNew(c *fiber.Ctx) error {
	_, v, title, err := s.alertSearch(c)
	if err != nil {
		return err
	}
	return c.Render("alertes/nouvelle", s.alertPage(c, title, v.Encode(), nil, nil))
}

// alertCreate saves the alert: confirmed at once for the signed-in user's
// own address, else after the link of the confirmation mail.
func (s *Server) alertCreate(c *fiber.Ctx) error {
	_, v, title, err := s.alertSearch(c)
	if err != nil {
		return err
	}
	form := s.form(c)
	al, err := s.Alerts.Create(c.UserContext(), actorOf(c), alert.Draft{Email: form.Get("email"), Query: v, Title: title,
		Frequency: directory.AlertFrequency(form.Get("frequence")), Client: s.client(c)})
	if invalid(err) {
		return renderForm(c, http.StatusUnprocessableEntity, "alertes/nouvelle", s.alertPage(c, title, v.Encode(), form, err))
	} else if err != nil {
		return err
	}
	if al.Confirmed() {
		return redirect(c, alert.ListPath, "alerte")
	}
	return s.message(c, http.StatusOK, "info", "Confirmez votre alerte",
		[]string{"Nous avons envoyé un lien de confirmation à " + al.Email + ". L’alerte partira dès que vous l’aurez ouvert (il reste valable 7 jours).",
			"Vous ne le trouvez pas ? Regardez dans les courriers indésirables."},
		Link{Label: "Revenir à la recherche", URL: alert.SearchPath(al.Query)})
}

// frequencyChoice is the radio group of an alert's frequency; id tells
// apart the groups of one page.
func frequencyChoice(id, current, err string) choiceGroup {
	g := choiceGroup{ID: id, Name: "frequence", Legend: "Fréquence", Radio: true, Error: err}
	for _, f := range directory.AlertFrequencies {
		g.Choices = append(g.Choices, choice{ID: id + "-" + string(f), Name: "frequence", Value: string(f), Label: f.Label(), Radio: true, Checked: current == string(f)})
	}
	return g
}
