package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/repere-spie/repere/internal/app"
	"github.com/repere-spie/repere/internal/directory"
)

// benchPrepareCmd makes (once) a data directory with the geography and n demo
// services, then rebuilds its search index from the store and reports the
// build time and size. repere-bench search runs on it in a fresh process, so its
// memory figures are those of a serving process.
func benchPrepareCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	n := fs.Int("n", 100_000, "nombre de services de démonstration")
	profile := fs.String("cpuprofile", "", "écrit le profil CPU de la construction de l’index dans ce fichier")
	return func(ctx context.Context, m *app.Main) error {
		m.Config.DemoServices = *n
		if err := m.OpenBase(ctx); err != nil {
			return err
		}
		if err := m.EnsureDemo(ctx); err != nil {
			return err
		}
		count, err := m.Store.CountServices(ctx)
		if err != nil {
			return err
		}
		if count < int64(*n) {
			return fmt.Errorf("%s holds %d services, fewer than %d: use an empty -data-dir", m.Config.DataDir, count, *n)
		}
		// A fresh index directory: opening it builds the index from the store.
		if err := os.RemoveAll(m.Config.IndexDir); err != nil {
			return err
		}
		stop, err := cpuProfile(*profile)
		if err != nil {
			return err
		}
		start := time.Now()
		if err := m.OpenIndex(ctx, false); err != nil {
			return err
		}
		build := time.Since(start)
		stop()
		// The segments in use: the directory also holds, for a while,
		// segments merged away.
		size, err := m.Index.SegmentBytes()
		if err != nil {
			return err
		}
		fmt.Printf("\nRepère – index de recherche (%d services, %d cœurs)\n", count, runtime.NumCPU())
		fmt.Printf("  %-42s %s\n", "construction de l’index depuis la base", build.Round(time.Millisecond))
		fmt.Printf("  %-42s %.1f Mio, %.0f octets par service\n", "taille de l’index", float64(size)/(1<<20), float64(size)/float64(count))
		return nil
	}
}

// benchSearchCmd measures the search on a prepared data directory: query
// latencies in process, publish-to-searchable delay, the JSON API under
// concurrent clients over loopback HTTP, and the process's memory.
func benchSearchCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	queries := fs.Int("queries", 2000, "requêtes mesurées par scénario")
	clients := fs.Int("clients", 8, "clients HTTP simultanés")
	duration := fs.Duration("duration", 15*time.Second, "durée de la charge HTTP")
	profile := fs.String("cpuprofile", "", "écrit le profil CPU de la charge HTTP dans ce fichier")
	return func(ctx context.Context, m *app.Main) error {
		m.Config.Demo = false
		m.Config.APIRate = 0 // the load comes from one address
		if err := m.Open(ctx); err != nil {
			return err
		}
		if m.Index.NeedsRebuild() {
			return fmt.Errorf("no index in %s: run repere-bench prepare first", m.Config.IndexDir)
		}
		rng := rand.New(rand.NewPCG(7, 11))
		communes := populatedCommunes(m, 2000)
		besoins := directory.Thematiques.Terms()
		cats := directory.ThematiqueCategories.Terms()
		words := []string{"garde d'enfants", "permis de conduire", "logement", "aide alimentaire", "numérique", "emploi", "santé", "formation", "crèche", "vélo", "covoiturage", "budget"}
		type scenario struct {
			name string
			q    func() directory.SearchQuery
		}
		scenarios := []scenario{
			{"commune + thématique, tri, facettes", func() directory.SearchQuery {
				return directory.SearchQuery{Commune: communes[rng.IntN(len(communes))], Thematiques: []string{cats[rng.IntN(len(cats))].Value}, Sort: directory.SortDistance}
			}},
			{"texte + commune + 2 filtres + facettes", func() directory.SearchQuery {
				return directory.SearchQuery{Commune: communes[rng.IntN(len(communes))], Text: words[rng.IntN(len(words))],
					Fees: []string{"gratuit"}, ReceptionModes: []string{"en-presentiel"}}
			}},
			{"texte seul, toute la France, facettes", func() directory.SearchQuery {
				return directory.SearchQuery{Text: words[rng.IntN(len(words))]}
			}},
			{"besoin seul, toute la France, facettes", func() directory.SearchQuery {
				return directory.SearchQuery{Thematiques: []string{besoins[rng.IntN(len(besoins))].Value}}
			}},
		}
		fmt.Printf("\nRepère – recherche (%d cœurs, %s)\n", runtime.NumCPU(), runtime.Version())
		row := func(name, value string) { fmt.Printf("  %-44s %s\n", name, value) }
		for _, sc := range scenarios {
			d := make([]time.Duration, *queries)
			for i := range d {
				q := sc.q()
				q.Normalize()
				t := time.Now()
				if _, err := m.Index.Search(ctx, q); err != nil {
					return err
				}
				d[i] = time.Since(t)
			}
			row(sc.name, percentiles(d))
		}

		// Publish -> searchable: the write call returns once searches see it.
		// The same few services are written again on later runs, so the
		// prepared dataset does not grow.
		pub := make([]time.Duration, benchPublished)
		written := make([]time.Duration, benchPublished)
		for i := range pub {
			svc := benchService(i)
			t := time.Now()
			if prev, err := m.Store.Service(ctx, svc.ID); err == nil {
				svc.Version = prev.Version
				err = m.Catalog.UpdateService(ctx, svc)
				if err != nil {
					return err
				}
			} else if err := m.Catalog.CreateService(ctx, svc); err != nil {
				return err
			}
			written[i] = time.Since(t)
			res, err := m.Index.Search(ctx, directory.SearchQuery{Text: svc.Name, Size: 1, Page: 1})
			if err != nil {
				return err
			}
			pub[i] = time.Since(t)
			if res.Total == 0 {
				return fmt.Errorf("service %s not searchable after publication", svc.ID)
			}
		}
		row("publication → trouvable (écriture + index)", percentiles(pub))
		row("  dont écriture (base + index)", percentiles(written))

		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		go func() { _ = m.App.Listener(ln) }()
		defer m.App.Shutdown()
		base := "http://" + ln.Addr().String()
		stop, err := cpuProfile(*profile)
		if err != nil {
			return err
		}
		rps, lat, errs := load([]string{base}, *clients, *duration, func(r *rand.Rand) string {
			return fmt.Sprintf("/api/v1/search/services?code_commune=%s&thematiques=%s",
				communes[r.IntN(len(communes))].Code, cats[r.IntN(len(cats))].Value)
		})
		stop()
		row(fmt.Sprintf("API JSON, %d clients, %s", *clients, *duration), fmt.Sprintf("%.0f req/s  %s  erreurs %d", rps, percentiles(lat), errs))
		var comp []time.Duration
		_, comp, _ = load([]string{base}, 1, 3*time.Second, func(r *rand.Rand) string {
			return "/api/v1/communes?q=" + []string{"pa", "chat", "saint", "lyon", "86", "mar", "bor", "sainte-", "ville", "la ro"}[r.IntN(10)]
		})
		row("API communes (autocomplétion), 1 client", percentiles(comp))
		runtime.GC()
		debug.FreeOSMemory()
		row("mémoire résidente en service (VmRSS)", procStatus("VmRSS:"))
		row("mémoire résidente maximale (VmHWM)", procStatus("VmHWM:"))
		return nil
	}
}

