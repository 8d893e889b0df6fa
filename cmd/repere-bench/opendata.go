package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/repere-spie/repere/internal/app"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/opendata"
)

// benchOpenDataCmd measures the open data on a prepared data directory: the
// listing of services a page of 1,000 at a time over loopback HTTP, the
// download of a search of about 5,000 results as CSV, and the whole offer
// exported as data·inclusion JSON with the process's peak memory.
func benchOpenDataCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	pages := fs.Int("pages", 100, "pages de 1 000 services lues")
	profile := fs.String("cpuprofile", "", "écrit le profil CPU de la mesure dans ce fichier")
	return func(ctx context.Context, m *app.Main) error {
		stop, err := cpuProfile(*profile)
		if err != nil {
			return err
		}
		defer stop()
		m.Config.Demo = false
		m.Config.APIRate = 0 // one client asking as fast as it can is what is measured
		if err := m.Open(ctx); err != nil {
			return err
		}
		if m.Index.NeedsRebuild() {
			return fmt.Errorf("no index in %s: run repere-bench prepare first", m.Config.IndexDir)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		go func() { _ = m.App.Listener(ln) }()
		defer m.App.Shutdown()
		base := "http://" + ln.Addr().String()
		client := &http.Client{Timeout: time.Minute}
		fmt.Printf("\nRepère – données ouvertes (%d cœurs, %s)\n", runtime.NumCPU(), runtime.Version())
		row := func(name, value string) { fmt.Printf("  %-48s %s\n", name, value) }

		// The whole offer: the snapshot (every record read from the store,
		// converted, written as JSON lines) and the three gzip files.
		runtime.GC()
		row("mémoire résidente maximale avant l’export (VmHWM)", procStatus("VmHWM:"))
		t0, c0 := time.Now(), cpuTime()
		scanned := 0
		if err := m.Store.EachService(ctx, func(*directory.Service) error { scanned++; return nil }); err != nil {
			return err
		}
		row(fmt.Sprintf("  pour mémoire : lecture seule des %d services", scanned), fmt.Sprintf("%s (CPU %s)",
			time.Since(t0).Round(time.Millisecond), (cpuTime()-c0).Round(time.Millisecond)))
		t0, c0 = time.Now(), cpuTime()
		if err := m.OpenData.Refresh(ctx); err != nil {
			return err
		}
		files, _, err := m.OpenData.Files(ctx)
		if err != nil {
			return err
		}
		row("export complet (instantané + 3 fichiers gzip)", fmt.Sprintf("%s (CPU %s)", time.Since(t0).Round(time.Millisecond),
			(cpuTime()-c0).Round(time.Millisecond)))
		for _, f := range files {
			row("  "+f.Name, fmt.Sprintf("%d enregistrements, %.1f Mio", f.Records, float64(f.Size)/(1<<20)))
		}
		row("mémoire résidente maximale après l’export (VmHWM)", procStatus("VmHWM:"))

		// A walk of the listing, page after page, as a harvester does: the
		// next page from the Link header, the body read whole.
		var lat []time.Duration
		next, read := base+"/api/v1/services?size=1000", 0
		for len(lat) < *pages && next != "" {
			t := time.Now()
			resp, err := client.Get(next)
			if err != nil {
				return err
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK {
				return fmt.Errorf("GET %s: %d %v", next, resp.StatusCode, err)
			}
			lat = append(lat, time.Since(t))
			if i := bytes.LastIndex(body, []byte(`"size":`)); i >= 0 {
				n, _ := strconv.Atoi(string(body[i+7 : i+7+bytes.IndexAny(body[i+7:], ",}")]))
				read += n
			}
			next = ""
			if link := resp.Header.Get("Link"); link != "" {
				next = base + strings.TrimPrefix(link[1:strings.IndexByte(link, '>')], m.Config.BaseURL)
			}
		}
		row(fmt.Sprintf("/api/v1/services, pages de 1 000 (%d pages)", len(lat)), percentiles(lat))
		row("  enregistrements lus", fmt.Sprint(read))

		// The whole data·inclusion file, downloaded and decompressed.
		t0 = time.Now()
		resp, err := client.Get(base + "/donnees/" + opendata.ServicesFile)
		if err != nil {
			return err
		}
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return err
		}
		lines, err := countLines(zr)
		resp.Body.Close()
		if err != nil {
			return err
		}
		row("export data·inclusion téléchargé (fichier gzip)", fmt.Sprintf("%s, %d lignes", time.Since(t0).Round(time.Millisecond), lines))

		// The CSV of a search of about 5,000 results: the first commune,
		// by population, whose services within 50 km number 5,000 or more.
		var q string
		total := 0
		for _, c := range populatedCommunes(m, 400) {
			res, err := m.Index.Search(ctx, directory.SearchQuery{Commune: c, Size: 1})
			if err != nil {
				return err
			}
			if res.Total >= 5000 && (total == 0 || res.Total < total) {
				q, total = "code_commune="+c.Code, res.Total
			}
		}
		if q == "" {
			return fmt.Errorf("no search of 5,000 results")
		}
		var csvLat []time.Duration
		rows := 0
		for range 5 {
			t := time.Now()
			resp, err := client.Get(base + "/api/v1/search/services.csv?" + q)
			if err != nil {
				return err
			}
			rows, err = countLines(resp.Body)
			resp.Body.Close()
			if err != nil || resp.StatusCode != http.StatusOK {
				return fmt.Errorf("CSV: %d %v", resp.StatusCode, err)
			}
			csvLat = append(csvLat, time.Since(t))
		}
		row(fmt.Sprintf("CSV d’une recherche de %d résultats (%s)", total, q), percentiles(csvLat))
		row("  lignes du CSV (en-tête compris, sauts de ligne des descriptions aussi)", fmt.Sprint(rows))
		row("mémoire résidente maximale à la fin (VmHWM)", procStatus("VmHWM:"))
		return nil
	}
}

// cpuTime is the processor time this process has used, user and system:
// on a loaded machine, what a measure cost beside how long it waited.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// countLines reads r to its end and counts its line breaks.
func countLines(r io.Reader) (int, error) {
	buf := make([]byte, 256<<10)
	n := 0
	for {
		k, err := r.Read(buf)
		n += bytes.Count(buf[:k], []byte("\n"))
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}
