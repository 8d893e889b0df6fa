package ui_test

import (
	"encoding/csv"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/directory"
)

// figure reads a number the page formats ("12 345").
func figure(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.NewReplacer("\u202f", "", "\u00a0", "", " ", "").Replace(strings.TrimSpace(s)))
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}

// TestObservatoryDepartement checks the page of the Vienne for mobility at
// 10 km against the fixtures read by hand: the only on-site mobility
// services are at Châtellerault (the garage for the whole département, the
// driving school for its intercommunalité), and one remote service serves
// all France. The table, the figures, the map and the download must agree.
func TestObservatoryDepartement(t *testing.T) {
	e := testEnv(t)
	const page = "/observatoire?territoire=departement%3A86&thematique=mobilite&rayon=10"
	r := e.get(t, page)
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	cht, _ := e.gaz.Commune(chatellerault)
	communes := e.gaz.CommunesOf("86")
	type want struct{ onSite, remote, population int }
	byCode := map[string]want{}
	uncovered, uncoveredPop, population := 0, 0, 0
	var gaps []*directory.Commune
	for _, cm := range communes {
		w := want{remote: 1, population: cm.Population} // the remote advice serves all France
		if indexer.Distance(*cm.Center, *cht.Center) <= 10_000 {
			w.onSite++ // the garage
			if cm.EPCI == cht.EPCI {
				w.onSite++ // the driving school
			}
		}
		byCode[cm.Code] = w
		population += cm.Population
		if w.onSite == 0 {
			uncovered++
			uncoveredPop += cm.Population
			gaps = append(gaps, cm)
		}
	}
	if uncovered == 0 || uncovered == len(communes) {
		t.Fatalf("%d of %d communes uncovered: the fixtures do not test the split", uncovered, len(communes))
	}

	// The table, row by row.
	rows := r.doc.Find("#obs-table tbody tr")
	if rows.Length() != len(communes) {
		t.Fatalf("%d rows, the Vienne has %d communes", rows.Length(), len(communes))
	}
	classes := map[string]string{}
	tablePop := 0
	rows.Each(func(_ int, tr *goquery.Selection) {
		code := tr.AttrOr("data-code", "")
		w, ok := byCode[code]
		td := tr.Find("td")
		if !ok || td.Length() != 3 {
			t.Errorf("row %q: unknown commune or %d cells", code, td.Length())
			return
		}
		got := want{figure(t, td.Eq(1).Text()), figure(t, td.Eq(2).Text()), figure(t, td.Eq(0).Text())}
		if got != w {
			t.Errorf("commune %s: table %+v, by hand %+v", code, got, w)
		}
		if got.onSite == 0 {
			tablePop += got.population
		}
		classes[code] = tr.AttrOr("data-class", "")
	})

	// The figures, and the table summing to them.
	fig := func(name string) int { return figure(t, r.doc.Find(`[data-figure="`+name+`"]`).Text()) }
	if fig("uncovered-population") != uncoveredPop || tablePop != uncoveredPop {
		t.Errorf("uncovered population: figure %d, table %d, by hand %d", fig("uncovered-population"), tablePop, uncoveredPop)
	}
	if fig("uncovered") != uncovered || fig("communes") != len(communes) {
		t.Errorf("communes: figures %d of %d, by hand %d of %d", fig("uncovered"), fig("communes"), uncovered, len(communes))
	}
	if fig("remote-only") != uncoveredPop {
		t.Errorf("remote-only population %d, want %d (the remote service reaches everyone)", fig("remote-only"), uncoveredPop)
	}
	wantShare := strings.Replace(strconv.FormatFloat(math.Round(float64(uncoveredPop)/float64(population)*1000)/10, 'f', 1, 64), ".", ",", 1)
	if got := r.doc.Find(`[data-figure="share"]`).Text(); !strings.HasPrefix(got, wantShare) {
		t.Errorf("share %q, want %s %%", got, wantShare)
	}

	// The map: one shape per commune, coloured as its row.
	paths := r.doc.Find(".obs-map svg path")
	if paths.Length() != len(communes) {
		t.Errorf("%d shapes on the map, %d communes", paths.Length(), len(communes))
	}
	paths.Each(func(_ int, p *goquery.Selection) {
		code := p.AttrOr("data-code", "")
		if p.AttrOr("class", "") != classes[code] || classes[code] == "" || len(p.AttrOr("d", "")) < 10 {
			t.Errorf("shape %s: class %q, row class %q", code, p.AttrOr("class", ""), classes[code])
		}
	})

	// The ranking: the most populated uncovered communes, the garage nearest.
	slices.SortFunc(gaps, func(a, b *directory.Commune) int { return b.Population - a.Population })
	ranked := r.doc.Find("#obs-gaps tbody tr")
	if ranked.Length() != min(len(gaps), 20) {
		t.Fatalf("%d gaps ranked, want %d", ranked.Length(), min(len(gaps), 20))
	}
	ranked.Each(func(i int, tr *goquery.Selection) {
		href := tr.Find("th a").AttrOr("href", "")
		if !strings.HasPrefix(href, "/communes/"+gaps[i].Code+"-") {
			t.Errorf("gap %d: %s, want %s", i+1, href, gaps[i].Code)
		}
		if n := tr.Find("td").Eq(2).Find("a").AttrOr("href", ""); !strings.HasPrefix(n, "/services/"+e.fx.garage.ID) {
			t.Errorf("gap %d: nearest %q, want the garage", i+1, n)
		}
		km := indexer.Distance(*gaps[i].Center, *cht.Center) / 1000
		if got := tr.Find("td").Eq(3).Text(); got != strings.Replace(strconv.FormatFloat(km, 'f', 1, 64), ".", ",", 1)+"\u00a0km" {
			t.Errorf("gap %d: %q, by hand %.1f km", i+1, got, km)
		}
	})

	// The download holds the same rows.
	var csvURL string
	r.doc.Find("a[download]").Each(func(_ int, a *goquery.Selection) {
		if h := a.AttrOr("href", ""); strings.Contains(h, ".csv") {
			csvURL = h
		}
	})
	d := e.get(t, csvURL)
	if d.status != 200 || !strings.HasPrefix(d.header.Get("Content-Type"), "text/csv") || !strings.Contains(d.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("CSV %s: status %d, %q, %q", csvURL, d.status, d.header.Get("Content-Type"), d.header.Get("Content-Disposition"))
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(d.body, "\ufeff")))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(communes)+1 {
		t.Fatalf("CSV: %d lines, want %d", len(recs), len(communes)+1)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, rec := range recs[1:] {
		w := byCode[rec[col["code_insee"]]]
		on, _ := strconv.Atoi(rec[col["services_sur_place_10_km"]])
		rem, _ := strconv.Atoi(rec[col["services_a_distance_seulement_10_km"]])
		covered := rec[col["offre_sur_place_10_km"]]
		if on != w.onSite || rem != w.remote || covered != map[bool]string{true: "oui", false: "non"}[w.onSite > 0] {
			t.Errorf("CSV %s: %d on site, %d remote, %s; by hand %+v", rec[0], on, rem, covered, w)
		}
		if w.onSite == 0 && rec[col["offre_sur_place_la_plus_proche_km"]] == "" {
			t.Errorf("CSV %s: uncovered without its nearest offer", rec[0])
		}
	}
	x := e.get(t, strings.Replace(csvURL, ".csv", ".xlsx", 1))
	if x.status != 200 || !strings.HasPrefix(x.body, "PK") {
		t.Errorf("XLSX: status %d, %d bytes", x.status, len(x.body))
	}
}

