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
	"runtime/metrics"
	"slices"
	"sync/atomic"
	"time"

	"github.com/repere-spie/repere/internal/app"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/observatory"
)

// benchObservatoryCmd measures the observatory on a prepared data directory:
// the coverage pass over every commune × thématique/besoin (time, heap at
// its peak and kept, resident memory), then the observatory page of a
// département over loopback HTTP.
func benchObservatoryCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	passes := fs.Int("passes", 3, "calculs de la couverture mesurés")
	pages := fs.Int("pages", 300, "pages de département mesurées")
	return func(ctx context.Context, m *app.Main) error {
		m.Config.Demo = false
		if err := m.Open(ctx); err != nil {
			return err
		}
		if m.Index.NeedsRebuild() {
			return fmt.Errorf("no index in %s: run repere-bench prepare first", m.Config.IndexDir)
		}
		fmt.Printf("\nRepère – observatoire (%d cœurs, %s)\n", runtime.NumCPU(), runtime.Version())
		row := func(name, value string) { fmt.Printf("  %-52s %s\n", name, value) }

		runtime.GC()
		base := heapBytes()
		resetPeak()
		var peak atomic.Uint64
		stop := make(chan struct{})
		sampled := make(chan struct{})
		go func() { // the heap's peak during the passes, sampled
			defer close(sampled)
			t := time.NewTicker(5 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					if h := heapBytes(); h > peak.Load() {
						peak.Store(h)
					}
				}
			}
		}()
		took := make([]time.Duration, *passes)
		for i := range took {
			start := time.Now()
			if err := m.Observatory.Refresh(ctx); err != nil {
				return err
			}
			took[i] = time.Since(start)
		}
		close(stop)
		<-sampled
		cv := m.Observatory.Coverage()
		runtime.GC()
		kept := heapBytes() - base
		slices.Sort(took)
		row(fmt.Sprintf("couverture : %d services × %d communes × %d colonnes", cv.Services, len(m.Geography.Communes), len(observatory.Columns())),
			fmt.Sprintf("médiane %s (min %s, max %s, %d calculs)", took[len(took)/2].Round(time.Millisecond), took[0].Round(time.Millisecond), took[len(took)-1].Round(time.Millisecond), len(took)))
		row("tas au plus haut pendant un calcul (au-dessus du site)", mib(peak.Load()-min(peak.Load(), base)))
		row("tas gardé par la couverture", mib(kept))
		row("mémoire résidente maximale du processus (VmHWM)", procStatus("VmHWM:"))

		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		go func() { _ = m.App.Listener(ln) }()
		defer m.App.Shutdown()
		baseURL := "http://" + ln.Addr().String()
		cols := []string{"mobilite", "famille--garde-denfants", "sante", "logement-hebergement", "numerique", "se-former"}
		deps := m.Geography.Departements
		page := func(i int) string {
			v := url.Values{}
			v.Set("territoire", directory.Zone{Kind: directory.ZoneDepartement, Code: deps[i%len(deps)].Code}.Key())
			v.Set("thematique", cols[i%len(cols)])
			v.Set("rayon", []string{"5", "10", "20", "50"}[i%4])
			return baseURL + "/observatoire?" + v.Encode()
		}
		get := func(u string) (time.Duration, error) {
			start := time.Now()
			resp, err := http.Get(u)
			if err != nil {
				return 0, err
			}
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return 0, fmt.Errorf("GET %s: %s", u, resp.Status)
			}
			return time.Since(start), err
		}
		cold := make([]time.Duration, len(deps)) // the first visit draws the map
		for i := range deps {
			if cold[i], err = get(page(i)); err != nil {
				return err
			}
		}
		warm := make([]time.Duration, *pages)
		for i := range warm {
			if warm[i], err = get(page(i * 7)); err != nil {
				return err
			}
		}
		row(fmt.Sprintf("page d’un département, 1re visite (%d départements)", len(deps)), percentiles(cold))
		row(fmt.Sprintf("page d’un département, carte en cache (%d pages)", len(warm)), percentiles(warm))
		if _, err := get(baseURL + "/observatoire?territoire=france&thematique=mobilite"); err != nil {
			return err
		}
		fr := make([]time.Duration, 20)
		for i := range fr {
			if fr[i], err = get(baseURL + "/observatoire?territoire=france&thematique=" + cols[i%len(cols)]); err != nil {
				return err
			}
		}
		row("page de la France (20 pages)", percentiles(fr))
		return nil
	}
}

// heapBytes is the memory of the heap's live and not yet swept objects.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func mib(b uint64) string { return fmt.Sprintf("%.0f Mio", float64(b)/(1<<20)) }
