package ui

import (
	"slices"

	"github.com/repere-spie/repere/internal/directory"
)

// facetGroup is one filter of the results page, with a count per value.
type facetGroup struct {
	Param  string
	Legend string
	Items  []facetItem
}

type facetItem struct {
	ID       string
	Value    string
	Label    string
	Count    int
	Checked  bool
	Children []facetItem // the besoins of a category that is ticked
}

// facetGroups builds the filters from the facets of the results. A
// category shows its besoins once it, or one of them, is ticked: the filter
// list stays short and the page light.
func facetGroups(f *searchForm, facets map[string][]directory.FacetValue) []facetGroup {
	selected := func(values []string, v string) bool { return slices.Contains(values, v) }
	th := facetGroup{Param: "thematiques", Legend: "Thématiques"}
	for i, c := range facets[directory.FacetCategories] {
		open := selected(f.Thematiques, c.Value) || slices.ContainsFunc(f.Thematiques, func(t string) bool {
			return t != c.Value && directory.CategoryOf(t) == c.Value
		})
		item := facetItem{ID: "f-c" + itoa(i), Value: c.Value, Label: c.Label, Count: c.Count, Checked: open}
		if open {
			for j, b := range facets[directory.FacetThematiques] {
				if directory.CategoryOf(b.Value) == c.Value && b.Value != c.Value {
					item.Children = append(item.Children, facetItem{
						ID: "f-b" + itoa(j), Value: b.Value, Label: b.Label, Count: b.Count, Checked: selected(f.Thematiques, b.Value),
					})
				}
			}
		}
		th.Items = append(th.Items, item)
	}
	out := []facetGroup{th}
	for _, g := range []struct {
		param, legend, facet string
		values               []string
	}{
		{"modes_accueil", "Modes d’accueil", directory.FacetReceptionModes, f.ReceptionModes},
		{"frais", "Frais", directory.FacetFees, f.Fees},
		{"publics", "Publics", directory.FacetPublics, f.Publics},
		{"types", "Types de service", directory.FacetTypes, f.Types},
	} {
		fg := facetGroup{Param: g.param, Legend: g.legend}
		for i, v := range facets[g.facet] {
			fg.Items = append(fg.Items, facetItem{ID: "f-" + g.param[:2] + itoa(i), Value: v.Value, Label: v.Label, Count: v.Count, Checked: selected(g.values, v.Value)})
		}
		if len(fg.Items) > 0 {
			out = append(out, fg)
		}
	}
	return out
}

// pagination is the DSFR pagination of a results list.
type pagination struct {
	First, Prev, Next, Last string // "" on the first or last page
	Pages                   []pageLink
}

type pageLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool // an ellipsis
}

// newPagination shows the first, last, current and neighbouring pages.
func newPagination(f searchForm, page, size, total int) *pagination {
	last := min((total+size-1)/size, directory.MaxSearchPage)
	if last <= 1 {
		return nil
	}
	p := &pagination{}
	if page > 1 {
		p.First, p.Prev = f.withPage(1).URL(), f.withPage(page-1).URL()
	}
	if page < last {
		p.Next, p.Last = f.withPage(page+1).URL(), f.withPage(last).URL()
	}
	gap := false
	for n := 1; n <= last; n++ {
		if n == 1 || n == last || n >= page-1 && n <= page+1 {
			p.Pages = append(p.Pages, pageLink{Number: n, URL: f.withPage(n).URL(), Current: n == page})
			gap = false
		} else if !gap {
			p.Pages = append(p.Pages, pageLink{Gap: true})
			gap = true
		}
	}
	return p
}
