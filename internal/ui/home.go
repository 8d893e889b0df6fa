package ui

import (
	"io/fs"
	"net/http"

	"github.com/gofiber/fiber/v2"
)

type homePage struct {
	Layout
	Stats
}

func (s *Server) home(c *fiber.Ctx) error {
	st := s.Stats()
	return c.Render("home", homePage{
		Layout: s.layout("Accueil", "Trouvez les aides à la mobilité, à la garde d’enfants, au logement, à la santé et à l’emploi près de chez vous."),
		Stats:  st,
	})
}

func httpFS(f fs.FS) http.FileSystem { return http.FS(f) }
