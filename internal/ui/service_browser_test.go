package ui_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/repere-spie/repere/internal/directory"
)

// widths are the screens the journeys of issue 17 are walked on.
var widths = []struct {
	name          string
	width, height int64
	phone         bool
}{
	{"bureau", 1280, 900, false},
	{"téléphone", 390, 844, true},
}

func (b *tab) viewport(width, height int64, phone bool) {
	b.t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if phone {
		opts = append(opts, chromedp.EmulateScale(2), chromedp.EmulateMobile)
	}
	b.do(chromedp.EmulateViewport(width, height, opts...))
}

var pdfPages = regexp.MustCompile(`/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b`)

// printedPages prints the page to an A4 PDF and counts its sheets.
func (b *tab) printedPages() int {
	b.t.Helper()
	var pdf []byte
	b.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		res, err := cdp.Call(ctx, t, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69})
		pdf = res.Data
		return err
	}))
	_ = os.WriteFile(filepath.Join(artifactDir(b.t), strings.NewReplacer("/", "-", " ", "-").Replace(b.t.Name())+".pdf"), pdf, 0o644)
	m := pdfPages.FindSubmatch(pdf)
	if m == nil {
		b.t.Fatalf("no page count in the PDF (%d bytes)", len(pdf))
	}
	n := 0
	fmt.Sscan(string(m[1])+string(m[2]), &n)
	return n
}

// TestBrowserServicePage is the professional's journey of issue 17, items 6
// and 7, at desktop and phone widths: from the results to a service, the way
// to reach it in view at once (and kept in view on a desktop), back to the
// results by the breadcrumb, its essentials copied for a case file, shared
// by e-mail and printed on one sheet.
func TestBrowserServicePage(t *testing.T) {
	e := testEnv(t)
	g := e.fx.garage
	results := "/recherche?code_commune=" + chatellerault + "&thematiques=mobilite"
	for _, w := range widths {
		t.Run(w.name, func(t *testing.T) {
			b := newTab(t)
			b.viewport(w.width, w.height, w.phone)
			b.open(results)
			b.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector('#s-%s h3 a').click()`, g.ID)))
			b.waitFor(`location.pathname.startsWith("/services/") && document.readyState === "complete"`)
			if back := eval[string](b, `[...document.querySelectorAll(".fr-breadcrumb a[href]")].pop().getAttribute("href")`); back != results {
				t.Errorf("breadcrumb leads to %q, want the results %q", back, results)
			}

			// Leaflet's buttons speak French; the "Menu" skip link leads to a
			// menu that is there.
			if got := eval[string](b, `document.querySelector(".leaflet-control-zoom-in").getAttribute("aria-label") + " / " + document.querySelector(".leaflet-control-zoom-out").getAttribute("aria-label")`); got != "Zoomer / Dézoomer" {
				t.Errorf("map zoom buttons: %q", got)
			}
			menu := eval[string](b, `[...document.querySelectorAll(".fr-skiplinks a")].filter(a => a.textContent === "Menu" && a.offsetParent !== null).map(a => a.getAttribute("href")).join(" ")`)
			if want := map[bool]string{true: "#bouton-menu", false: "#navigation"}[w.phone]; menu != want {
				t.Errorf("the Menu skip link goes to %q, want %q", menu, want)
			}
			if w.phone {
				b.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('.fr-skiplinks a[href="#bouton-menu"]').focus()`))
				b.enter()
				b.waitFor(`document.activeElement && document.activeElement.id === "bouton-menu"`)
			}

			// The phone number, in the first screen, above the description.
			tel := `document.querySelector('.service__panel a[href^="tel:"]')`
			top := eval[float64](b, tel+`.getBoundingClientRect().bottom`)
			if top <= 0 || top > float64(w.height) {
				t.Errorf("the phone number is at %.0f px, outside the first %d px", top, w.height)
			}
			if eval[bool](b, `!!(`+tel+`.compareDocumentPosition(document.getElementById("presentation")) & Node.DOCUMENT_POSITION_PRECEDING)`) {
				t.Error("the description comes before the way to reach the service")
			}
			if !w.phone {
				b.do(chromedp.Evaluate[chromedp.Void](`document.getElementById("ou-quand").scrollIntoView()`))
				b.waitFor(`window.scrollY > 200`)
				if r := eval[float64](b, tel+`.getBoundingClientRect().top`); r < 0 || r > float64(w.height) {
					t.Errorf("scrolled to the zone, the phone number is at %.0f px: the panel does not stay in view", r)
				}
			}
			if w := eval[int](b, `document.documentElement.scrollWidth`); w > int(w) {
				t.Errorf("the page is %d px wide", w)
			}

			// Copy for a case file: the plain text lands in the clipboard.
			b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				for _, name := range []string{"clipboard-read", "clipboard-write"} {
					if _, err := cdp.Call(ctx, tg, browser.SetPermission, browser.SetPermissionParams{
						Permission: &browser.PermissionDescriptor{Name: name}, Setting: "granted", Origin: b.site.base}); err != nil {
						return err
					}
				}
				return nil
			}))
			b.do(chromedp.Evaluate[chromedp.Void](`window.focus()`))
			b.tabTo(`button[data-copy]`)
			b.enter()
			b.waitFor(`document.getElementById("copie-statut").textContent.includes("copiées")`)
			copied, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("read the clipboard: %v", err)
			}
			if !strings.HasPrefix(copied, g.Name+"\n") || !strings.Contains(copied, "Téléphone : 05 49 11 22 33") || !strings.Contains(copied, "Fiche Repère : ") {
				t.Errorf("copied text:\n%s", copied)
			}

			// Share by e-mail: the essentials in a mailto.
			share, _ := url.Parse(eval[string](b, `document.getElementById("partager").href`))
			q, _ := url.ParseQuery(share.RawQuery)
			if share.Scheme != "mailto" || !strings.Contains(q.Get("subject"), g.Name) || !strings.Contains(q.Get("body"), "05 49 11 22 33") {
				t.Errorf("share link %s", share)
			}

			b.screenshot("service-" + w.name)
			b.axeStrict("service " + w.name)
			b.noConsoleErrors("service " + w.name)

			// Printed: one sheet, without the header, the map or the buttons.
			b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
				return err
			}))
			for _, sel := range []string{"header.fr-header", ".map", ".service__actions", "footer"} {
				if eval[bool](b, fmt.Sprintf(`(() => { const el = document.querySelector(%q); return !!el && el.offsetParent !== null; })()`, sel)) {
					t.Errorf("printed page shows %s", sel)
				}
			}
			if !eval[bool](b, tel+`.offsetParent !== null`) {
				t.Error("printed page lacks the phone number")
			}
			if n := b.printedPages(); n != 1 {
				t.Errorf("printed on %d sheets, want 1", n)
			}
		})
	}
}

