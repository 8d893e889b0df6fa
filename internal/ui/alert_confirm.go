package ui

import (
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/alert"
)

// alertConfirmForm answers the link of the confirmation mail with a button.
func (s *Server) alertConfirmForm(c *fiber.Ctx) error {
	return s.confirm(c, confirmPage{Heading: "Confirmer votre alerte", Action: alert.ConfirmPath, Button: "Confirmer mon alerte",
		Paragraphs: []string{"Confirmez votre adresse pour recevoir les nouveaux services de votre recherche."},
		Hidden:     []Link{{Label: "alerte", URL: c.Query("alerte")}, {Label: "jeton", URL: c.Query("jeton")}}})
}

// alertConfirm confirms the alert: from now on, its news is mailed.
func (s *Server) alertConfirm(c *fiber.Ctx) error {
	v := s.form(c)
	al, err := s.Alerts.Confirm(c.UserContext(), v.Get("alerte"), v.Get("jeton"))
	if err != nil {
		return err
	}
	return s.message(c, http.StatusOK, "success", "Votre alerte est confirmée",
		[]string{"Vous recevrez " + strings.ToLower(al.Frequency.Label()) + " les services nouveaux ou modifiés pour « " + al.Title + " », s’il y en a."},
		Link{Label: "Gérer mes alertes", URL: s.Alerts.ManageURL(al.Email)}, Link{Label: "Voir la recherche", URL: alert.SearchPath(al.Query)})
}

// alertUnsubscribeForm asks, from the link of an alert mail, to confirm
// the unsubscription.
func (s *Server) alertUnsubscribeForm(c *fiber.Ctx) error {
	return s.confirm(c, confirmPage{Heading: "Se désabonner de cette alerte", Action: c.Path(), Button: "Me désabonner",
		Paragraphs: []string{"Vous ne recevrez plus les courriels de cette alerte."}})
}

// alertUnsubscribe deletes the alert: the button above, or the one-click
// unsubscribe of a mail client (RFC 8058), with neither session nor CSRF
// token: the URL's signature is the proof.
func (s *Server) alertUnsubscribe(c *fiber.Ctx) error {
	if err := s.Alerts.Unsubscribe(c.UserContext(), c.Params("alerte"), c.Params("sig")); err != nil {
		return err
	}
	return s.message(c, http.StatusOK, "success", "Vous êtes désabonné",
		[]string{"Cette alerte est supprimée : vous n’en recevrez plus de courriel."}, Link{Label: "Mes alertes", URL: alert.ListPath})
}
