package ui_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/app/apptest"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
	"github.com/repere-spie/repere/internal/store"
	"github.com/repere-spie/repere/seed"
)

// The benchmarks measure the figures of the public site on demo data of the
// seed package (seed 1). REPERE_BENCH_INDEX names an index folder to use, by
// default of 100,000 services (REPERE_BENCH_SERVICES): when it holds no
// index, the first run builds it there and keeps it, and the next runs
// measure on it once settled (bleve merges segments for a while after a
// build). Without REPERE_BENCH_INDEX, a 20,000-service index is built in a
// temporary folder. The embedded store holds the first benchStored services
// and their structures, which the service and structure pages read by id.

const benchStored = 1000

type benchSite struct {
	app        *fiber.App
	gaz        *geo.Gazetteer
	store      *store.Store
	index      *indexer.Index
	services   []string // canonical paths
	structures []string
	communes   []string
	results    []string
	label      string
}

var benchOnce struct {
	sync.Once
	site *benchSite
	err  error
}

func benchEnv(b *testing.B) *benchSite {
	b.Helper()
	benchOnce.Do(func() {
		benchOnce.site, benchOnce.err = buildBenchSite(b)
	})
	if benchOnce.err != nil {
		b.Fatal(benchOnce.err)
	}
	return benchOnce.site
}

// preparedBenchSite serves the store and index of a prepared data directory;
// the pages measured are those of its first 1,000 visible services.
func preparedBenchSite(b *testing.B, gaz *geo.Gazetteer, data string) (*benchSite, error) {
	ctx := context.Background()
	st, err := store.Open(ctx, store.Config{DataDir: data, Logger: apptest.QuietLogger()})
	if err != nil {
		return nil, err
	}
	cleanup = append(cleanup, func() { st.Close(context.Background()) })
	idx, err := indexer.Open(filepath.Join(data, "index"), gaz)
	if err != nil {
		return nil, err
	}
	cleanup = append(cleanup, func() { idx.Close() })
	if idx.NeedsRebuild() {
		return nil, fmt.Errorf("no index in %s: run repere-bench prepare first", data)
	}
	site := &benchSite{gaz: gaz, store: st, index: idx, label: "prepared data directory " + data}
	if site.app, err = newApp(b, st, idx, ""); err != nil {
		return nil, err
	}
	e := &env{app: site.app}
	canonical := func(path string) string {
		if r := e.get(b, path); r.status == 301 {
			return r.header.Get("Location")
		}
		return path
	}
	seenSt, seenCom := map[string]bool{}, map[string]bool{}
	stop := errors.New("enough")
	err = idx.Each(ctx, func(h directory.Hit) error {
		site.services = append(site.services, canonical("/services/"+h.ID))
		if !seenSt[h.StructureID] && h.StructureID != "" {
			seenSt[h.StructureID] = true
			site.structures = append(site.structures, canonical("/structures/"+h.StructureID))
		}
		if h.CommuneCode != "" && !seenCom[h.CommuneCode] && len(site.communes) < 200 {
			seenCom[h.CommuneCode] = true
			site.communes = append(site.communes, canonical("/communes/"+h.CommuneCode))
			site.results = append(site.results, "/recherche?code_commune="+h.CommuneCode)
		}
		if len(site.services) == benchStored {
			return stop
		}
		return nil
	})
	if err != nil && !errors.Is(err, stop) {
		return nil, err
	}
	n, _ := st.CountServices(ctx)
	fmt.Printf("ui benchmarks: %s, %d services in its embedded store\n", site.label, n)
	return site, nil
}

