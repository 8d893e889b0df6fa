package indexer

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
	"github.com/repere-spie/repere/seed"
)

// The relevance dataset: the demo data that `make run` shows (seed 1,
// seed.DefaultServices services), dated at a fixed moment so that the daily
// shuffle and the suspensions never change between runs.
var relevanceNow = time.Date(2026, 3, 10, 10, 0, 0, 0, directory.Paris)

// relevanceFloors are the lowest figures each family may reach: nDCG@10 and
// P@10 at least, the share of zero-result queries at most. The first honest
// measure, before the analysis of issue 11, was (nDCG@10, P@10, zero):
// acronym .578 .589 31 %, everyday .446 .502 39 %, jargon .858 .839 6.5 %,
// typo .835 .864 0 %, form .801 .865 4 %, request .206 .223 57 %, all .608
// .633 25 %; the floors sit a little under what the search reaches since.
// Raise them when it improves; never lower them to let a change land.
var relevanceFloors = map[string]struct{ ndcg, p10, zero float64 }{
	"acronym":  {0.89, 0.97, 0.03},
	"everyday": {0.91, 0.95, 0.02},
	"jargon":   {0.94, 0.93, 0.03},
	"typo":     {0.96, 0.97, 0.04},
	"form":     {0.94, 0.96, 0.05},
	"request":  {0.81, 0.82, 0.04},
	"all":      {0.91, 0.94, 0.01},
}

// heldOutFloor is the floor of the held-out queries, all families together
// (first measure: .285 .299 58 % before the analysis, .749 .796 4.4 % after).
var heldOutFloor = struct{ ndcg, p10, zero float64 }{0.72, 0.77, 0.07}

// judgedQuery is one line of testdata/relevance.txt (or of the held-out
// file).
type judgedQuery struct {
	file    string
	line    int
	family  string
	commune string
	text    string
	rules   []judgment
}

// judgment grades the services meeting all its conditions.
type judgment struct {
	conds []condition
	grade int
}

type condition struct {
	kind  byte // 't', 'p', 'n' or 's'
	value string
}

