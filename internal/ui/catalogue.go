package ui

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

// catalogue is what the sitemap lists: every visible service, the
// structures that publish them and the communes where they are.
type catalogue struct {
	Services   []catalogueEntry
	Structures []catalogueEntry
	Communes   []string // INSEE codes, sorted
}

type catalogueEntry struct {
	ID, Name string
	Updated  time.Time
}

// catalogueTTL is how long the sitemap may lag behind the index.
const catalogueTTL = time.Hour

func (s *Server) catalogue(ctx context.Context) (*catalogue, error) {
	return s.caches.catalogue.Load("", func() (*catalogue, error) {
		return s.buildCatalogue(context.WithoutCancel(ctx))
	})
}

// size is about what the catalogue keeps in memory.
func (c *catalogue) size() int {
	n := 0
	for _, es := range [][]catalogueEntry{c.Services, c.Structures} {
		for _, e := range es {
			n += len(e.ID) + len(e.Name) + 64 // two string headers and a time
		}
	}
	return n + 24*len(c.Communes)
}

func (s *Server) buildCatalogue(ctx context.Context) (*catalogue, error) {
	cat := &catalogue{}
	structures := map[string]*catalogueEntry{}
	communes := map[string]bool{}
	add := func(h directory.Hit) error {
		cat.Services = append(cat.Services, catalogueEntry{ID: h.ID, Name: h.Name, Updated: h.UpdatedAt})
		if h.StructureID != "" {
			st := structures[h.StructureID]
			if st == nil {
				st = &catalogueEntry{ID: h.StructureID, Name: h.StructureName}
				structures[h.StructureID] = st
			}
			if h.UpdatedAt.After(st.Updated) {
				st.Updated = h.UpdatedAt
			}
		}
		if h.CommuneCode != "" {
			communes[h.CommuneCode] = true
		}
		return nil
	}
	if err := s.Index.Each(ctx, add); err != nil {
		return nil, err
	}
	for _, st := range structures {
		cat.Structures = append(cat.Structures, *st)
	}
	slices.SortFunc(cat.Services, func(a, b catalogueEntry) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(cat.Structures, func(a, b catalogueEntry) int { return cmp.Compare(a.ID, b.ID) })
	for code := range communes {
		if c, ok := s.Gazetteer.Commune(code); ok && c.Code == code {
			cat.Communes = append(cat.Communes, code)
		}
	}
	slices.Sort(cat.Communes)
	return cat, nil
}
