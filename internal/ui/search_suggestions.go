package ui

import (
	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/demand"
	"github.com/repere-spie/repere/internal/directory"
)

// suggestions are the searches a results page offers beside its own (see
// indexer.Index.Suggest): the correction of misspelt words, the filters its
// words point to, and for a search without results, the ways to widen it.
// Only those that find something are offered, with their counts.
type suggestions struct {
	Spelling *Link
	Refine   []Link
	Widen    []Link
}

func (s *Server) suggestions(c *fiber.Ctx, f searchForm, res *directory.SearchResults) (suggestions, error) {
	var out suggestions
	list, err := s.Index.Suggest(c.UserContext(), f.SearchQuery, res)
	if err != nil {
		return out, err
	}
	for _, sg := range list {
		// A suggestion without a place comes from a search of all of France
		// or proposes one: chosen, so the page does not ask for a place.
		l := Link{URL: searchForm{SearchQuery: sg.Query, View: f.View, Everywhere: sg.Query.Commune == nil}.URL(), Count: sg.Total}
		switch sg.Kind {
		case indexer.SuggestSpelling:
			l.Label = sg.Label
			out.Spelling = &l
			continue
		case indexer.SuggestRefine:
			l.Label = map[string]string{"thematiques": "la thématique", "publics": "le public", "frais": "les services"}[sg.Param] + " « " + sg.Label + " »"
			out.Refine = append(out.Refine, l)
			continue
		case indexer.SuggestThematique:
			l.Label = "Voir la thématique « " + sg.Label + " »"
		case indexer.SuggestRadius:
			l.Label = "Élargir la distance à " + sg.Label
		case indexer.SuggestDropFilter:
			l.Label = "Retirer le filtre « " + sg.Label + " »"
		case indexer.SuggestDropText:
			l.Label = "Retirer les mots-clés « " + f.Text + " »"
		case indexer.SuggestFrance:
			l.Label = "Chercher dans toute la France"
		}
		out.Widen = append(out.Widen, l)
	}
	return out, nil
}

// countSearch counts a search for the observatory of gaps: its commune, its
// thématiques (those its words point to when it filters none) and, when it
// found nothing, its words, normalised; nothing else of it. Only first
// pages count: paging through results is one search.
func (s *Server) countSearch(q *directory.SearchQuery, total int) {
	if s.Demand == nil || q.Page > 1 {
		return
	}
	words, pointed := s.Index.Interpret(q.Text)
	u := demand.Search{Thematiques: q.Thematiques, Words: words, Found: total > 0}
	if len(u.Thematiques) == 0 {
		u.Thematiques = pointed
	}
	if q.Commune != nil {
		u.Commune = q.Commune.Code
	}
	s.Demand.Record(u)
}
