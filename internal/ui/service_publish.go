package ui

import "github.com/gofiber/fiber/v2"

// servicePublish saves the editor's form and publishes the service, if it
// has what a professional needs to act (the list of what is missing
// otherwise). It is in the search as soon as the page answers.
func (s *Server) servicePublish(c *fiber.Ctx) error { return s.saveService(c, true) }