// TestObservatoryFrance checks the page of France: one row and one shape per
// département, summing to the figures.
func TestObservatoryFrance(t *testing.T) {
	e := testEnv(t)
	// The site draws the map of France once, in the background, after its
	// first coverage (app.Run): do it here, not within the page's timeout.
	if _, err := e.obs.Map(directory.France); err != nil {
		t.Fatal(err)
	}
	r := e.get(t, "/observatoire?thematique=famille--garde-denfants&rayon=5")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	rows := r.doc.Find("#obs-table tbody tr")
	if rows.Length() != len(e.gaz.Departements()) {
		t.Errorf("%d rows, %d départements", rows.Length(), len(e.gaz.Departements()))
	}
	sum := 0
	classes := map[string]string{}
	rows.Each(func(_ int, tr *goquery.Selection) {
		n, _ := strconv.Atoi(tr.Find("td").Eq(1).AttrOr("data-value", ""))
		sum += n
		classes[tr.AttrOr("data-code", "")] = tr.AttrOr("data-class", "")
	})
	if got := figure(t, r.doc.Find(`[data-figure="uncovered-population"]`).Text()); got != sum || sum == 0 {
		t.Errorf("uncovered population %d, the départements sum to %d", got, sum)
	}
	// The map draws the 101 départements; the overseas collectivities
	// (975, 977, 978, 98x) are in the table only.
	r.doc.Find(".obs-map svg path").Each(func(_ int, p *goquery.Selection) {
		code := p.AttrOr("data-code", "")
		if p.AttrOr("class", "") != classes[code] || classes[code] == "" {
			t.Errorf("shape %s: class %q, row %q", code, p.AttrOr("class", ""), classes[code])
		}
		delete(classes, code)
	})
	for code := range classes {
		if code < "975" || code == "976" {
			t.Errorf("département %s not on the map", code)
		}
	}
	if r.doc.Find(".obs-map .obs-inset").Length() < 5 {
		t.Errorf("overseas départements not framed apart")
	}
}

