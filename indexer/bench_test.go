package indexer

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/seed"
)

// The benchmarks search 100k demo services (seed.Generate), or
// REPERE_BENCH_SERVICES of them. The index is built once per process in a
// temporary directory, or reused from REPERE_BENCH_INDEX when that
// directory holds a sound index of the same number of services (delete it
// to rebuild).
var benchServices = 100_000

func init() {
	if n, err := strconv.Atoi(os.Getenv("REPERE_BENCH_SERVICES")); err == nil && n > 0 {
		benchServices = n
	}
}

var benchNow = time.Date(2026, 3, 10, 10, 0, 0, 0, directory.Paris)

var (
	benchOnce   sync.Once
	benchIx     *Index
	benchSrc    *memSource
	benchTmp    string
	benchErr    error
	benchCodes  []string
	benchBuild  time.Duration
	benchSource time.Duration
)

func demoSource(tb testing.TB) *memSource {
	_, g := gazetteer(tb)
	src := &memSource{structures: map[string]*directory.Structure{}}
	err := seed.Generate(g, seed.Options{Seed: 1, Services: benchServices, Now: benchNow},
		func(st *directory.Structure, ss []*directory.Service) error {
			src.structures[st.ID] = st
			src.services = append(src.services, ss...)
			return nil
		})
	if err != nil {
		tb.Fatal(err)
	}
	return src
}

