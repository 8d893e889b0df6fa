package indexer

import (
	"context"
	"slices"
	"strconv"
	"strings"

	index "github.com/blevesearch/bleve_index_api"

	"github.com/repere-spie/repere/internal/directory"
)

// SuggestionKind says how a suggestion changes a search.
type SuggestionKind string

// The kinds of suggestions, in the order Suggest lists them.
const (
	// SuggestSpelling replaces the text by its correction (Value).
	SuggestSpelling SuggestionKind = "orthographe"
	// SuggestRefine adds the filter Param=Value that the words point to
	// (RSA: the public "bénéficiaires des minimas sociaux").
	SuggestRefine SuggestionKind = "affiner"
	// SuggestThematique replaces the text by the thématique the words point
	// to (Param "thematiques", Value a besoin or its category).
	SuggestThematique SuggestionKind = "thematique"
	// SuggestRadius widens the radius to Value kilometres.
	SuggestRadius SuggestionKind = "rayon"
	// SuggestDropFilter removes the value Value of the filter Param.
	SuggestDropFilter SuggestionKind = "retirer"
	// SuggestDropText removes the text.
	SuggestDropText SuggestionKind = "sans-mots"
	// SuggestFrance removes the place.
	SuggestFrance SuggestionKind = "france"
)

// Suggestion is a search one step from another: what changes, and how many
// services it finds.
type Suggestion struct {
	Kind  SuggestionKind
	Query directory.SearchQuery // the search suggested, from its first page
	Param string                // the search parameter changed: "thematiques", "publics", …
	Value string                // the value added or removed; the radius in km for SuggestRadius
	Label string                // the French label of Value, or the corrected text
	Total int
}

// maxRefinements bounds the filters a search with results is offered.
const maxRefinements = 3

