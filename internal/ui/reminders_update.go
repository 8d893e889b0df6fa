package ui

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/directory"
)

// remindersUpdate saves which reminders the user receives: the boxes
// ticked; the others are switched off.
func (s *Server) remindersUpdate(c *fiber.Ctx) error {
	on := s.form(c)["rappels"]
	var off []directory.Reminder
	for _, r := range directory.Reminders {
		if !slices.Contains(on, string(r)) {
			off = append(off, r)
		}
	}
	if _, err := s.Accounts.SetReminders(c.UserContext(), actorOf(c), off); err != nil {
		return err
	}
	return redirect(c, "/compte", "rappels")
}
