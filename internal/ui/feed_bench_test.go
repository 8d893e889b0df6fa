package ui_test

import (
	"cmp"
	"math/rand/v2"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/repere-spie/repere/internal/app"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// The feed benchmarks run on the site of the other benchmarks (bench_test.go,
// REPERE_BENCH_DATA or REPERE_BENCH_INDEX), with the real clock: the demo data is dated from
// today, and feeds read the months before now first.

func feedApp(b *testing.B, s *benchSite) *fiber.App {
	m := &app.Main{Config: siteConfig(b, os.TempDir(), ""), Store: s.store, Index: s.index}
	if err := startSite(b, m, nil); err != nil {
		b.Fatal(err)
	}
	return m.App
}

// searchFeeds are the feeds of the results pages of the benchmark communes
// with each category, in the three formats: distinct, so that none is
// served from memory.
func searchFeeds(s *benchSite) []string {
	var out []string
	for _, r := range s.results {
		code := strings.TrimPrefix(r, "/recherche?code_commune=")
		for _, c := range directory.ThematiqueCategories.Terms() {
			for _, ext := range []string{"atom", "rss", "json"} {
				out = append(out, "/flux/recherche."+ext+"?code_commune="+code+"&thematiques="+c.Value)
			}
		}
	}
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// pageFeeds are the feeds of the commune pages of the 2,000 most populated
// communes, of every département page and every thématique page.
func pageFeeds(s *benchSite) []string {
	var out []string
	add := func(path string) {
		for _, ext := range []string{"atom", "rss", "json"} {
			out = append(out, path+"/flux."+ext)
		}
	}
	var communes []*directory.Commune
	for _, d := range s.gaz.Departements() {
		communes = append(communes, s.gaz.CommunesOf(d.Code)...)
		add("/departements/" + d.Code + "-" + geo.Slug(d.Name))
	}
	slices.SortFunc(communes, func(a, b *directory.Commune) int { return cmp.Compare(b.Population, a.Population) })
	for _, c := range communes[:min(2000, len(communes))] {
		add("/communes/" + c.Code + "-" + geo.Slug(c.Name))
	}
	for _, v := range []*directory.Vocabulary{directory.ThematiqueCategories, directory.Thematiques} {
		for _, t := range v.Terms() {
			add("/thematiques/" + t.Value)
		}
	}
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// feedTimes requests each path once, in turn, with the headers of its
// index, expecting status, and reports the p50 and p99 of the server time.
func feedTimes(b *testing.B, app *fiber.App, name string, paths []string, headers func(i int) []string, status int) {
	if b.N > len(paths) {
		b.Fatalf("%d requests for %d distinct feeds: lower -benchtime", b.N, len(paths))
	}
	h := app.Handler()
	times := make([]time.Duration, 0, b.N)
	var req fasthttp.Request
	var ctx fasthttp.RequestCtx
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1234}
	b.ResetTimer()
	for i := range b.N {
		req.Reset()
		req.SetRequestURI(paths[i])
		req.Header.SetMethod(fasthttp.MethodGet)
		if headers != nil {
			hs := headers(i)
			for k := 0; k+1 < len(hs); k += 2 {
				req.Header.Set(hs[k], hs[k+1])
			}
		}
		ctx.Init(&req, addr, nil)
		start := time.Now()
		h(&ctx)
		times = append(times, time.Since(start))
		if code := ctx.Response.StatusCode(); code != status {
			b.Fatalf("%s: status %d, want %d", paths[i], code, status)
		}
	}
	b.StopTimer()
	report(b, name, times)
}

// BenchmarkFeedSearch: a search feed (commune + category), computed from
// the index.
func BenchmarkFeedSearch(b *testing.B) {
	s := benchEnv(b)
	feedTimes(b, feedApp(b, s), "feed of a search, computed", searchFeeds(s), nil, 200)
}

// BenchmarkFeedPages: the feed of a commune, département or thématique
// page, computed from the index.
func BenchmarkFeedPages(b *testing.B) {
	s := benchEnv(b)
	feedTimes(b, feedApp(b, s), "feed of a commune, département or thématique, computed", pageFeeds(s), nil, 200)
}

// etags requests each path once and returns its ETag.
func etags(b *testing.B, app *fiber.App, paths []string) []string {
	e := &env{app: app}
	out := make([]string, len(paths))
	for i, p := range paths {
		r := e.get(b, p)
		if r.status != 200 || r.header.Get("ETag") == "" {
			b.Fatalf("%s: %d", p, r.status)
		}
		out[i] = r.header.Get("ETag")
	}
	return out
}

// BenchmarkFeedNotModified: a reader polling a feed that did not change
// since its last visit, the index unchanged meanwhile.
func BenchmarkFeedNotModified(b *testing.B) {
	s := benchEnv(b)
	app := feedApp(b, s)
	distinct := searchFeeds(s)[:600]
	tags := etags(b, app, distinct)
	paths := make([]string, 0, b.N)
	for i := range b.N {
		paths = append(paths, distinct[i%len(distinct)])
	}
	feedTimes(b, app, "feed not modified (304)", paths, func(i int) []string {
		return []string{"If-None-Match", tags[i%len(distinct)]}
	}, 304)
}

// BenchmarkFeedNotModifiedAfterWrite: the same, after a write to the index
// that the feeds do not show: each is computed again, then found unchanged.
func BenchmarkFeedNotModifiedAfterWrite(b *testing.B) {
	s := benchEnv(b)
	app := feedApp(b, s)
	paths := searchFeeds(s)[:min(b.N, 3000)]
	tags := etags(b, app, paths)
	// A write elsewhere: every feed computed before is out of date.
	id, _, _ := strings.Cut(strings.TrimPrefix(s.services[0], "/services/"), "-")
	svc, err := s.store.Service(b.Context(), id)
	if err != nil {
		b.Fatal(err)
	}
	st, err := s.store.Structure(b.Context(), svc.StructureID)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.index.Put(svc, st); err != nil {
		b.Fatal(err)
	}
	time.Sleep(2 * time.Second) // let the index merge its new segment
	feedTimes(b, app, "feed not modified (304) after an index write", paths, func(i int) []string {
		return []string{"If-None-Match", tags[i]}
	}, 304)
}
