package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

// serviceDuplicate copies a service into a new draft of the same structure,
// for a similar offer.
func (s *Server) serviceDuplicate(c *fiber.Ctx) error {
	ctx := c.UserContext()
	src := serviceOf(c)
	now := s.now()
	dup := *src
	dup.ID, dup.Name = directory.NewID(), directory.Shorten(src.Name, directory.NameMaxLen-len(" (copie)"))+" (copie)"
	dup.Source, dup.Provenance = "repere", directory.Provenance{Kind: "saisie"}
	dup.Status, dup.SuspendedUntil = directory.StatusDraft, nil
	dup.PublishedAt, dup.AnnouncedAt, dup.AnnouncedVersion = nil, nil, 0
	dup.CreatedAt, dup.UpdatedAt = now, now
	if err := s.Catalog.Create(ctx, &dup, editBy(c, account.ServiceDuplicate)); err != nil {
		return err
	}
	return redirect(c, "/espace/services/"+dup.ID, "copie")
}