// load runs clients goroutines requesting paths for d, client i from
// bases[i % len(bases)], and returns the rate, the latencies and the count
// of non-200 answers.
//
// The clients ask for gzip, as browsers do, but do not inflate what they
// read: they share the cores with the server measured.
func load(bases []string, clients int, d time.Duration, path func(*rand.Rand) string) (float64, []time.Duration, int) {
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var mu sync.Mutex
	var all []time.Duration
	errs := 0
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), 99))
			var mine []time.Duration
			bad := 0
			for time.Since(start) < d {
				t := time.Now()
				req, err := http.NewRequest(http.MethodGet, bases[c%len(bases)]+path(r), nil)
				if err != nil {
					panic(err) // the paths are the benchmark's own
				}
				req.Header.Set("Accept-Encoding", "gzip") // set here, the transport leaves the body as it came
				resp, err := client.Do(req)
				if err != nil {
					bad++
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					bad++
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			all, errs = append(all, mine...), errs+bad
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	return float64(len(all)) / time.Since(start).Seconds(), all, errs
}

// populatedCommunes returns n communes, drawn with the population as
// weight, as professionals' searches are.
func populatedCommunes(m *app.Main, n int) []*directory.Commune {
	r := rand.New(rand.NewPCG(3, 5))
	total := 0
	for _, c := range m.Geography.Communes {
		if c.Center != nil {
			total += c.Population
		}
	}
	out := make([]*directory.Commune, 0, n)
	for len(out) < n {
		x := r.IntN(total)
		for i := range m.Geography.Communes {
			c := &m.Geography.Communes[i]
			if c.Center == nil {
				continue
			}
			if x -= c.Population; x < 0 {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// benchPublished is the number of services repere-bench search publishes.
const benchPublished = 50

func benchService(i int) *directory.Service {
	lat, lon := 46.8176, 0.5458
	return &directory.Service{
		ID:          fmt.Sprintf("bench-publication-%02d", i),
		StructureID: "bench", Source: "bench",
		Name:        fmt.Sprintf("Atelier mobilité Quetzalcoatl%d", i),
		Description: "Un atelier pour préparer ses déplacements vers l’emploi.",
		Thematiques: []string{directory.Besoins("mobilite")[0]}, ReceptionModes: []string{"en-presentiel"},
		EligibilityZone: []directory.Zone{{Kind: directory.ZoneDepartement, Code: "86"}},
		Latitude:        &lat, Longitude: &lon, Status: directory.StatusPublished,
	}
}