func TestObservatoryBadInput(t *testing.T) {
	e := testEnv(t)
	for path, status := range map[string]int{
		"/observatoire?territoire=commune%3A86194":       400,
		"/observatoire?territoire=nulle-part":            400,
		"/observatoire?territoire=departement%3A00":      404,
		"/observatoire?thematique=inconnue":              400,
		"/observatoire?rayon=7":                          400,
		"/observatoire?rayon=dix":                        400,
		"/observatoire/donnees.pdf":                      404,
		"/observatoire/donnees.csv?territoire=region%3A": 400,
	} {
		r := e.get(t, path)
		if r.status != status {
			t.Errorf("%s: status %d, want %d", path, r.status, status)
		}
		if r.doc != nil && !strings.Contains(text(r.doc.Find("main")), "inconnu") && !strings.Contains(text(r.doc.Find("main")), "rayon") {
			t.Errorf("%s: no French explanation: %s", path, text(r.doc.Find("main")))
		}
	}
}

// TestCeQuiManqueIci checks the links from the commune and département
// pages: Poitiers has its crèche but no mobility service within 10 km.
func TestCeQuiManqueIci(t *testing.T) {
	e := testEnv(t)
	pc, _ := e.gaz.Commune(poitiers)
	r := e.get(t, "/communes/"+poitiers+"-poitiers")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	block := r.doc.Find("#manque")
	var themes []string
	block.Find("li a").Each(func(_ int, a *goquery.Selection) { themes = append(themes, a.Text()) })
	if !slices.Contains(themes, "Mobilité") || slices.Contains(themes, "Famille") || len(themes) < 10 {
		t.Errorf("Ce qui manque ici: %v", themes)
	}
	if h := block.Find(`a[href^="/observatoire?"]`).Last().AttrOr("href", ""); !strings.Contains(h, "epci%3A"+pc.EPCI) {
		t.Errorf("link to the observatory of the intercommunalité: %q", h)
	}
	d := e.get(t, "/departements/86-vienne")
	if d.doc.Find(`a[href^="/observatoire?"][href*="departement%3A86"]`).Length() != 1 {
		t.Errorf("département page: no link to its observatory")
	}
}
