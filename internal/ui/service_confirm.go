package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// The "toujours à jour" link of the monthly reminder: a member confirms a
// service without signing in. The link is signed for the service and the
// member and expires; the member must still be allowed to confirm it.

// serviceConfirmForm shows the service and the button that confirms it.
func (s *Server) serviceConfirmForm(c *fiber.Ctx) error {
	id, user, token := c.Query("service"), c.Query("compte"), c.Query("jeton")
	svc, err := s.Reminders.FreshService(c.UserContext(), id, user, token)
	if err != nil {
		return err
	}
	return s.confirm(c, confirmPage{Heading: "Confirmer que le service est à jour", Action: c.Path(), Button: "Ce service est toujours à jour",
		Paragraphs: []string{"« " + svc.Name + " » : vérifiez sa fiche, puis confirmez qu’elle est toujours exacte. Sa date de mise à jour deviendra celle d’aujourd’hui.",
			"Si quelque chose a changé, modifiez plutôt le service depuis votre espace."},
		Hidden: []Link{{Label: "service", URL: id}, {Label: "compte", URL: user}, {Label: "jeton", URL: token}}})
}

// serviceConfirm confirms the service in the name of the member the link
// was made for.
func (s *Server) serviceConfirm(c *fiber.Ctx) error {
	v := s.form(c)
	svc, err := s.Reminders.ConfirmFresh(c.UserContext(), v.Get("service"), v.Get("compte"), v.Get("jeton"))
	if err != nil {
		return err
	}
	return s.message(c, http.StatusOK, "success", "Merci, le service est à jour",
		[]string{"« " + svc.Name + " » est confirmé à jour en date du " + directory.FrenchDate(svc.UpdatedAt) + "."},
		Link{Label: "Voir la fiche", URL: "/services/" + svc.ID}, Link{Label: "Mon espace", URL: account.DashboardPath})
}