func benchIndex(b *testing.B) *Index {
	benchOnce.Do(func() {
		gaz, g := gazetteer(b)
		start := time.Now()
		benchSrc = demoSource(b)
		benchSource = time.Since(start)
		dir := os.Getenv("REPERE_BENCH_INDEX")
		if dir == "" {
			benchTmp, benchErr = os.MkdirTemp("", "repere-bench-*")
			dir = benchTmp
		}
		if benchErr != nil {
			return
		}
		if benchIx, benchErr = Open(dir, gaz); benchErr != nil {
			return
		}
		benchIx.now = func() time.Time { return benchNow }
		if n, _ := benchIx.cur.DocCount(); benchIx.NeedsRebuild() || n != uint64(len(benchSrc.services)) {
			start = time.Now()
			benchErr = benchIx.Rebuild(context.Background(), benchSrc, nil)
			benchBuild = time.Since(start)
		}
		// The places searched: the 100 most populated communes and 100
		// others drawn by population, as people search.
		communes := slices.Clone(g.Communes)
		slices.SortFunc(communes, func(a, b directory.Commune) int { return b.Population - a.Population })
		r := rand.New(rand.NewPCG(3, 4))
		for i := range 100 {
			benchCodes = append(benchCodes, communes[i].Code)
		}
		for len(benchCodes) < 200 {
			c := communes[r.IntN(len(communes))]
			if c.Center != nil && r.IntN(5000) < c.Population {
				benchCodes = append(benchCodes, c.Code)
			}
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchIx
}

// runQueries runs the queries round-robin, b.N times, and reports the
// latency percentiles.
func runQueries(b *testing.B, ix *Index, queries []directory.SearchQuery) {
	b.Helper()
	durations := make([]time.Duration, 0, b.N)
	var total, hits int
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		q := queries[i%len(queries)]
		start := time.Now()
		res, err := ix.Search(context.Background(), q)
		durations = append(durations, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		total += res.Total
		hits += len(res.Hits)
	}
	b.StopTimer()
	reportPercentiles(b, durations)
	b.ReportMetric(float64(total)/float64(b.N), "results/op")
	if hits == 0 {
		b.Fatal("no query returned anything")
	}
}

func reportPercentiles(b *testing.B, durations []time.Duration) {
	slices.Sort(durations)
	pct := func(p int) float64 {
		return float64(durations[min(len(durations)-1, len(durations)*p/100)].Microseconds()) / 1000
	}
	b.ReportMetric(pct(50), "p50-ms")
	b.ReportMetric(pct(95), "p95-ms")
	b.ReportMetric(pct(99), "p99-ms")
}

// BenchmarkSearchCommuneThematique: a commune and a thématique (category or
// besoin), default sort, facets.
func BenchmarkSearchCommuneThematique(b *testing.B) {
	ix := benchIndex(b)
	cats := directory.ThematiqueCategories.Terms()
	besoins := directory.Thematiques.Terms()
	var qs []directory.SearchQuery
	for i, code := range benchCodes {
		theme := cats[i%len(cats)].Value
		if i%2 == 1 {
			theme = besoins[(i*7)%len(besoins)].Value
		}
		qs = append(qs, directory.SearchQuery{Commune: commune(code), Thematiques: []string{theme}, Now: benchNow})
	}
	runQueries(b, ix, qs)
}

var benchTexts = []string{
	"garde d'enfants", "permis de conduire", "logement", "aide alimentaire", "emploi", "numérique",
	"cv", "crèche", "santé", "formation", "accompagnement", "mobilité", "épicerie solidaire",
	"microcrédit", "français", "hébergement d'urgence", "atelier", "budget", "vélo", "handicap",
}

// BenchmarkSearchTextCommuneFilters: text, a commune, two filters, facets.
func BenchmarkSearchTextCommuneFilters(b *testing.B) {
	ix := benchIndex(b)
	publics := directory.Publics.Terms()
	var qs []directory.SearchQuery
	for i, code := range benchCodes {
		qs = append(qs, directory.SearchQuery{
			Commune: commune(code),
			Text:    benchTexts[i%len(benchTexts)],
			Fees:    []string{"gratuit"},
			Publics: []string{publics[i%len(publics)].Value},
			Now:     benchNow,
		})
	}
	runQueries(b, ix, qs)
}

// BenchmarkSearchTextFrance: text only, all of France, facets.
func BenchmarkSearchTextFrance(b *testing.B) {
	ix := benchIndex(b)
	var qs []directory.SearchQuery
	for _, t := range benchTexts {
		qs = append(qs, directory.SearchQuery{Text: t, Now: benchNow})
	}
	runQueries(b, ix, qs)
}

// BenchmarkSearchBesoinFrance: a besoin or a category over all of France,
// facets: every match is counted.
func BenchmarkSearchBesoinFrance(b *testing.B) {
	ix := benchIndex(b)
	var qs []directory.SearchQuery
	for _, t := range directory.ThematiqueCategories.Terms() {
		qs = append(qs, directory.SearchQuery{Thematiques: []string{t.Value}, Now: benchNow})
	}
	for i, t := range directory.Thematiques.Terms() {
		if i%5 == 0 {
			qs = append(qs, directory.SearchQuery{Thematiques: []string{t.Value}, Now: benchNow})
		}
	}
	runQueries(b, ix, qs)
}

// BenchmarkSearchCommuneOnly: the first page of a commune, no filter.
func BenchmarkSearchCommuneOnly(b *testing.B) {
	ix := benchIndex(b)
	var qs []directory.SearchQuery
	for _, code := range benchCodes {
		qs = append(qs, directory.SearchQuery{Commune: commune(code), Now: benchNow})
	}
	runQueries(b, ix, qs)
}

// BenchmarkPut re-indexes published services one by one, as writes to the
// store do: each is searchable when Put returns.
func BenchmarkPut(b *testing.B) {
	// On a copy, so that the shared index stays as built.
	shared := benchIndex(b)
	dir := b.TempDir()
	err := os.CopyFS(filepath.Join(dir, shared.gen), os.DirFS(filepath.Join(shared.root, shared.gen)))
	if err == nil {
		err = writeCurrent(dir, shared.gen)
	}
	if err != nil {
		b.Fatal(err)
	}
	gaz, _ := gazetteer(b)
	ix, err := Open(dir, gaz)
	if err != nil || ix.NeedsRebuild() {
		b.Fatalf("copy: %v", err)
	}
	defer ix.Close()
	var published []*directory.Service
	for _, s := range benchSrc.services {
		if s.Status == directory.StatusPublished {
			published = append(published, s)
		}
	}
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		s := published[(i*7919)%len(published)]
		start := time.Now()
		if err := ix.Put(s, benchSrc.structures[s.StructureID]); err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	reportPercentiles(b, durations)
}

// BenchmarkVersions reads the version of every service, as start-up
// reconciliation does.
func BenchmarkVersions(b *testing.B) {
	ix := benchIndex(b)
	for range b.N {
		v, err := ix.Versions()
		if err != nil || len(v) != len(benchSrc.services) {
			b.Fatalf("%d versions, %v", len(v), err)
		}
	}
}

// BenchmarkIndexBuild rebuilds the 100k services into a fresh directory and
// reports the time and the bytes on disk per service.
func BenchmarkIndexBuild(b *testing.B) {
	benchIndex(b)
	gaz, _ := gazetteer(b)
	for range b.N {
		dir := b.TempDir()
		ix, err := Open(dir, gaz)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := ix.Rebuild(context.Background(), benchSrc, nil); err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		size := dirSize(b, filepath.Join(dir))
		b.ReportMetric(elapsed.Seconds(), "build-s")
		b.ReportMetric(float64(size)/float64(len(benchSrc.services)), "bytes/service")
		b.Logf("built %d services in %v (demo data generated in %v); %d bytes on disk, %.0f per service",
			len(benchSrc.services), elapsed.Round(time.Millisecond), benchSource.Round(time.Millisecond), size, float64(size)/float64(len(benchSrc.services)))
	}
}

func dirSize(tb testing.TB, dir string) int64 {
	var size int64
	err := filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			size += info.Size()
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return size
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchIx != nil {
		benchIx.Close()
	}
	if benchTmp != "" {
		os.RemoveAll(benchTmp)
	}
	if benchBuild > 0 {
		fmt.Printf("benchmark index: %d services built in %v\n", len(benchSrc.services), benchBuild.Round(time.Millisecond))
	}
	os.Exit(code)
}

// BenchmarkLatestCommuneThematique: the 50 latest announcements of a
// commune and a thématique, what a search feed lists.
func BenchmarkLatestCommuneThematique(b *testing.B) {
	ix := benchIndex(b)
	cats := directory.ThematiqueCategories.Terms()
	var qs []directory.SearchQuery
	for i, code := range benchCodes {
		qs = append(qs, directory.SearchQuery{Commune: commune(code), Thematiques: []string{cats[i%len(cats)].Value}, Now: benchNow})
	}
	runLatest(b, func(i int) ([]Announcement, error) {
		return ix.Latest(context.Background(), qs[i%len(qs)], 50)
	})
}

// BenchmarkLatestCommune: the 50 latest announcements for a commune's
// inhabitants, what a commune feed lists.
func BenchmarkLatestCommune(b *testing.B) {
	ix := benchIndex(b)
	runLatest(b, func(i int) ([]Announcement, error) {
		return ix.Latest(context.Background(), directory.SearchQuery{Commune: commune(benchCodes[i%len(benchCodes)]), Now: benchNow}, 50)
	})
}

// BenchmarkLatestThematique: the 50 latest announcements of a category in
// all of France, what a thématique feed lists.
func BenchmarkLatestThematique(b *testing.B) {
	ix := benchIndex(b)
	cats := directory.ThematiqueCategories.Terms()
	runLatest(b, func(i int) ([]Announcement, error) {
		return ix.Latest(context.Background(), directory.SearchQuery{Thematiques: []string{cats[i%len(cats)].Value}, Now: benchNow}, 50)
	})
}

// BenchmarkLatestDepartement: the 50 latest announcements of a département.
func BenchmarkLatestDepartement(b *testing.B) {
	ix := benchIndex(b)
	deps := ix.gaz.Departements()
	runLatest(b, func(i int) ([]Announcement, error) {
		return ix.LatestInDepartement(context.Background(), deps[i%len(deps)].Code, 50)
	})
}

func runLatest(b *testing.B, latest func(i int) ([]Announcement, error)) {
	b.Helper()
	durations := make([]time.Duration, 0, b.N)
	entries := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		as, err := latest(i)
		durations = append(durations, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		entries += len(as)
	}
	b.StopTimer()
	reportPercentiles(b, durations)
	b.ReportMetric(float64(entries)/float64(b.N), "entries/op")
	fmt.Printf("%s: n=%d p50=%.2fms p95=%.2fms\n", b.Name(), b.N, percentile(durations, 50), percentile(durations, 95))
}

func percentile(sorted []time.Duration, p int) float64 {
	return float64(sorted[min(len(sorted)-1, len(sorted)*p/100)].Microseconds()) / 1000
}

// BenchmarkEach lists every visible service, as the sitemap does.
func BenchmarkEach(b *testing.B) {
	ix := benchIndex(b)
	for range b.N {
		start := time.Now()
		n := 0
		if err := ix.Each(context.Background(), func(directory.Hit) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "s/pass")
		fmt.Printf("Each: %d visible services in %v\n", n, time.Since(start).Round(time.Millisecond))
	}
}
