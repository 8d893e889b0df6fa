package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/repere-spie/repere/internal/app"
)

// benchCachesCmd measures the memory that anonymous visitors can make the
// site keep: it serves the data directory on loopback, asks for n distinct
// search feeds and n distinct opening-hours previews (every one a new cache
// key), and prints the resident memory before and after. The caches are
// bounded in bytes, so the growth must stay under their budget whatever n.
func benchCachesCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	n := fs.Int("n", 10_000, "clés distinctes de chaque sorte")
	clients := fs.Int("clients", 4, "clients HTTP simultanés")
	return func(ctx context.Context, m *app.Main) error {
		if err := m.Open(ctx); err != nil {
			return err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		go func() { _ = m.App.Listener(ln) }()
		defer func() { _ = m.App.Shutdown() }()
		base := "http://" + ln.Addr().String()
		settle := func() string {
			runtime.GC()
			debug.FreeOSMemory()
			return procStatus("VmRSS:")
		}
		communes := m.Geography.Communes
		if len(communes) < *n {
			return fmt.Errorf("%d communes, fewer than %d distinct feeds", len(communes), *n)
		}
		fmt.Printf("\nRepère – mémoire des caches (%d cœurs, %s)\n", runtime.NumCPU(), runtime.Version())
		row := func(name, value string) { fmt.Printf("  %-52s %s\n", name, value) }
		row("mémoire résidente au départ (VmRSS)", settle())
		feeds := func(i int) string { return "/flux/recherche.atom?code_commune=" + communes[i].Code }
		hours := func(i int) string {
			return "/api/v1/horaires?horaires=" + url.QueryEscape(fmt.Sprintf("Mo-Fr %02d:%02d-%02d:%02d; PH off", 6+i%6, i%60, 12+(i/60)%10, (i/600)%60))
		}
		for _, sc := range []struct {
			name string
			path func(int) string
		}{{"flux de recherche distincts", feeds}, {"aperçus d’horaires distincts", hours}} {
			start := time.Now()
			var bytes int64
			if err := fetchAll(base, *n, *clients, sc.path, &bytes); err != nil {
				return err
			}
			row(fmt.Sprintf("après %d %s", *n, sc.name), fmt.Sprintf("%s (%.0f Mio reçus en %s)", settle(), float64(bytes)/(1<<20), time.Since(start).Round(time.Second)))
		}
		row("maximum (VmHWM)", procStatus("VmHWM:"))
		return nil
	}
}

// fetchAll GETs path(0) … path(n-1) over clients connections; any answer but
// 200 stops it.
func fetchAll(base string, n, clients int, path func(int) string, total *int64) error {
	var mu sync.Mutex
	var first error
	var wg sync.WaitGroup
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += clients {
				resp, err := http.Get(base + path(i))
				if err == nil {
					var k int64
					k, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					mu.Lock()
					*total += k
					mu.Unlock()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("GET %s: %s", path(i), resp.Status)
					}
				}
				if err != nil {
					mu.Lock()
					first = err
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}