// Suggest proposes, for a search q whose results are res, searches one step
// away that find something: the correction of misspelt words; with results,
// the thématiques and publics the words point to as filters (counted from
// the facets, free); without results, the thématique the words point to
// instead of the words, then a wider radius, each filter removed, the words
// removed, all of France. A search without results never leaves the user
// with nothing to try but when the whole index is empty.
func (ix *Index) Suggest(ctx context.Context, q directory.SearchQuery, res *directory.SearchResults) ([]Suggestion, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	q.Normalize()
	var rd *reading
	if q.Text != "" {
		err := ix.reading(func(r index.IndexReader, _ index.DocValueReader) error {
			_, rd = ix.textQuery(ctx, r, q.Text)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var out []Suggestion
	variant := func(change func(*directory.SearchQuery)) directory.SearchQuery {
		v := q
		v.Thematiques, v.Types, v.Fees = slices.Clone(q.Thematiques), slices.Clone(q.Types), slices.Clone(q.Fees)
		v.Publics, v.ReceptionModes = slices.Clone(q.Publics), slices.Clone(q.ReceptionModes)
		change(&v)
		v.Page = 1
		return v
	}
	try := func(s Suggestion, change func(*directory.SearchQuery)) (bool, error) {
		s.Query = variant(change)
		count := s.Query
		count.Size = 1
		r, err := ix.Search(ctx, count)
		if err != nil || r.Total == 0 {
			return false, err
		}
		s.Total = r.Total
		out = append(out, s)
		return true, nil
	}

	if rd != nil && len(rd.corrections) > 0 {
		text := correct(q.Text, rd.corrections)
		if _, err := try(Suggestion{Kind: SuggestSpelling, Param: "q", Value: text, Label: text}, func(v *directory.SearchQuery) { v.Text = text }); err != nil {
			return nil, err
		}
	}
	var pointers []string
	if rd != nil {
		pointers = rd.pointers()
	}
	if res.Total > 0 {
		refined := 0
		for _, p := range pointers {
			if refined == maxRefinements {
				break
			}
			if s, ok := refinement(&q, res, p); ok {
				refined++
				s.Query = variant(func(v *directory.SearchQuery) {
					field := map[string]*[]string{"thematiques": &v.Thematiques, "publics": &v.Publics, "frais": &v.Fees}[s.Param]
					*field = append(*field, s.Value)
				})
				out = append(out, s)
			}
		}
		return out, nil
	}

	for _, p := range pointers {
		kind, v, _ := strings.Cut(p, ":")
		if kind != "t" {
			continue
		}
		// The besoin, else its category: broader.
		themes := []string{v}
		if c := directory.CategoryOf(v); c != "" && c != v {
			themes = append(themes, c)
		}
		for _, t := range themes {
			ok, err := try(Suggestion{Kind: SuggestThematique, Param: "thematiques", Value: t, Label: thematiqueLabel(t)},
				func(q *directory.SearchQuery) { q.Text, q.Thematiques = "", []string{t} })
			if err != nil {
				return nil, err
			}
			if ok {
				break
			}
		}
	}
	if q.Commune != nil {
		for _, r := range directory.SearchRadii {
			if r <= q.RadiusKm {
				continue
			}
			ok, err := try(Suggestion{Kind: SuggestRadius, Param: "rayon", Value: strconv.Itoa(r), Label: strconv.Itoa(r) + " km"},
				func(q *directory.SearchQuery) { q.RadiusKm = r })
			if err != nil {
				return nil, err
			}
			if ok {
				break
			}
		}
	}
	for _, f := range []struct {
		param  string
		values *[]string
		label  func(string) string
	}{
		{"thematiques", &q.Thematiques, thematiqueLabel},
		{"modes_accueil", &q.ReceptionModes, directory.ReceptionModes.Label},
		{"frais", &q.Fees, directory.Fees.Label},
		{"publics", &q.Publics, directory.Publics.Label},
		{"types", &q.Types, directory.ServiceTypes.Label},
	} {
		for _, v := range *f.values {
			_, err := try(Suggestion{Kind: SuggestDropFilter, Param: f.param, Value: v, Label: f.label(v)}, func(q *directory.SearchQuery) {
				field := map[string]*[]string{"thematiques": &q.Thematiques, "modes_accueil": &q.ReceptionModes, "frais": &q.Fees, "publics": &q.Publics, "types": &q.Types}[f.param]
				*field = slices.DeleteFunc(*field, func(x string) bool { return x == v })
			})
			if err != nil {
				return nil, err
			}
		}
	}
	if q.Text != "" {
		if _, err := try(Suggestion{Kind: SuggestDropText, Param: "q"}, func(q *directory.SearchQuery) { q.Text = "" }); err != nil {
			return nil, err
		}
	}
	if q.Commune != nil {
		if _, err := try(Suggestion{Kind: SuggestFrance}, func(q *directory.SearchQuery) { q.Commune, q.Position = nil, nil }); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// refinement is the filter a pointer of the words suggests, counted from
// the facets of the results: the number of results holding it. None when the
// filter is already set, or would keep every result or none.
func refinement(q *directory.SearchQuery, res *directory.SearchResults, pointer string) (Suggestion, bool) {
	kind, v, _ := strings.Cut(pointer, ":")
	param, facet, set := "thematiques", directory.FacetThematiques, q.Thematiques
	label := thematiqueLabel(v)
	switch {
	case kind == "t" && directory.ThematiqueCategories.Has(v):
		facet = directory.FacetCategories
	case kind == "p":
		param, facet, set, label = "publics", directory.FacetPublics, q.Publics, directory.Publics.Label(v)
	case kind == "f":
		param, facet, set, label = "frais", directory.FacetFees, q.Fees, directory.Fees.Label(v)
	}
	if len(set) > 0 {
		return Suggestion{}, false // the family is filtered already: its facet counts another search
	}
	for _, fv := range res.Facets[facet] {
		if fv.Value == v && fv.Count > 0 && fv.Count < res.Total {
			return Suggestion{Kind: SuggestRefine, Param: param, Value: v, Label: label, Total: fv.Count}, true
		}
	}
	return Suggestion{}, false
}

func thematiqueLabel(v string) string {
	if directory.Thematiques.Has(v) {
		return directory.Thematiques.Label(v)
	}
	return directory.ThematiqueCategories.Label(v)
}

// correct replaces, in text, the words corrections maps (folded, as typed)
// by their corrections, keeping the other words as typed.
func correct(text string, corrections map[string]string) string {
	words := strings.Fields(text)
	for i, w := range words {
		folded := rawWord([]byte(foldString(strings.Trim(w, ",;.!?"))))
		if c, ok := corrections[folded]; ok {
			words[i] = c
		}
	}
	return strings.Join(words, " ")
}
