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

// hitLister is an index that can list every visible service in one pass.
type hitLister interface {
	Each(ctx context.Context, fn func(directory.Hit) error) error
}

func (s *Server) catalogue(ctx context.Context) (*catalogue, error) {
	v, err := s.cache.get("catalogue", catalogueTTL, func() (any, error) {
		return s.buildCatalogue(context.WithoutCancel(ctx))
	})
	if err != nil {
		return nil, err
	}
	return v.(*catalogue), nil
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
	if l, ok := any(s.Index).(hitLister); ok {
		if err := l.Each(ctx, add); err != nil {
			return nil, err
		}
	} else if err := s.eachByPages(ctx, add); err != nil {
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

// maxPagedCatalogue bounds the listing through searches: each one walks the
// whole index, so the cost grows with the square of its size.
const maxPagedCatalogue = 10_000

// eachByPages lists the services through ordinary searches, for an index
// without a listing method, up to maxPagedCatalogue services.
func (s *Server) eachByPages(ctx context.Context, fn func(directory.Hit) error) error {
	for page := 1; page <= maxPagedCatalogue/directory.MaxSearchSize; page++ {
		res, err := s.Index.Search(ctx, directory.SearchQuery{Sort: directory.SortDate, Page: page, Size: directory.MaxSearchSize})
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			if err := fn(h); err != nil {
				return err
			}
		}
		if page*directory.MaxSearchSize >= res.Total {
			return nil
		}
	}
	s.Logger.Warn("sitemap: the index cannot list its services in one pass; the sitemap lists the most recently updated ones", "listed", maxPagedCatalogue)
	return nil
}
