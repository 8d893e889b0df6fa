package ui_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/repere-spie/repere/internal/app/apptest"
)

// The browser tests drive Debian's Chromium through the site as a person
// would. They skip when Chromium is absent, except in CI (CI=true), where
// .ci/run installs it and a missing browser is a failure.

const chromiumPath = "/usr/bin/chromium"

// site is the test site served on a loopback port for the browser, with a
// local tile server so that the map background and its CSP source are
// exercised without the network.
type site struct {
	base  string
	tiles atomic.Int64 // tiles served
}

var (
	siteOnce sync.Once
	theSite  *site
	siteErr  error
)

func browserSite(t *testing.T) *site {
	t.Helper()
	e := testEnv(t)
	siteOnce.Do(func() {
		s := &site{}
		var tile bytes.Buffer
		img := image.NewRGBA(image.Rect(0, 0, 256, 256))
		for i := range img.Pix {
			img.Pix[i] = 0xee
		}
		img.Set(0, 0, color.Black)
		_ = png.Encode(&tile, img)
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s.tiles.Add(1)
			w.Header().Set("Content-Type", "image/png")
			w.Write(tile.Bytes())
		}))
		cleanup = append(cleanup, ts.Close)
		app, err := newApp(t, e.store, e.index, ts.URL+"/{z}/{x}/{y}.png")
		if err != nil {
			siteErr = err
			return
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			siteErr = err
			return
		}
		go app.Listener(ln)
		cleanup = append(cleanup, func() { app.Shutdown() })
		s.base = "http://" + ln.Addr().String()
		theSite = s
	})
	if siteErr != nil {
		t.Fatal(siteErr)
	}
	return theSite
}

// tab is one browser tab on the test site, with the console messages it
// has received.
type tab struct {
	t    *testing.T
	ctx  context.Context
	site *site

	mu       sync.Mutex
	messages []chromedp.ConsoleMessage
}

func newTab(t *testing.T) *tab {
	t.Helper()
	path := chromiumPath
	if p := os.Getenv("REPERE_CHROMIUM"); p != "" {
		path = p
	}
	if _, err := exec.LookPath(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Chromium is required in CI: %v", err)
		}
		t.Skipf("Chromium not installed (%s): browser tests skipped", path)
	}
	for _, f := range []string{"web/static/vendor/dsfr/dsfr.min.css", "node_modules/axe-core/axe.min.js"} {
		if _, err := os.Stat(filepath.Join(apptest.ModuleRoot(t), f)); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing: run make assets", f)
			}
			t.Skipf("%s is missing (run make assets): browser tests skipped", f)
		}
	}
	s := browserSite(t)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	b := &tab{t: t, ctx: ctx, site: s}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.messages = append(b.messages, m)
			b.mu.Unlock()
		}
	}()
	// Start the browser before the first step, so that its start-up is not
	// counted in a step's wait.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return b
}

func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatal(err)
	}
}

// open loads a page of the test site and waits for its scripts.
func (b *tab) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.site.base + path))
	b.waitFor(`document.readyState === "complete"`)
	// Maps are drawn by script after the load event: checks (axe above all)
	// must see the page as a user does, attribution and markers included.
	b.waitFor(`!window.L || Array.from(document.querySelectorAll("[data-map]")).every(function (m) { return m.dataset.markers !== undefined; })`)
}

func eval[T any](b *tab, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// waitFor polls a JavaScript condition for up to 20 seconds (CI machines
// run other packages' tests meanwhile).
func (b *tab) waitFor(js string) {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool]("!!("+js+")"))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("timed out waiting for %s (last error: %v)", js, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// press sends keys to the focused element.
func (b *tab) press(keys string) {
	b.t.Helper()
	b.do(chromedp.KeyEvent(keys))
}

// enter presses Enter as a keyboard does: the browser derives the keypress
// from the keydown, so a script that cancels the keydown cancels it too
// (chromedp's KeyEvent sends the character separately).
func (b *tab) enter() {
	b.t.Helper()
	b.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, p := range []input.DispatchKeyEventParams{
			{Type: input.DispatchKeyEventTypeKeyDown, Key: "Enter", Code: "Enter", Text: "\r", UnmodifiedText: "\r", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13},
			{Type: input.DispatchKeyEventTypeKeyUp, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13},
		} {
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, p); err != nil {
				return err
			}
		}
		return nil
	}))
}

// tabTo presses Tab until the focused element matches a CSS selector.
func (b *tab) tabTo(selector string) {
	b.t.Helper()
	for range 80 {
		if eval[bool](b, fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, selector)) {
			return
		}
		b.press(kb.Tab)
	}
	b.t.Fatalf("Tab never reached %s (focus on %s)", selector, eval[string](b, `document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : ""`))
}

// consoleErrors returns the errors and exceptions received so far, and
// forgets them.
func (b *tab) consoleErrors() []string {
	time.Sleep(100 * time.Millisecond) // let the last messages arrive
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, m := range b.messages {
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
			out = append(out, fmt.Sprintf("%s %s (%s:%d)", m.Type, m.Text, m.URL, m.Line+1))
		}
	}
	b.messages = nil
	return out
}

func (b *tab) noConsoleErrors(page string) {
	b.t.Helper()
	for _, e := range b.consoleErrors() {
		b.t.Errorf("%s: console: %s", page, e)
	}
}

// axeViolation is what the tests keep of an axe-core result.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

var axeSource struct {
	sync.Once
	js  string
	err error
}

// axe runs axe-core (from node_modules, installed by `make assets`) on the
// current page and fails on serious and critical violations.
func (b *tab) axe(page string) {
	b.t.Helper()
	b.axeCheck(page, false)
}

// axeStrict fails on a violation of any impact.
func (b *tab) axeStrict(page string) {
	b.t.Helper()
	b.axeCheck(page, true)
}

func (b *tab) axeCheck(page string, strict bool) {
	b.t.Helper()
	axeSource.Do(func() {
		src, err := os.ReadFile(filepath.Join(apptest.ModuleRoot(b.t), "node_modules", "axe-core", "axe.min.js"))
		axeSource.js, axeSource.err = string(src), err
	})
	if axeSource.err != nil {
		b.t.Fatalf("axe-core not installed (run make assets): %v", axeSource.err)
	}
	if eval[bool](b, `typeof window.axe === "undefined"`) {
		b.do(chromedp.Evaluate[chromedp.Void](axeSource.js))
	}
	violations, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " " + (n.failureSummary || ""))})))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("%s: axe: %v", page, err)
	}
	for _, v := range violations {
		msg := fmt.Sprintf("%s: axe %s (%s): %s\n\t%s", page, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
		if strict || v.Impact == "serious" || v.Impact == "critical" {
			b.t.Error(msg)
		} else {
			b.t.Log(msg)
		}
	}
}

// artifactDir is the gitignored folder of the files tests leave for people
// to look at.
func artifactDir(t testing.TB) string {
	dir := filepath.Join(apptest.ModuleRoot(t), "test-artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("*\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
