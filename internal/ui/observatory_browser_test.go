package ui_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserObservatory opens the observatory of the Vienne as a person
// would, at desktop and phone widths: the map is drawn (every commune a
// visible shape, filled with its legend's colour), the table sums to the
// figures, and the page passes axe.
func TestBrowserObservatory(t *testing.T) {
	b := newTab(t)
	const page = "/observatoire?territoire=departement%3A86&thematique=mobilite&rayon=10"
	for _, width := range []int{1280, 390} {
		if width == 390 {
			b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
		}
		b.open(page)
		b.waitFor(`document.querySelectorAll(".obs-map svg path").length > 0`)
		box := eval[[]float64](b, `(function () { const r = document.querySelector(".obs-map svg").getBoundingClientRect(); return [r.width, r.height]; })()`)
		if box[0] < float64(width)/2-100 || box[1] < 150 {
			t.Errorf("%d px: map drawn %v px", width, box)
		}
		// Every shape has an area on screen and the colour of its legend key.
		bad := eval[[]string](b, `(function () {
			const key = {};
			document.querySelectorAll(".obs-legend .obs-key").forEach(k => {
				const c = Array.from(k.classList).find(c => c !== "obs-key");
				key[c] = getComputedStyle(k).backgroundColor;
			});
			const out = [];
			document.querySelectorAll(".obs-map svg path").forEach(p => {
				const r = p.getBoundingClientRect();
				const fill = getComputedStyle(p).fill;
				if (r.width <= 0 || r.height <= 0 || !key[p.getAttribute("class")] || fill !== key[p.getAttribute("class")]) {
					out.push(p.dataset.code + " " + fill + " " + r.width + "x" + r.height);
				}
			});
			return out;
		})()`)
		if len(bad) > 0 {
			t.Errorf("%d px: %d shapes not drawn in their legend's colour, e.g. %v", width, len(bad), bad[:min(len(bad), 5)])
		}
		// The table says what the map shows and sums to the figures.
		check := eval[map[string]int](b, `(function () {
			const rows = document.querySelectorAll("#obs-table tbody tr");
			const num = s => parseInt(s.replace(/\D/g, ""), 10);
			let pop = 0, unc = 0, mismatch = 0;
			rows.forEach(tr => {
				const td = tr.querySelectorAll("td");
				if (num(td[1].textContent) === 0) { unc++; pop += num(td[0].textContent); }
				const p = document.querySelector('.obs-map path[data-code="' + tr.dataset.code + '"]');
				if (!p || p.getAttribute("class") !== tr.dataset.class) mismatch++;
			});
			const fig = n => num(document.querySelector('[data-figure="' + n + '"]').textContent);
			return {rows: rows.length, paths: document.querySelectorAll(".obs-map svg path").length, mismatch: mismatch,
				pop: pop, unc: unc, figPop: fig("uncovered-population"), figUnc: fig("uncovered")};
		})()`)
		if check["rows"] == 0 || check["rows"] != check["paths"] || check["mismatch"] != 0 ||
			check["pop"] != check["figPop"] || check["unc"] != check["figUnc"] || check["unc"] == 0 {
			t.Errorf("%d px: table and figures disagree: %v", width, check)
		}
		if width == 390 {
			if w := eval[int](b, `document.documentElement.scrollWidth`); w > 390 {
				t.Errorf("observatory is %d px wide on a 390 px phone", w)
			}
			b.mapShot("observatoire-telephone.png")
		} else {
			b.axe("observatoire")
			b.mapShot("observatoire.png")
		}
		b.noConsoleErrors("observatoire")
	}
}

// mapShot saves the viewport, scrolled to the map, for people to look at.
func (b *tab) mapShot(name string) {
	b.t.Helper()
	b.do(chromedp.Evaluate[chromedp.Void](`document.querySelector(".obs-map").scrollIntoView()`))
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(artifactDir(b.t), name), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}
