package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/repere-spie/repere/internal/app"
	"github.com/repere-spie/repere/internal/directory"
)

// benchInstancesCmd measures several server processes on one store, on a
// prepared data directory. This process owns the embedded store and writes;
// the others are `repere serve` processes on the same store (as on a
// MongoDB replica set), each starting on a copy of the prepared index and
// following the change log. It measures how long each takes to serve, the
// lag from a publication here to its visibility there under a steady
// write load, and the JSON API's throughput with the reads spread over
// every instance.
func benchInstancesCmd(fs *flag.FlagSet) func(context.Context, *app.Main) error {
	instances := fs.Int("instances", 2, "processus serveurs en tout (celui-ci compris)")
	bin := fs.String("bin", "bin/repere", "binaire du site")
	writes := fs.Int("writes", 200, "publications dont le délai est mesuré")
	rate := fs.Float64("rate", 10, "publications par seconde (charge d’écriture continue)")
	clients := fs.Int("clients", 8, "clients HTTP simultanés")
	duration := fs.Duration("duration", 15*time.Second, "durée de la charge HTTP")
	settle := fs.Duration("settle", 10*time.Minute, "attente au plus de la comparaison de démarrage des instances")
	return func(ctx context.Context, m *app.Main) error {
		if *instances < 2 {
			return fmt.Errorf("-instances: at least 2")
		}
		storeAddr, err := freeAddr()
		if err != nil {
			return err
		}
		m.Config.Demo = false
		m.Config.APIRate = 0
		m.Config.EmbeddedAddr = storeAddr
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
		followCtx, stopFollow := context.WithCancel(ctx)
		defer stopFollow()
		go m.Catalog.Follow(followCtx, 500*time.Millisecond) // as `repere serve` does
		bases := []string{"http://" + ln.Addr().String()}

		fmt.Printf("\nRepère – %d instances sur une base (%d cœurs, %s)\n", *instances, runtime.NumCPU(), runtime.Version())
		row := func(name, value string) { fmt.Printf("  %-52s %s\n", name, value) }
		work, err := os.MkdirTemp("", "repere-instances-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(work)
		var others []*instance
		defer func() {
			for _, o := range others {
				o.stop()
			}
		}()
		for i := 1; i < *instances; i++ {
			o, err := startInstance(ctx, *bin, filepath.Join(work, fmt.Sprint(i)), m.Config.IndexDir, storeAddr)
			if err != nil {
				return err
			}
			others = append(others, o)
			bases = append(bases, o.base)
			row(fmt.Sprintf("instance %d : copie de l’index", i+1), o.copied.Round(time.Millisecond).String())
			row(fmt.Sprintf("instance %d : démarrage → /readyz 200", i+1), o.ready.Round(time.Millisecond).String())
		}
		// The lags are measured once the start-up comparisons are over, or
		// after settle: they share the cores.
		for i, o := range others {
			if d, err := o.wait("index vérifié", *settle); err == nil {
				row(fmt.Sprintf("instance %d : comparaison complète (en arrière-plan)", i+2), d.Round(time.Millisecond).String())
			} else {
				row(fmt.Sprintf("instance %d : comparaison complète (en arrière-plan)", i+2), "non terminée après "+settle.String())
			}
		}

		// Publications here at a steady rate, each waited for on every other
		// instance by its search API.
		lags := make([][]time.Duration, len(others))
		var wg sync.WaitGroup
		var mu sync.Mutex
		var firstErr error
		tick := time.NewTicker(time.Duration(float64(time.Second) / *rate))
		rng := rand.New(rand.NewPCG(5, 8))
		for w := 0; w < *writes; w++ {
			<-tick.C
			// One service per publication: a service written again before
			// the others see it would never show the name waited for.
			svc := benchService(w % benchPublished)
			svc.ID = fmt.Sprintf("bench-instances-%03d", w)
			svc.Name = "Atelier mobilité " + token(rng)
			if prev, err := m.Store.Service(ctx, svc.ID); err == nil {
				svc.Version = prev.Version
				err = m.Catalog.UpdateService(ctx, svc)
				if err != nil {
					return err
				}
			} else if err := m.Catalog.CreateService(ctx, svc); err != nil {
				return err
			}
			published := time.Now()
			for i, o := range others {
				wg.Add(1)
				go func() {
					defer wg.Done()
					lag, err := o.visible(ctx, svc.Name, published)
					mu.Lock()
					defer mu.Unlock()
					if err != nil && firstErr == nil {
						firstErr = err
					}
					lags[i] = append(lags[i], lag)
				}()
			}
		}
		tick.Stop()
		wg.Wait()
		if firstErr != nil {
			return firstErr
		}
		var all []time.Duration
		for i, l := range lags {
			all = append(all, l...)
			row(fmt.Sprintf("publication ici → visible sur l’instance %d", i+2), percentiles(l))
		}
		row(fmt.Sprintf("délai, toutes instances (%d publications à %.0f/s)", *writes, *rate), percentiles(all))

		communes := populatedCommunes(m, 2000)
		cats := directory.ThematiqueCategories.Terms()
		path := func(r *rand.Rand) string {
			return fmt.Sprintf("/api/v1/search/services?code_commune=%s&thematiques=%s",
				communes[r.IntN(len(communes))].Code, cats[r.IntN(len(cats))].Value)
		}
		rps, lat, errs := load(bases[:1], *clients, *duration, path)
		row(fmt.Sprintf("API JSON, %d clients, une instance", *clients), fmt.Sprintf("%.0f req/s  %s  erreurs %d", rps, percentiles(lat), errs))
		rps, lat, errs = load(bases, *clients, *duration, path)
		row(fmt.Sprintf("API JSON, %d clients, répartis sur %d instances", *clients, len(bases)), fmt.Sprintf("%.0f req/s  %s  erreurs %d", rps, percentiles(lat), errs))
		// The memory is read once each instance has made its open-data
		// snapshot, the last of its passes over the whole offer.
		for i, o := range others {
			if d, err := o.wait("données ouvertes régénérées", *settle); err == nil {
				row(fmt.Sprintf("instance %d : passes de fond terminées", i+2), d.Round(time.Millisecond).String())
			} else {
				row(fmt.Sprintf("instance %d : passes de fond terminées", i+2), "non après "+settle.String())
			}
			pid := strconv.Itoa(o.cmd.Process.Pid)
			row(fmt.Sprintf("instance %d : mémoire résidente (VmRSS, maximum VmHWM)", i+2), procStatusOf(pid, "VmRSS:")+", "+procStatusOf(pid, "VmHWM:"))
		}
		return nil
	}
}

// token is a word no other service has.
func token(r *rand.Rand) string {
	b := make([]byte, 12)
	for i := range b {
		b[i] = byte('a' + r.IntN(26))
	}
	return string(b)
}

// instance is a `repere serve` process on the shared store.
type instance struct {
	cmd           *exec.Cmd
	base          string
	started       time.Time
	copied, ready time.Duration
	exited        chan struct{}
	mu            sync.Mutex
	log           []string // its log lines, for wait
	client        *http.Client
}

// startInstance copies the index into dir and starts `repere serve` there
// on the store at storeAddr, and waits until it is ready.
func startInstance(ctx context.Context, bin, dir, indexDir, storeAddr string) (*instance, error) {
	t := time.Now()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if out, err := exec.Command("cp", "-a", indexDir, filepath.Join(dir, "index")).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("copy the index: %v: %s", err, out)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	o := &instance{base: "http://" + addr, copied: time.Since(t), exited: make(chan struct{}), client: &http.Client{Timeout: 10 * time.Second}}
	o.cmd = exec.CommandContext(ctx, bin, "serve")
	o.cmd.Env = append(os.Environ(),
		"REPERE_MONGODB_URI=mongodb://"+storeAddr+"/",
		"REPERE_ADDR="+addr,
		"REPERE_BASE_URL="+o.base,
		"REPERE_DATA_DIR="+dir,
		"REPERE_API_RATE=0",
		"REPERE_DEMO=false",
		"REPERE_LOG_LEVEL=info",
	)
	logs, err := o.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	o.cmd.Stdout = o.cmd.Stderr
	o.started = time.Now()
	if err := o.cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		defer close(o.exited) // the pipe ends with the process
		sc := bufio.NewScanner(logs)
		for sc.Scan() {
			o.mu.Lock()
			o.log = append(o.log, sc.Text())
			o.mu.Unlock()
		}
	}()
	for {
		resp, err := o.client.Get(o.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				o.ready = time.Since(o.started)
				return o, nil
			}
		}
		select {
		case <-o.exited:
			return nil, fmt.Errorf("instance on %s stopped: %s", addr, o.tail())
		default:
		}
		if time.Since(o.started) > 10*time.Minute {
			o.stop()
			return nil, fmt.Errorf("instance on %s not ready: %s", addr, o.tail())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// wait waits at most limit for a log line containing s and returns when
// it came, from the start of the process.
func (o *instance) wait(s string, limit time.Duration) (time.Duration, error) {
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); {
		o.mu.Lock()
		for _, l := range o.log {
			if strings.Contains(l, s) {
				o.mu.Unlock()
				return time.Since(o.started), nil
			}
		}
		o.mu.Unlock()
		time.Sleep(100 * time.Millisecond)
	}
	return 0, fmt.Errorf("instance %s: no %q in its log: %s", o.base, s, o.tail())
}

func (o *instance) tail() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return strings.Join(o.log[max(0, len(o.log)-5):], "\n")
}

// visible polls the instance's search until a service named name comes
// up and returns the time since published.
func (o *instance) visible(ctx context.Context, name string, published time.Time) (time.Duration, error) {
	u := o.base + "/api/v1/search/services?code_commune=86066&q=" + url.QueryEscape(name)
	var last []string
	for time.Since(published) < time.Minute {
		resp, err := o.client.Get(u)
		if err != nil { // a busy instance: the lag grows, the measure goes on
			time.Sleep(10 * time.Millisecond)
			continue
		}
		var res struct {
			Results []struct {
				Nom string `json:"nom"`
			} `json:"results"`
		}
		err = json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		if err != nil {
			return 0, fmt.Errorf("%s: %w", u, err)
		}
		last = last[:0]
		for _, r := range res.Results {
			if r.Nom == name {
				return time.Since(published), nil
			}
			last = append(last, r.Nom)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
	return 0, fmt.Errorf("%q not visible on %s after a minute; it found %q; its log ends:\n%s", name, o.base, last[:min(len(last), 5)], o.tail())
}

func (o *instance) stop() {
	if o.cmd.Process != nil {
		_ = o.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = o.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = o.cmd.Process.Kill()
		}
	}
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
