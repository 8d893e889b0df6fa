package ui

import (
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// maxSuspension bounds a suspension: beyond, archive the service.
const maxSuspension = 366 * 24 * time.Hour

// serviceSuspend hides a published service from the search until a date
// ("suspendu jusqu’au …", that day included), or ends the suspension
// (field reprendre).
func (s *Server) serviceSuspend(c *fiber.Ctx) error {
	ctx := c.UserContext()
	v := s.form(c)
	var until *time.Time
	flash := "repris"
	if v.Get("reprendre") == "" {
		day, err := time.ParseInLocation(time.DateOnly, v.Get("jusqu_au"), directory.Paris)
		now := s.now()
		end := day.AddDate(0, 0, 1) // the day included
		if err != nil || !end.After(now) || end.Sub(now) > maxSuspension {
			return s.message(c, http.StatusUnprocessableEntity, "error", "Date de fin de suspension invalide",
				[]string{"Indiquez une date à venir, dans moins d’un an. Pour retirer le service plus longtemps, archivez-le."},
				Link{Label: "Retour au service", URL: "/espace/services/" + serviceOf(c).ID})
		}
		until, flash = &end, "suspendu"
	}
	after, err := s.Catalog.Change(ctx, serviceOf(c).ID, editBy(c, account.ServiceSuspend), func(svc *directory.Service) error {
		svc.SuspendedUntil = until
		return nil
	})
	if err != nil {
		return err
	}
	return redirect(c, "/espace/services/"+after.ID, flash)
}