func buildBenchSite(b *testing.B) (*benchSite, error) {
	ctx := context.Background()
	geography, gaz := apptest.Geography(b)
	indexDir := os.Getenv("REPERE_BENCH_INDEX")
	n := 20_000
	if indexDir != "" {
		n = 100_000
	}
	if v := os.Getenv("REPERE_BENCH_SERVICES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			return nil, err
		}
	}
	// REPERE_BENCH_DATA names a data directory prepared by `repere-bench
	// prepare` (make bench-ui): its store holds every service, its index
	// was built from that store, and the pages read them as in production.
	if data := os.Getenv("REPERE_BENCH_DATA"); data != "" {
		return preparedBenchSite(b, gaz, data)
	}
	dir, err := os.MkdirTemp("", "repere-ui-bench-")
	if err != nil {
		return nil, err
	}
	cleanup = append(cleanup, func() { os.RemoveAll(dir) })
	st, err := store.Open(ctx, store.Config{DataDir: dir, Logger: apptest.QuietLogger()})
	if err != nil {
		return nil, err
	}
	cleanup = append(cleanup, func() { st.Close(context.Background()) })
	gen := &generated{structures: map[string]*directory.Structure{}}
	err = seed.Generate(geography, seed.Options{Seed: 1, Services: n}, func(st *directory.Structure, svcs []*directory.Service) error {
		gen.structures[st.ID] = st
		gen.services = append(gen.services, svcs...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	stored := gen.services[:min(benchStored, len(gen.services))]
	var structures []*directory.Structure
	seen := map[string]bool{}
	for _, s := range stored {
		if !seen[s.StructureID] {
			seen[s.StructureID] = true
			structures = append(structures, gen.structures[s.StructureID])
		}
	}
	if err := st.InsertStructures(ctx, structures); err != nil {
		return nil, err
	}
	if err := st.InsertServices(ctx, stored); err != nil {
		return nil, err
	}

	site := &benchSite{}
	if indexDir == "" {
		indexDir = filepath.Join(dir, "index")
	}
	idx, err := indexer.Open(indexDir, gaz)
	if err != nil {
		return nil, err
	}
	if idx.NeedsRebuild() {
		start := time.Now()
		if err := idx.Rebuild(ctx, gen, nil); err != nil {
			return nil, err
		}
		site.label = fmt.Sprintf("index of %d demo services built now in %s (still merging: figures settle on the next run with the same REPERE_BENCH_INDEX)", n, time.Since(start).Round(time.Millisecond))
	} else {
		site.label = fmt.Sprintf("index %s (%d demo services)", indexDir, n)
	}
	cleanup = append(cleanup, func() { idx.Close() })
	site.gaz, site.store, site.index = gaz, st, idx
	if site.app, err = newApp(b, st, idx, ""); err != nil {
		return nil, err
	}

	// Canonical paths, found through the redirects of the short ones.
	e := &env{app: site.app}
	canonical := func(path string) string {
		r := e.get(b, path)
		if r.status == 301 {
			return r.header.Get("Location")
		}
		return path
	}
	communes := map[string]bool{}
	for _, s := range stored {
		if s.Status != directory.StatusPublished || s.SuspendedUntil != nil {
			continue
		}
		site.services = append(site.services, canonical("/services/"+s.ID))
		if s.CodeInsee != "" && !communes[s.CodeInsee] && len(site.communes) < 200 {
			communes[s.CodeInsee] = true
			site.communes = append(site.communes, canonical("/communes/"+s.CodeInsee))
			site.results = append(site.results, "/recherche?code_commune="+s.CodeInsee)
		}
	}
	for _, st := range structures {
		site.structures = append(site.structures, canonical("/structures/"+st.ID))
	}
	fmt.Printf("ui benchmarks: %s; %d services and %d structures in the embedded store\n", site.label, len(stored), len(structures))
	return site, nil
}

// serverTimes runs the app's handler directly (no network) on paths in
// turn and reports the p50 and p99 of the time it takes.
func serverTimes(b *testing.B, app *fiber.App, name string, paths []string) {
	h := app.Handler()
	times := make([]time.Duration, 0, b.N)
	var req fasthttp.Request
	var ctx fasthttp.RequestCtx
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1234}
	b.ResetTimer()
	for i := range b.N {
		req.Reset()
		req.SetRequestURI(paths[i%len(paths)])
		req.Header.SetMethod(fasthttp.MethodGet)
		ctx.Init(&req, addr, nil)
		start := time.Now()
		h(&ctx)
		times = append(times, time.Since(start))
		if code := ctx.Response.StatusCode(); code != 200 {
			b.Fatalf("%s: status %d", paths[i%len(paths)], code)
		}
	}
	b.StopTimer()
	report(b, name, times)
}

func report(b *testing.B, name string, times []time.Duration) (p50, p99 time.Duration) {
	slices.Sort(times)
	q := func(p float64) time.Duration { return times[min(len(times)-1, int(float64(len(times))*p))] }
	p50, p99 = q(0.50), q(0.99)
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	fmt.Printf("%s: n=%d p50=%s p99=%s\n", name, len(times), p50.Round(10*time.Microsecond), p99.Round(10*time.Microsecond))
	return p50, p99
}

func BenchmarkServicePage(b *testing.B) {
	s := benchEnv(b)
	serverTimes(b, s.app, "service page", s.services)
}

func BenchmarkStructurePage(b *testing.B) {
	s := benchEnv(b)
	serverTimes(b, s.app, "structure page", s.structures)
}

func BenchmarkCommunePage(b *testing.B) {
	s := benchEnv(b)
	serverTimes(b, s.app, "commune page", s.communes)
}

func BenchmarkResultsPage(b *testing.B) {
	s := benchEnv(b)
	serverTimes(b, s.app, "results page", s.results)
}

// BenchmarkResultsPageConcurrent serves the results page on a loopback port
// to 8 concurrent clients with keep-alive connections, as browsers would
// (compressed responses).
func BenchmarkResultsPageConcurrent(b *testing.B) {
	s := benchEnv(b)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	go s.app.Listener(ln)
	defer s.app.Shutdown()
	base := "http://" + ln.Addr().String()
	const clients = 8
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, DisableCompression: true}}
	var mu sync.Mutex
	var times []time.Duration
	var bytes int64
	next := make(chan string)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			var n int64
			for path := range next {
				req, _ := http.NewRequest(http.MethodGet, base+path, nil)
				req.Header.Set("Accept-Encoding", "gzip, br")
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					continue
				}
				k, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mine = append(mine, time.Since(t0))
				n += k
				if resp.StatusCode != 200 {
					b.Errorf("%s: %d", path, resp.StatusCode)
				}
			}
			mu.Lock()
			times = append(times, mine...)
			bytes += n
			mu.Unlock()
		}()
	}
	for i := range b.N {
		next <- s.results[i%len(s.results)]
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	rate := float64(len(times)) / elapsed.Seconds()
	b.ReportMetric(rate, "req/s")
	report(b, "results page, 8 clients", times)
	fmt.Printf("results page, 8 clients: %.0f req/s, %.1f kB per compressed response\n", rate, float64(bytes)/float64(max(1, len(times)))/1024)
}

// coldTimes measures first visits: each iteration builds a fresh app, so
// that nothing is cached, and requests path once.
func coldTimes(b *testing.B, name, path string) {
	s := benchEnv(b)
	var times []time.Duration
	for range b.N {
		b.StopTimer()
		app, err := newApp(b, s.store, s.index, "")
		if err != nil {
			b.Fatal(err)
		}
		fresh := &env{app: app}
		b.StartTimer()
		start := time.Now()
		if r := fresh.get(b, path); r.status != 200 {
			b.Fatalf("%s: %d", path, r.status)
		}
		times = append(times, time.Since(start))
	}
	report(b, name, times)
}

// BenchmarkDepartementPageFirstVisit counts the services of every commune
// of the Vienne (266 searches), which the page then caches.
func BenchmarkDepartementPageFirstVisit(b *testing.B) {
	coldTimes(b, "département page, first visit (Vienne)", "/departements/86-vienne")
}

// BenchmarkSitemapFirstVisit lists every visible service, which the
// sitemap then caches.
func BenchmarkSitemapFirstVisit(b *testing.B) {
	coldTimes(b, "sitemap, first visit", "/sitemap.xml")
}