// TestBrowserServiceReport reports an error on a service page with the
// keyboard: the form refuses an empty report with the focus on its error
// summary, then sends it to the structure's members, at both widths.
func TestBrowserServiceReport(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	x := c.setup(t, e)
	svc := completeService(x.S.ID, "Service à corriger "+uniq())
	svc.Status = directory.StatusPublished
	e.createService(t, svc)
	for _, w := range widths {
		t.Run(w.name, func(t *testing.T) {
			b := partnerTab(t)
			b.viewport(w.width, w.height, w.phone)
			b.open("/services/" + svc.ID)
			b.tabTo(`a#signaler`)
			b.enter()
			b.waitFor(`location.pathname.endsWith("/signaler") && document.readyState === "complete"`)
			b.axeStrict("signaler " + w.name)
			b.tabTo(`form button[type="submit"]`)
			b.enter()
			b.waitFor(`document.getElementById("erreurs") && document.readyState === "complete"`)
			if id := eval[string](b, `document.activeElement.id`); id != "erreurs" {
				t.Errorf("after a refused report the focus is on %q, want the error summary", id)
			}
			b.axeStrict("signaler, erreurs " + w.name)
			b.consoleErrors() // the browser logs the 422 of the refused form: intended
			b.tabTo(`#erreurs a`)
			b.enter()
			b.waitFor(`location.hash === "#champ-motifs"`)
			b.tabTo(`input[name="motifs"][value="horaires"]`)
			b.press(" ")
			b.tabTo(`textarea[name="commentaire"]`)
			b.press("Fermé le mercredi depuis mars (" + w.name + ").")
			b.tabTo(`form button[type="submit"]`)
			b.enter()
			b.waitFor(`document.querySelector("h1").textContent.includes("Merci") && document.readyState === "complete"`)
			b.axeStrict("signalement envoyé " + w.name)
			got := reportsTo(e, svc.Name, "Fermé le mercredi depuis mars ("+w.name+").")
			if m, ok := got[c.roles[rAdmin].email]; !ok || !strings.Contains(m.Text, "Horaires erronés") {
				t.Errorf("the administrator's mail: %+v", got)
			}
			b.noConsoleErrors("signaler " + w.name)
		})
	}
}
