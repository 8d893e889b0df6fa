// Package relevance_test measures what the search finds: judged queries run
// over a fixed dataset (the demo data and the real files of ../shared/realdata,
// imported as the site imports them), scored per family of queries.
package relevance_test

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/catalog"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
	"github.com/repere-spie/repere/internal/importer"
	"github.com/repere-spie/repere/internal/store"
	"github.com/repere-spie/repere/seed"
)

// The relevance dataset: the demo data that `make run` shows (seed 1,
// seed.DefaultServices services) and the real files that `make run-reel`
// imports (data·inclusion around Lille and in La Réunion, the France services
// sites), dated at a fixed moment so that the daily shuffle and the
// suspensions never change between runs.
var relevanceNow = time.Date(2026, 3, 10, 10, 0, 0, 0, directory.Paris)

// relevanceFloors are the lowest figures each family may reach: nDCG@10 and
// P@10 at least, the share of zero-result queries at most. The first honest
// measure, before the analysis of issue 11, on this dataset, was (nDCG@10,
// P@10, zero results): acronym .558 .622 15 %, everyday .521 .546 14 %,
// jargon .803 .782 2 %, typo .848 .838 0 %, form .753 .796 4 %, request
// .313 .324 45 %, all .619 .639 13 %. The floors sit a little under what
// the search reaches since. Raise them when it improves; never lower them
// to let a change of the search land (the typo P@10 floor moved once, with
// the dataset: the demo generator, which read the clock, is now
// reproducible, and one typo query lost one relevant result in its ten).
var relevanceFloors = map[string]struct{ ndcg, p10, zero float64 }{
	"acronym":  {0.86, 0.94, 0.03},
	"everyday": {0.89, 0.93, 0.02},
	"jargon":   {0.90, 0.90, 0.02},
	"typo":     {0.96, 0.96, 0.04}, // P@10 .969 since the demo generator stopped reading the clock (its dataset moved by one result)
	"form":     {0.94, 0.96, 0.04},
	"request":  {0.79, 0.80, 0.04},
	"all":      {0.89, 0.92, 0.01},
}

// heldOutFloor is the floor of the held-out queries, all families together
// (first measure: .329 .346 31 % before the analysis, .757 .820 0 % after).
var heldOutFloor = struct{ ndcg, p10, zero float64 }{0.73, 0.79, 0.03}

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
			v, err := indexer.ResolveThematique(value)
			if err != nil {
				return judgment{}, err
			}
			value = v
		case 'p':
			if !directory.Publics.Has(value) {
				return judgment{}, fmt.Errorf("unknown public %q", value)
			}
		case 'n', 's':
			value = directory.Fold(value)
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
	ix       *indexer.Index
	gaz      *geo.Gazetteer
	services map[string]*judged
	demo     int // services of the demo data; the others are real
	// candidates lists, by commune ("" for all of France), the services a
	// search of that place may return, whatever the text.
	candidates map[string][]string
}

// loadRelevanceSet writes the demo data into an embedded store, imports the
// real files through the importer (offline: a record without coordinates is
// placed at its commune's centre), and builds the index from the store.
func loadRelevanceSet(t *testing.T) *relevanceSet {
	ctx := context.Background()
	log := apptest.QuietLogger()
	g, gaz := apptest.Geography(t)
	st, err := store.Open(ctx, store.Config{DataDir: t.TempDir(), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close(ctx) })
	ix, err := indexer.Open(t.TempDir(), gaz)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })

	err = seed.Generate(g, seed.Options{Seed: 1, Services: seed.DefaultServices, Now: relevanceNow},
		func(s *directory.Structure, ss []*directory.Service) error {
			if err := st.InsertStructures(ctx, []*directory.Structure{s}); err != nil {
				return err
			}
			return st.InsertServices(ctx, ss)
		})
	if err != nil {
		t.Fatal(err)
	}
	im := &importer.Importer{Store: st, Catalog: catalog.New(st, ix, gaz, log), Gazetteer: gaz, Log: log,
		Now: func() time.Time { return relevanceNow }}
	real := filepath.Join(apptest.SharedDir(t), "realdata")
	for _, r := range []importer.Reader{
		&importer.DirReader{Dir: filepath.Join(real, "gip-inclusion-fluo-proto"), Now: im.Now},
		&importer.DirReader{Dir: filepath.Join(real, "gip-inclusion-offre-inclusion"), Now: im.Now},
		&importer.FranceServicesReader{Path: filepath.Join(real, "anct-carto-france_services", "liste-fs-20240801.csv")},
	} {
		if _, err := im.Run(ctx, r, importer.Options{Grace: 7 * 24 * time.Hour}); err != nil {
			t.Fatalf("import %s: %v", r.Describe(), err)
		}
	}
	if err := ix.Rebuild(ctx, st, nil); err != nil {
		t.Fatal(err)
	}

	set := &relevanceSet{ix: ix, gaz: gaz, services: map[string]*judged{}, candidates: map[string][]string{}}
	structures := map[string]string{}
	err = st.EachStructure(ctx, func(s *directory.Structure) error {
		structures[s.ID] = directory.Fold(s.Name)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.EachService(ctx, func(s *directory.Service) error {
		if !s.Listed() {
			return nil
		}
		j := &judged{publics: s.Publics, name: directory.Fold(s.Name), structure: structures[s.StructureID]}
		for _, th := range s.Thematiques {
			j.thematiques = append(j.thematiques, th)
			if c := directory.CategoryOf(th); c != "" && !slices.Contains(j.thematiques, c) {
				j.thematiques = append(j.thematiques, c)
			}
		}
		set.services[s.ID] = j
		if s.Source == seed.Source {
			set.demo++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func (rs *relevanceSet) candidatesOf(t *testing.T, code string) []string {
	if c, ok := rs.candidates[code]; ok {
		return c
	}
	c := ids(t, rs.ix, directory.SearchQuery{Commune: rs.placeOf(t, code), Now: relevanceNow})
	rs.candidates[code] = c
	return c
}

// placeOf is the commune of an INSEE code; nil for "" (all of France).
func (rs *relevanceSet) placeOf(t *testing.T, code string) *directory.Commune {
	commune := rs.gaz.Commune
	if code == "" {
		return nil
	}
	c, ok := commune(code)
	if !ok {
		t.Fatalf("no commune %s", code)
	}
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
		Commune: rs.placeOf(t, q.commune), Text: q.text, Size: relevanceDepth, Now: relevanceNow,
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
	if len(queries) < 250 {
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
	fmt.Printf("\nRepère – pertinence : %d %s ; %d services de démonstration et %d réels\n", len(ms), title, rs.demo, len(rs.services)-rs.demo)
	fmt.Printf("  %-10s %8s %8s %8s %10s\n", "famille", "requêtes", "nDCG@10", "P@10", "sans rés.")
	for _, fam := range families {
		if f, ok := sum[fam]; ok {
			fmt.Printf("  %-10s %8d %8.3f %8.3f %9.1f %%\n", fam, f.n, f.ndcg, f.p10, 100*f.zero)
		}
	}
	return sum
}

// ids runs q and returns the ids of every result, in order.
func ids(t *testing.T, ix *indexer.Index, q directory.SearchQuery) []string {
	t.Helper()
	q.Size = directory.MaxSearchSize
	var out []string
	for q.Page = 1; ; q.Page++ {
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("search %+v: %v", q, err)
		}
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		if len(res.Hits) < q.Size {
			return out
		}
	}
}