func loadJudgedQueries(tb testing.TB, file string) []judgedQuery {
	tb.Helper()
	f, err := os.Open(file)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []judgedQuery
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 4 {
			tb.Fatalf("%s:%d: want 4 fields separated by |", file, n)
		}
		q := judgedQuery{file: file, line: n, family: strings.TrimSpace(parts[0]), commune: strings.TrimSpace(parts[1]), text: strings.TrimSpace(parts[2])}
		if !slices.Contains(families, q.family) || q.family == "all" {
			tb.Fatalf("%s:%d: unknown family %q", file, n, q.family)
		}
		for _, r := range strings.Split(parts[3], ";") {
			j, err := parseJudgment(strings.TrimSpace(r))
			if err != nil {
				tb.Fatalf("%s:%d: %v", file, n, err)
			}
			q.rules = append(q.rules, j)
		}
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

func parseJudgment(s string) (judgment, error) {
	conds, grade, ok := strings.Cut(s, "=")
	g, err := strconv.Atoi(grade)
	if !ok || err != nil || g < 1 || g > 3 {
		return judgment{}, fmt.Errorf("%q: want conditions=grade, grade 1 to 3", s)
	}
	j := judgment{grade: g}
	for _, c := range strings.Split(conds, "+") {
		kind, value, ok := strings.Cut(strings.TrimSpace(c), ":")
		if !ok || len(kind) != 1 || value == "" {
			return judgment{}, fmt.Errorf("%q: a condition is t:, p:, n: or s: and a value", c)
		}
		switch kind[0] {
		case 't':
			v, err := resolveThematique(value)
			if err != nil {
				return judgment{}, err
			}
			value = v
		case 'p':
			if !directory.Publics.Has(value) {
				return judgment{}, fmt.Errorf("unknown public %q", value)
			}
		case 'n', 's':
			value = geo.Fold(value)
		default:
			return judgment{}, fmt.Errorf("%q: unknown condition", c)
		}
		j.conds = append(j.conds, condition{kind[0], value})
	}
	return j, nil
}

// judged is a service as the judgments see it.
type judged struct {
	thematiques []string // besoins and their categories
	publics     []string
	name        string // folded
	structure   string // folded
}

func (j *judgment) holds(s *judged) bool {
	for _, c := range j.conds {
		var ok bool
		switch c.kind {
		case 't':
			ok = slices.Contains(s.thematiques, c.value)
		case 'p':
			ok = slices.Contains(s.publics, c.value)
		case 'n':
			ok = strings.Contains(s.name, c.value)
		case 's':
			ok = strings.Contains(s.structure, c.value)
		}
		if !ok {
			return false
		}
	}
	return true
}

func (q *judgedQuery) grade(s *judged) int {
	g := 0
	for _, j := range q.rules {
		if j.grade > g && j.holds(s) {
			g = j.grade
		}
	}
	return g
}

// relevanceSet is the dataset indexed, with every service as judged.
type relevanceSet struct {
	ix       *Index
	services map[string]*judged
	// candidates lists, by commune ("" for all of France), the services a
	// search of that place may return, whatever the text.
	candidates map[string][]string
}

// loadRelevanceSet generates the dataset and indexes it.
func loadRelevanceSet(t *testing.T) *relevanceSet {
	_, g := gazetteer(t)
	b := newBuilder(t)
	err := seed.Generate(g, seed.Options{Seed: 1, Services: seed.DefaultServices, Now: relevanceNow},
		func(st *directory.Structure, ss []*directory.Service) error {
			b.structures[st.ID] = st
			b.services = append(b.services, ss...)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	set := &relevanceSet{services: map[string]*judged{}, candidates: map[string][]string{}}
	for _, s := range b.services {
		j := &judged{publics: s.Publics, name: geo.Fold(s.Name)}
		if st := b.structures[s.StructureID]; st != nil {
			j.structure = geo.Fold(st.Name)
		}
		for _, t := range s.Thematiques {
			j.thematiques = append(j.thematiques, t)
			if c := directory.CategoryOf(t); c != "" && !slices.Contains(j.thematiques, c) {
				j.thematiques = append(j.thematiques, c)
			}
		}
		set.services[s.ID] = j
	}
	set.ix = b.build()
	set.ix.now = func() time.Time { return relevanceNow }
	return set
}

func (rs *relevanceSet) candidatesOf(t *testing.T, commune string) []string {
	if c, ok := rs.candidates[commune]; ok {
		return c
	}
	c := ids(t, rs.ix, directory.SearchQuery{CommuneCode: commune, Now: relevanceNow})
	rs.candidates[commune] = c
	return c
}

// queryMeasure is the outcome of one judged query.
type queryMeasure struct {
	q          *judgedQuery
	ndcg, p10  float64
	zero       bool
	total      int
	relevant   int
	top        []string
	topGrades  []int
	bestGrades []int
}

const relevanceDepth = 10

func (rs *relevanceSet) measure(t *testing.T, q *judgedQuery) queryMeasure {
	m := queryMeasure{q: q}
	var ideal []int
	for _, id := range rs.candidatesOf(t, q.commune) {
		if g := q.grade(rs.services[id]); g > 0 {
			ideal = append(ideal, g)
		}
	}
	if len(ideal) == 0 {
		t.Errorf("%s:%d: no service of the dataset meets the judgments of %q", q.file, q.line, q.text)
		return m
	}
	m.relevant = len(ideal)
	slices.SortFunc(ideal, func(a, b int) int { return b - a })
	m.bestGrades = ideal[:min(len(ideal), relevanceDepth)]
	res, err := rs.ix.Search(context.Background(), directory.SearchQuery{
		CommuneCode: q.commune, Text: q.text, Size: relevanceDepth, Now: relevanceNow,
	})
	if err != nil {
		t.Fatalf("%s:%d: %v", q.file, q.line, err)
	}
	m.total, m.zero = res.Total, res.Total == 0
	var grades []int
	hits := 0
	for _, h := range res.Hits {
		g := q.grade(rs.services[h.ID])
		grades = append(grades, g)
		m.top = append(m.top, h.Name)
		if g > 0 {
			hits++
		}
	}
	m.topGrades = grades
	m.ndcg = dcg(grades) / dcg(m.bestGrades)
	m.p10 = float64(hits) / float64(min(relevanceDepth, m.relevant))
	return m
}

// dcg is the discounted cumulative gain of grades in rank order, with the
// exponential gain that rewards a grade 3 far above a grade 1.
func dcg(grades []int) float64 {
	var sum float64
	for i, g := range grades {
		sum += (math.Exp2(float64(g)) - 1) / math.Log2(float64(i+2))
	}
	return sum
}

// familyMeasure averages the measures of a family.
type familyMeasure struct {
	n               int
	ndcg, p10, zero float64
}

func summarise(ms []queryMeasure) map[string]familyMeasure {
	out := map[string]familyMeasure{}
	add := func(fam string, m queryMeasure) {
		f := out[fam]
		f.n++
		f.ndcg += m.ndcg
		f.p10 += m.p10
		if m.zero {
			f.zero++
		}
		out[fam] = f
	}
	for _, m := range ms {
		add(m.q.family, m)
		add("all", m)
	}
	for fam, f := range out {
		f.ndcg /= float64(f.n)
		f.p10 /= float64(f.n)
		f.zero /= float64(f.n)
		out[fam] = f
	}
	return out
}

// families are the kinds of queries, in the order of the tables.
var families = []string{"acronym", "everyday", "jargon", "typo", "form", "request", "all"}

// TestRelevance measures the search on the judged queries and fails when a
// family falls below its floor. `make relevance` prints the tables (and,
// with REPERE_RELEVANCE_DETAIL=1, every query).
func TestRelevance(t *testing.T) {
	queries := loadJudgedQueries(t, "testdata/relevance.txt")
	if len(queries) < 150 {
		t.Fatalf("%d judged queries, want at least 150", len(queries))
	}
	heldOut := loadJudgedQueries(t, "testdata/relevance-heldout.txt")
	rs := loadRelevanceSet(t)
	sum := rs.report(t, queries, "requêtes jugées")
	held := rs.report(t, heldOut, "requêtes tenues à l’écart du réglage")
	for _, fam := range families {
		f, floor := sum[fam], relevanceFloors[fam]
		if f.ndcg < floor.ndcg || f.p10 < floor.p10 || f.zero > floor.zero {
			t.Errorf("%s: nDCG@10 %.3f, P@10 %.3f, zero results %.1f %% – floor %.3f, %.3f, %.1f %%",
				fam, f.ndcg, f.p10, 100*f.zero, floor.ndcg, floor.p10, 100*floor.zero)
		}
	}
	if f, floor := held["all"], heldOutFloor; f.ndcg < floor.ndcg || f.p10 < floor.p10 || f.zero > floor.zero {
		t.Errorf("held-out queries: nDCG@10 %.3f, P@10 %.3f, zero results %.1f %% – floor %.3f, %.3f, %.1f %%",
			f.ndcg, f.p10, 100*f.zero, floor.ndcg, floor.p10, 100*floor.zero)
	}
}

// report measures queries and, when verbose, prints their table.
func (rs *relevanceSet) report(t *testing.T, queries []judgedQuery, title string) map[string]familyMeasure {
	var ms []queryMeasure
	for i := range queries {
		ms = append(ms, rs.measure(t, &queries[i]))
	}
	sum := summarise(ms)
	if !testing.Verbose() {
		return sum
	}
	if os.Getenv("REPERE_RELEVANCE_DETAIL") != "" {
		for _, m := range ms {
			fmt.Printf("%-8s %-40q nDCG %.2f P@10 %.2f total %5d relevant %4d grades %v\n",
				m.q.family, m.q.text+" @"+m.q.commune, m.ndcg, m.p10, m.total, m.relevant, m.topGrades)
			for i, name := range m.top[:min(3, len(m.top))] {
				fmt.Printf("         %d. [%d] %s\n", i+1, m.topGrades[i], name)
			}
		}
	}
	fmt.Printf("\nRepère – pertinence : %d %s, %d services de démonstration\n", len(ms), title, len(rs.services))
	fmt.Printf("  %-10s %8s %8s %8s %10s\n", "famille", "requêtes", "nDCG@10", "P@10", "sans rés.")
	for _, fam := range families {
		if f, ok := sum[fam]; ok {
			fmt.Printf("  %-10s %8d %8.3f %8.3f %9.1f %%\n", fam, f.n, f.ndcg, f.p10, 100*f.zero)
		}
	}
	return sum
}
