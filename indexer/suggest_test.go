package indexer

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/repere-spie/repere/internal/directory"
)

func TestSuggest(t *testing.T) {
	b := newBuilder(t)
	b.add("s", "psy-poitiers", name("Consultations psychologiques"), themes("sante--sante-mentale"), b.at(poitiers))
	b.add("s", "soins-chatel", name("Bilan de santé"), themes("sante--acces-aux-soins"), b.at(chatellerault), publics("jeunes"))
	b.add("s", "logement-chatel", name("Aide au logement"), description("Trouver où se loger."), b.at(chatellerault),
		themes("logement-hebergement--louer-un-logement"), publics("beneficiaires-des-minimas-sociaux"))
	b.add("s", "droits-chatel", name("Permanence d’accès aux droits"), b.at(chatellerault),
		themes("difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"), publics("tous-publics"))
	b.add("s", "sante-seniors", name("Bilan de santé des aînés"), themes("sante--acces-aux-soins"), publics("seniors"))
	ix := b.build()
	ctx := context.Background()
	suggest := func(q directory.SearchQuery) []string {
		t.Helper()
		q.StructureID, q.Now = "s", testNow
		res, err := ix.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		ss, err := ix.Suggest(ctx, q, res)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, s := range ss {
			out = append(out, fmt.Sprintf("%s %s=%s %q (%d)", s.Kind, s.Param, s.Value, s.Label, s.Total))
			// The search suggested finds what the suggestion says.
			if r, err := ix.Search(ctx, s.Query); err != nil || r.Total != s.Total || s.Query.Page != 1 {
				t.Errorf("%s: the suggested search finds %+v, %v", out[len(out)-1], r, err)
			}
		}
		return out
	}
	cases := []struct {
		name string
		q    directory.SearchQuery
		want []string
	}{
		{"nothing near: the thématique's category, a wider radius, the words dropped, all of France",
			directory.SearchQuery{Commune: commune(chatellerault), RadiusKm: 10, Text: "psy"},
			[]string{
				`thematique thematiques=sante "Santé" (1)`,
				`rayon rayon=50 "50 km" (1)`,
				`sans-mots q= "" (3)`,
				`france = "" (1)`,
			}},
		{"a filter that empties the search",
			directory.SearchQuery{Commune: commune(chatellerault), Text: "logement", Publics: []string{"seniors"}},
			[]string{`retirer publics=seniors "Séniors" (1)`, `sans-mots q= "" (2)`}},
		{"a misspelt word, corrected, with results",
			directory.SearchQuery{Text: "logemnt"},
			[]string{`orthographe q=logement "logement" (1)`}},
		// The public is not offered: the "tous publics" service counts for
		// it, so the filter would keep every result.
		{"with results, the thématique the words point to as a filter",
			directory.SearchQuery{Commune: commune(chatellerault), Text: "RSA"},
			[]string{`affiner thematiques=difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits "Accompagnement pour l’accès aux droits" (1)`}},
		{"with results, the public the words point to as a filter",
			directory.SearchQuery{Text: "jeunes santé"},
			[]string{`affiner publics=jeunes "Jeunes" (2)`}},
		{"with results and no pointer: nothing to suggest",
			directory.SearchQuery{Commune: commune(chatellerault), Text: "bilan"},
			nil},
	}
	for _, c := range cases {
		if got := suggest(c.q); !slices.Equal(got, c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

func TestCorrect(t *testing.T) {
	got := correct("Logemnt, social à Niort", map[string]string{"logemnt": "logement"})
	if got != "logement social à Niort" {
		t.Errorf("%q", got)
	}
}
