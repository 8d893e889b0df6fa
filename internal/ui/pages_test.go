package ui_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestHome(t *testing.T) {
	e := testEnv(t)
	r := e.get(t, "/")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	d := r.doc
	checks := []struct {
		name string
		ok   bool
	}{
		{"one search form to /recherche", d.Find(`form[action="/recherche"][method="get"]`).Length() == 1},
		{"labelled place field", d.Find(`label[for="commune"]`).Length() == 1 && d.Find(`input#commune[name="commune"]`).Length() == 1},
		{"hidden commune code", d.Find(`input[type="hidden"][name="code_commune"]`).Length() == 1},
		{"16 thématiques with their besoins", d.Find(`select#thematiques optgroup`).Length() == 16 && d.Find(`select#thematiques option`).Length() == 1+16+69},
		{"radius choices", d.Find(`select#rayon option`).Length() == 4 && d.Find(`select#rayon option[selected]`).AttrOr("value", "") == "50"},
		{"keywords", d.Find(`input#q[name="q"]`).Length() == 1},
		{"five shortcuts", d.Find(`button[name="raccourci"]`).Length() == 5},
		{"Autour de moi hidden until scripts", d.Find(`button[data-geolocate][hidden]`).Length() == 1},
		{"links to commune pages", d.Find(`a[href^="/communes/75056-paris"]`).Length() == 1},
		{"homonyms told apart", d.Find(`a[href^="/communes/93066-"]`).Text() == "Saint-Denis (93)" && d.Find(`a[href^="/communes/97411-"]`).Text() == "Saint-Denis (974)"},
		{"link to départements", d.Find(`main a[href="/departements"]`).Length() >= 1},
		{"skip link to content", d.Find(`.fr-skiplinks a[href="#contenu"]`).Length() == 1 && d.Find(`main#contenu`).Length() == 1},
		{"demo notice", strings.Contains(text(d.Find(".fr-notice")), "fictifs")},
		{"canonical", d.Find(`link[rel="canonical"]`).AttrOr("href", "") == "https://repere.example/"},
		{"description", d.Find(`meta[name="description"]`).AttrOr("content", "") != ""},
		{"Open Graph", d.Find(`meta[property="og:title"]`).Length() == 1 && d.Find(`meta[property="og:url"]`).Length() == 1},
		{"DSFR stylesheet hashed", strings.HasPrefix(d.Find(`link[rel="stylesheet"]`).First().AttrOr("href", ""), "/static/")},
		{"no inline script", d.Find(`script:not([src])`).Length() == 0},
		{"no style attribute", d.Find(`[style]`).Length() == 0 && d.Find(`style`).Length() == 0},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("home: %s", c.name)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	e := testEnv(t)
	r := e.get(t, "/")
	csp := r.header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows unsafe sources: %q", csp)
	}
	for h, want := range map[string]string{
		"X-Content-Type-Options":    "nosniff",
		"X-Frame-Options":           "DENY",
		"Referrer-Policy":           "strict-origin-when-cross-origin",
		"Strict-Transport-Security": "max-age=31536000; includeSubDomains",
	} {
		if got := r.header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
}

// cards returns the names of the result cards of a page.
func cards(d *goquery.Document) []string {
	var names []string
	d.Find("#resultats-liste > li .fr-card__title").Each(func(_ int, s *goquery.Selection) {
		names = append(names, text(s))
	})
	return names
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestResults(t *testing.T) {
	e := testEnv(t)
	fx := e.fx
	for _, c := range []struct {
		name       string
		path       string
		heading    string
		total      int
		has, lacks []string
	}{
		{"Poitiers, first page", "/recherche?code_commune=" + poitiers, "30 services pour les habitants de Poitiers (Vienne)", 30,
			nil, []string{fx.draft.Name, fx.suspended.Name, fx.tours.Name}},
		{"département-wide garage from Poitiers", "/recherche?code_commune=" + poitiers + "&thematiques=mobilite", "2 services", 2,
			[]string{fx.garage.Name, fx.remote.Name}, []string{fx.permis.Name}},
		{"not from Tours, remote still", "/recherche?code_commune=" + tours + "&thematiques=mobilite", "1 service pour les habitants de Tours", 1,
			[]string{fx.remote.Name}, []string{fx.garage.Name}},
		{"EPCI zone from Châtellerault", "/recherche?code_commune=" + chatellerault + "&thematiques=mobilite--preparer-un-permis", "1 service", 1,
			[]string{fx.permis.Name}, nil},
		{"besoin refines its category", "/recherche?code_commune=" + poitiers + "&thematiques=mobilite&thematiques=mobilite--entretenir-reparer-son-vehicule", "1 service", 1,
			[]string{fx.garage.Name}, []string{fx.remote.Name}},
		{"fees filter", "/recherche?code_commune=" + poitiers + "&frais=payant", "1 service", 1, []string{fx.garage.Name}, nil},
		{"keywords", "/recherche?code_commune=" + poitiers + "&q=crèche", "1 service", 1, []string{fx.creche.Name}, nil},
		{"all of France", "/recherche?thematiques=logement-hebergement&partout=1", "1 service dans toute la France", 1, []string{fx.tours.Name}, nil},
		{"second page", "/recherche?code_commune=" + poitiers + "&page=2", "30 services", 30, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.get(t, c.path)
			if r.status != 200 {
				t.Fatalf("status %d", r.status)
			}
			if h := text(r.doc.Find("h1")); !strings.HasPrefix(h, c.heading) {
				t.Errorf("heading %q, want it to start with %q", h, c.heading)
			}
			got := cards(r.doc)
			want := min(c.total, 20)
			if strings.Contains(c.path, "page=2") {
				want = c.total - 20
			}
			if len(got) != want {
				t.Errorf("%d cards, want %d", len(got), want)
			}
			for _, n := range c.has {
				if !contains(got, n) {
					t.Errorf("missing %q in %q", n, got)
				}
			}
			for _, n := range c.lacks {
				if contains(got, n) {
					t.Errorf("unexpected %q", n)
				}
			}
			if r.doc.Find(`meta[name="robots"][content="noindex, follow"]`).Length() != 1 {
				t.Error("results pages are not indexed")
			}
		})
	}
}

// TestResultsFacets checks that each filter value's count is the number of
// results ticking it gives.
func TestResultsFacets(t *testing.T) {
	e := testEnv(t)
	base := "/recherche?code_commune=" + poitiers + "&thematiques=mobilite"
	r := e.get(t, base)
	items := r.doc.Find(`#filtre-frais input, #filtre-modes_accueil input`)
	if items.Length() == 0 {
		t.Fatal("no frais or modes d’accueil filter")
	}
	items.Each(func(_ int, in *goquery.Selection) {
		name, value := in.AttrOr("name", ""), in.AttrOr("value", "")
		n, _ := strconv.Atoi(strings.Trim(text(in.Parent().Find(".count")), "()"))
		rr := e.get(t, base+"&"+name+"="+url.QueryEscape(value))
		if got := len(cards(rr.doc)); got != n {
			t.Errorf("%s=%s shows %d, ticking it gives %d", name, value, n, got)
		}
	})
	if r.doc.Find(`#filtre-thematiques input[value="mobilite"][checked]`).Length() != 1 {
		t.Error("the selected category is not ticked")
	}
	if r.doc.Find(`#filtre-thematiques .facet__children input[value="mobilite--entretenir-reparer-son-vehicule"]`).Length() != 1 {
		t.Error("the besoins of the ticked category are not offered")
	}
	if r.doc.Find(`#filtre-thematiques .facet__children input[value^="numerique--"]`).Length() != 0 {
		t.Error("besoins of an unticked category are offered")
	}
}

func TestResultsPagination(t *testing.T) {
	e := testEnv(t)
	r := e.get(t, "/recherche?code_commune="+poitiers)
	nav := r.doc.Find(`nav.fr-pagination`)
	if nav.Find(`a[aria-current="page"]`).Text() != "1" {
		t.Error("page 1 is not current")
	}
	if href := nav.Find(`a.fr-pagination__link--next`).AttrOr("href", ""); href != "/recherche?code_commune="+poitiers+"&page=2" {
		t.Errorf("next page link %q", href)
	}
	if r := e.get(t, "/recherche?code_commune="+poitiers+"&page=3"); r.status != 404 || r.doc.Find(`main a[href="/recherche?code_commune=86194"]`).Length() != 1 {
		t.Errorf("page past the last: %d", r.status)
	}
	r2 := e.get(t, "/recherche?code_commune="+poitiers+"&page=2")
	first, second := cards(r.doc), cards(r2.doc)
	for _, n := range second {
		if contains(first, n) {
			t.Errorf("%q on both pages", n)
		}
	}
}

func TestResultsNoResult(t *testing.T) {
	e := testEnv(t)
	r := e.get(t, "/recherche?code_commune="+poitiers+"&rayon=5&thematiques=mobilite--entretenir-reparer-son-vehicule")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	help := r.doc.Find("#aucun-resultat")
	if help.Length() != 1 {
		t.Fatal("no explanation")
	}
	links := map[string]string{}
	help.Find("li").Each(func(_ int, li *goquery.Selection) {
		links[text(li.Find("a"))] = text(li)
	})
	if got := links["Élargir la distance à 50 km"]; !strings.HasSuffix(got, ": 1 service") {
		t.Errorf("wider radius offer %q (offers %v)", got, links)
	}
	if got := links["Retirer le filtre « Entretenir et réparer son véhicule »"]; !strings.HasSuffix(got, ": 29 services") {
		t.Errorf("dropped filter offer %q (offers %v)", got, links)
	}
	href := help.Find("a").First().AttrOr("href", "")
	if !strings.Contains(href, "rayon=") && !strings.Contains(href, "code_commune") {
		t.Errorf("offer link %q", href)
	}
}

func TestResultsPlaceText(t *testing.T) {
	e := testEnv(t)
	for _, c := range []struct {
		name, path string
		status     int
		location   string
		choices    int
	}{
		{"one commune", "/recherche?commune=Poitiers", 303, "/recherche?code_commune=" + poitiers, 0},
		{"label of the field", "/recherche?commune=Poitiers+%2886%29&code_commune=" + poitiers + "&thematiques=mobilite", 303, "/recherche?code_commune=" + poitiers + "&thematiques=mobilite", 0},
		{"edited text wins over the old code", "/recherche?commune=Tours&code_commune=" + poitiers, 303, "/recherche?code_commune=" + tours, 0},
		{"shortcut", "/recherche?commune=Poitiers&raccourci=mobilite&thematiques=sante", 303, "/recherche?code_commune=" + poitiers + "&thematiques=mobilite", 0},
		{"empty fields of a form", "/recherche?commune=&code_commune=&lat=&lon=&q=&rayon=50", 200, "", 0},
		{"homonyms", "/recherche?commune=Saint-Denis", 200, "", 2},
		{"unknown", "/recherche?commune=Xyzzyville", 200, "", 0},
		{"with its département", "/recherche?commune=chatellerault+86&thematiques=mobilite", 303, "/recherche?code_commune=" + chatellerault + "&thematiques=mobilite", 0},
		{"with its postal code", "/recherche?commune=Poitiers+86000", 303, "/recherche?code_commune=" + poitiers, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.get(t, c.path)
			if r.status != c.status {
				t.Fatalf("status %d, want %d", r.status, c.status)
			}
			if got := r.header.Get("Location"); got != c.location {
				t.Errorf("Location %q, want %q", got, c.location)
			}
			if c.choices > 0 {
				n := r.doc.Find("ul.choices a").Length()
				if n < c.choices {
					t.Errorf("%d choices", n)
				}
				r.doc.Find("ul.choices a").Each(func(_ int, a *goquery.Selection) {
					if !strings.HasPrefix(a.AttrOr("href", ""), "/recherche?code_commune=") {
						t.Errorf("choice link %q", a.AttrOr("href", ""))
					}
				})
			}
		})
	}
}

// TestResultsAskPlace (issue 17, items 2 and 3): a place that names no
// commune shows the search page again, with the text typed, a French message
// on the field, "Vouliez-vous dire…" communes near in spelling and every
// other criterion kept; a search without place nor words asks for the
// place, all of France being a choice.
func TestResultsAskPlace(t *testing.T) {
	e := testEnv(t)
	for _, c := range []struct{ typed, want string }{
		{"Chatelleraut", "/recherche?code_commune=" + chatellerault + "&q=garage&thematiques=mobilite"},
		{"Poitier", "/recherche?code_commune=" + poitiers + "&q=garage&thematiques=mobilite"},
	} {
		r := e.get(t, "/recherche?commune="+url.QueryEscape(c.typed)+"&q=garage&thematiques=mobilite")
		if r.status != 200 || text(r.doc.Find("h1")) != "Précisez la commune" {
			t.Fatalf("%s: %d %q", c.typed, r.status, text(r.doc.Find("h1")))
		}
		d := r.doc
		if d.Find(`input#commune`).AttrOr("value", "") != c.typed || !strings.Contains(text(d.Find("#commune-erreur")), "Commune introuvable") ||
			!strings.Contains(d.Find(`input#commune`).AttrOr("aria-describedby", ""), "commune-erreur") {
			t.Errorf("%s: the field lost the text or its message", c.typed)
		}
		if d.Find(`#recherche-lieu input[type=hidden][name=q][value=garage]`).Length() != 1 ||
			d.Find(`#recherche-lieu input[type=hidden][name=thematiques][value=mobilite]`).Length() != 1 {
			t.Errorf("%s: the other criteria are not kept", c.typed)
		}
		if first := d.Find(`section[aria-labelledby=vouliez-vous-dire] a`).First().AttrOr("href", ""); first != c.want {
			t.Errorf("%s: first suggestion %q, want %q", c.typed, first, c.want)
		}
	}
	r := e.get(t, "/recherche?thematiques=mobilite")
	if r.status != 200 || text(r.doc.Find("h1")) != "Où habite la personne ?" {
		t.Fatalf("no place: %d %q", r.status, text(r.doc.Find("h1")))
	}
	all := r.doc.Find("#toute-la-france")
	if all.AttrOr("href", "") != "/recherche?thematiques=mobilite&partout=1" || !strings.Contains(text(all), "services") {
		t.Errorf("all of France link %q %q", all.AttrOr("href", ""), text(all))
	}
	r = e.get(t, "/recherche?thematiques=mobilite&partout=1")
	if r.status != 200 || !strings.Contains(text(r.doc.Find("h1")), "dans toute la France") ||
		r.doc.Find(`form#recherche input[type=hidden][name=partout][value="1"]`).Length() != 1 {
		t.Errorf("all of France chosen: %d %q", r.status, text(r.doc.Find("h1")))
	}
}

// TestBadParameters: malformed searches get a 400 page that says what is
// wrong, never a 500.
func TestBadParameters(t *testing.T) {
	e := testEnv(t)
	for _, c := range []struct{ query, field string }{
		{"rayon=abc", "Rayon"},
		{"rayon=7", "Rayon"},
		{"page=-1", "Page"},
		{"page=x", "Page"},
		{"page=100000", "Page"},
		{"thematiques=inconnue", "Thématiques"},
		{"frais=cher", "Frais"},
		{"publics=martiens", "Publics"},
		{"modes_accueil=pigeon", "Modes d’accueil"},
		{"types=rien", "Types de service"},
		{"sort=hasard", "Tri"},
		{"vue=3d", "Vue"},
		{"lat=abc&lon=1", "Latitude"},
		{"lat=91&lon=1", "Latitude"},
		{"lat=46", "Longitude"},
		{"code_commune=99999", "Commune"},
		{"code_commune=abc", "Commune"},
		{"q=" + strings.Repeat("a", 201), "Mots-clés"},
		{"raccourci=tout", "Raccourci"},
		{"lat=0&lon=-30", "Latitude"}, // in the ocean: no commune
	} {
		r := e.get(t, "/recherche?"+c.query)
		if r.status != 400 {
			t.Errorf("%s: status %d, want 400", c.query, r.status)
			continue
		}
		if r.doc == nil || r.doc.Find("header.fr-header").Length() != 1 {
			t.Errorf("%s: error page not in the site's look", c.query)
			continue
		}
		if fields := text(r.doc.Find(".error-fields")); !strings.Contains(fields, c.field) {
			t.Errorf("%s: fields %q do not name %q", c.query, fields, c.field)
		}
	}
}

func TestHostileText(t *testing.T) {
	e := testEnv(t)
	svc := e.get(t, "/services/"+e.fx.hostile.ID)
	if svc.status == 301 {
		svc = e.get(t, svc.header.Get("Location"))
	}
	hostile := url.QueryEscape(`<script>window.__x=1</script>"'&`)
	where := e.get(t, "/recherche?q="+hostile) // words without a place: the place is asked, the words shown
	query := e.get(t, "/recherche?partout=1&q="+hostile)
	for name, r := range map[string]response{"service": svc, "where": where, "results": query} {
		if r.status != 200 {
			t.Fatalf("%s: status %d", name, r.status)
		}
		if n := r.doc.Find("script:not([src])").Length(); n != 0 {
			t.Errorf("%s: %d inline scripts", name, n)
		}
		if strings.Contains(r.body, "<script>window.__") || strings.Contains(r.body, "<b>CV</b>") || strings.Contains(r.body, "<i>") {
			t.Errorf("%s: raw markup reached the page", name)
		}
	}
	d := svc.doc
	if h := text(d.Find("h1")); h != `<script>window.__hostile=true</script> Atelier <b>CV</b> & "lettre"` {
		t.Errorf("name not shown as text: %q", h)
	}
	desc := d.Find(".description")
	if desc.Find("[onerror], img[src='x']").Length() != 0 || strings.Contains(desc.Text(), "onerror") && desc.Find("img").Length() > 0 {
		t.Error("event handler kept")
	}
	desc.Find("a").Each(func(_ int, a *goquery.Selection) {
		if href := a.AttrOr("href", ""); strings.HasPrefix(strings.ToLower(href), "javascript:") {
			t.Errorf("dangerous link %q", href)
		}
	})
	if desc.Find("strong").Length() != 1 || desc.Find(`a[href="https://exemple.fr/atelier"]`).Length() != 1 {
		t.Error("harmless Markdown lost")
	}
	if desc.Find("h1, h2").Length() != 0 || desc.Find("h3").Length() != 1 {
		t.Error("description headings not moved under the page's sections")
	}
	d.Find(`a`).Each(func(_ int, a *goquery.Selection) {
		if strings.HasPrefix(strings.ToLower(a.AttrOr("href", "")), "javascript:") {
			t.Errorf("dangerous link %q", a.AttrOr("href", ""))
		}
	})
	if !strings.Contains(text(d.Find(`a[href^="/structures/"]`)), `Structure <i>"hostile"</i> & cie`) {
		t.Error("structure name not shown as text")
	}
}

func TestServicePage(t *testing.T) {
	e := testEnv(t)
	g := e.fx.garage
	canonical := "/services/" + g.ID + "-reparation-de-vehicules-a-prix-solidaire"
	for _, c := range []struct{ path, location string }{
		{"/services/" + g.ID, canonical},
		{"/services/" + g.ID + "-ancien-nom", canonical},
	} {
		if r := e.get(t, c.path); r.status != 301 || r.header.Get("Location") != c.location {
			t.Errorf("%s: %d → %q, want 301 → %q", c.path, r.status, r.header.Get("Location"), c.location)
		}
	}
	r := e.get(t, canonical)
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	d := r.doc
	share := d.Find(`a#partager`).AttrOr("href", "")
	summary := d.Find(`textarea#texte-fiche`).Text()
	checks := []struct {
		name string
		ok   bool
	}{
		{"name", text(d.Find("h1")) == g.Name},
		{"structure link", d.Find(`a[href="/structures/stgarage00000001-garage-solidaire-du-chatelleraudais"]`).Length() == 1},
		{"thématique tag links a search", d.Find(`a.fr-tag[href="/recherche?code_commune=86066&thematiques=mobilite--entretenir-reparer-son-vehicule"]`).Length() == 1},
		{"Markdown rendered", d.Find(".description strong").Length() == 1 && d.Find(".description li").Length() == 2},
		{"cost", strings.Contains(text(d.Find("section[aria-labelledby=cout]")), "Payant : 10 € de l’heure")},
		{"public", strings.Contains(text(d.Find("section[aria-labelledby=pour-qui]")), "Tous publics")},
		{"phone", d.Find(`a[href="tel:+33549112233"]`).Text() == "05 49 11 22 33"},
		{"mobilisation link", d.Find(`a[href="https://garage.example/demande"]`).Length() == 1},
		{"contact", strings.Contains(text(d.Find(".contact")), "Camille Martin")},
		{"open now (Tuesday 10:00)", strings.HasPrefix(text(d.Find(".hours__status")), "Ouvert maintenant, ferme à 12 h")},
		{"weekly table", d.Find(".hours tbody tr").Length() == 7},
		{"today marked", text(d.Find(".hours__today th")) == "Mardi (aujourd’hui)"},
		{"saturday hours", strings.Contains(text(d.Find(".hours tbody tr").Eq(5)), "9 h – 12 h")},
		{"sunday closed", strings.Contains(text(d.Find(".hours tbody tr").Eq(6)), "Fermé")},
		{"address", strings.Contains(text(d.Find("address")), "Châtellerault")},
		{"map with one place", d.Find("[data-map][data-items=lieu-service]").Length() == 1 && d.Find("#lieu-service [data-lat]").Length() == 1},
		{"zone links the département", d.Find(`section[aria-labelledby=zone] a[href="/departements/86-vienne"]`).Length() == 1},
		{"update date", strings.Contains(text(d.Find(".fr-callout")), "7 mars 2026")},
		{"not stale", d.Find("#fiche-ancienne").Length() == 0},
		{"report an error: a form", d.Find(`a#signaler[href="`+canonical+`/signaler"]`).Length() == 1},
		{"contact panel before the description", d.Find(`aside .contact a[href="tel:+33549112233"]`).Length() == 1 &&
			strings.Index(r.body, `id="mobiliser"`) < strings.Index(r.body, `id="presentation"`)},
		{"who may ask, in plain words", !strings.Contains(r.body, "Peut être sollicité") && text(d.Find("#qui-mobilise")) != ""},
		{"share by e-mail", strings.HasPrefix(share, "mailto:?subject=R%C3%A9paration") && strings.Contains(share, "05%2049%2011%2022%2033")},
		{"text for a case file", strings.HasPrefix(summary, g.Name+"\n") && strings.Contains(summary, "Téléphone : 05 49 11 22 33\n") &&
			strings.Contains(summary, "Fiche Repère : https://repere.example"+canonical) && strings.Contains(summary, "samedi 9 h – 12 h")},
		{"breadcrumb depends on the referer", r.header.Get("Vary") != "" && strings.Contains(r.header.Get("Vary"), "Referer")},
		{"canonical", d.Find(`link[rel=canonical]`).AttrOr("href", "") == "https://repere.example"+canonical},
		{"description", strings.Contains(d.Find(`meta[name=description]`).AttrOr("content", ""), "Garage solidaire du Châtelleraudais")},
		{"breadcrumb through the commune", d.Find(`.fr-breadcrumb a[href="/communes/86066-chatellerault"]`).Length() == 1},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("service page: %s", c.name)
		}
	}

	// Opened from a results page, the breadcrumb leads back to it; from
	// elsewhere, through the commune.
	back := "/recherche?code_commune=86066&thematiques=mobilite"
	for _, c := range []struct{ referer, want string }{
		{"https://repere.example" + back, back},
		{"https://autre.example" + back, "/communes/86066-chatellerault"},
		{"https://repere.example/a-propos", "/communes/86066-chatellerault"},
	} {
		r := e.get(t, canonical, "Referer", c.referer)
		if got := r.doc.Find(`.fr-breadcrumb a[href]`).Last().AttrOr("href", ""); got != c.want {
			t.Errorf("referer %s: breadcrumb leads to %q, want %q", c.referer, got, c.want)
		}
	}

	stale := e.get(t, "/services/"+e.fx.stale.ID+"-atelier-d-ecriture-de-cv")
	if stale.status != 200 || !strings.Contains(text(stale.doc.Find("#fiche-ancienne")), "10 mars 2024") {
		t.Errorf("stale service: %d, warning %q", stale.status, text(stale.doc.Find("#fiche-ancienne")))
	}
	for _, id := range []string{e.fx.draft.ID, e.fx.suspended.ID, "inconnu000000001"} {
		if r := e.get(t, "/services/"+id); r.status != 404 || r.doc.Find("header.fr-header").Length() != 1 {
			t.Errorf("%s: status %d, want a 404 page", id, r.status)
		}
	}
}

func TestStructurePage(t *testing.T) {
	e := testEnv(t)
	st := e.fx.garageSt
	if r := e.get(t, "/structures/"+st.ID); r.status != 301 {
		t.Errorf("short URL: status %d", r.status)
	}
	r := e.get(t, "/structures/"+st.ID+"-garage-solidaire-du-chatelleraudais")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	d := r.doc
	names := []string{}
	d.Find("#services-structure .fr-card__title").Each(func(_ int, s *goquery.Selection) { names = append(names, text(s)) })
	checks := []struct {
		name string
		ok   bool
	}{
		{"name", text(d.Find("h1")) == st.Name},
		{"SIRET", strings.Contains(text(d.Find(".fr-callout")), "SIRET : 123 456 789 00012")},
		{"réseau", strings.Contains(text(d.Find(".fr-tags-group")), "Mob’In")},
		{"its two services", len(names) == 2 && contains(names, e.fx.garage.Name) && contains(names, e.fx.permis.Name)},
		{"count", text(d.Find("#services")) == "2 services proposés"},
		{"hours", d.Find(".hours tbody tr").Length() == 7},
		{"contact", d.Find(`a[href="mailto:contact@stgarage00000001.example"]`).Length() == 1},
		{"map", d.Find("#lieu-structure [data-lat]").Length() == 1},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("structure page: %s", c.name)
		}
	}
	if r := e.get(t, "/structures/inconnue00000001"); r.status != 404 {
		t.Errorf("unknown structure: %d", r.status)
	}
}

func TestCommunePage(t *testing.T) {
	e := testEnv(t)
	for _, p := range []string{"/communes/" + poitiers, "/communes/" + poitiers + "-poitier"} {
		if r := e.get(t, p); r.status != 301 || r.header.Get("Location") != "/communes/86194-poitiers" {
			t.Errorf("%s: %d → %q", p, r.status, r.header.Get("Location"))
		}
	}
	r := e.get(t, "/communes/86194-poitiers")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	d := r.doc
	categories := map[string]string{}
	d.Find(".fr-accordion__btn").Each(func(_ int, b *goquery.Selection) {
		categories[strings.TrimSpace(b.Contents().First().Text())] = text(b.Find(".count"))
	})
	checks := []struct {
		name string
		ok   bool
	}{
		{"heading", text(d.Find("h1")) == "Aides à l’insertion à Poitiers"},
		{"total", strings.HasPrefix(text(d.Find(".fr-text--lead")), "30 services sont proposés")},
		{"mobilité count", categories["Mobilité"] == "(2 services)"},
		{"numérique count", categories["Numérique"] == "(26 services)"},
		{"no empty category", categories["Santé"] == ""},
		{"category links a search", d.Find(`a[href="/recherche?code_commune=86194&thematiques=mobilite"]`).Length() == 1},
		{"besoin links a search", d.Find(`a[href="/recherche?code_commune=86194&thematiques=famille--garde-denfants"]`).Length() == 1},
		{"département link", d.Find(`a[href="/departements/86-vienne"]`).Length() >= 1},
		{"outline on the map", d.Find(`[data-map][data-outline="/communes/86194-poitiers/contour.geojson"]`).Length() == 1},
		{"some services", d.Find("#services-commune > li").Length() == 10},
		{"indexed", d.Find(`meta[name=robots]`).Length() == 0},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("commune page: %s (categories %v)", c.name, categories)
		}
	}

	geo := e.get(t, "/communes/86194-poitiers/contour.geojson")
	if geo.status != 200 || !strings.HasPrefix(geo.body, `{"type":"Feature"`) || !strings.Contains(geo.body, `"coordinates":[[[`) {
		t.Errorf("contour: %d %.80s", geo.status, geo.body)
	}
}

func TestUnknownCommune(t *testing.T) {
	e := testEnv(t)
	for _, c := range []struct{ path, suggestion string }{
		{"/communes/86000", "/communes/86194-poitiers"},          // a postal code, not an INSEE code
		{"/communes/99999-poitiers", "/communes/86194-poitiers"}, // the slug still says which
		{"/communes/00000", ""},
	} {
		r := e.get(t, c.path)
		if r.status != 404 {
			t.Errorf("%s: status %d, want 404", c.path, r.status)
			continue
		}
		if !strings.Contains(text(r.doc.Find("main")), "Aucune commune ne porte le code") {
			t.Errorf("%s: no explanation", c.path)
		}
		if c.suggestion != "" && r.doc.Find(`main a[href="`+c.suggestion+`"]`).Length() != 1 {
			t.Errorf("%s: no link to %s", c.path, c.suggestion)
		}
	}
}

func TestDepartementPages(t *testing.T) {
	e := testEnv(t)
	list := e.get(t, "/departements")
	if n := list.doc.Find(`main a[href^="/departements/"]`).Length(); n != len(e.gaz.Departements()) {
		t.Errorf("%d départements listed", n)
	}
	if r := e.get(t, "/departements/86"); r.status != 301 || r.header.Get("Location") != "/departements/86-vienne" {
		t.Errorf("short URL: %d %q", r.status, r.header.Get("Location"))
	}
	r := e.get(t, "/departements/86-vienne")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	var poit, cht string
	r.doc.Find("ul.communes li").Each(func(_ int, li *goquery.Selection) {
		switch li.Find("a").AttrOr("href", "") {
		case "/communes/86194-poitiers":
			poit = text(li)
		case "/communes/86066-chatellerault":
			cht = text(li)
		}
	})
	if poit != "Poitiers (30)" || cht == "" {
		t.Errorf("Poitiers %q, Châtellerault %q", poit, cht)
	}
	if n := r.doc.Find("ul.communes li").Length(); n < 250 {
		t.Errorf("%d communes in the Vienne", n)
	}
	if r := e.get(t, "/departements/00"); r.status != 404 {
		t.Errorf("unknown département: %d", r.status)
	}
}

func TestSitemapAndRobots(t *testing.T) {
	e := testEnv(t)
	idx := e.get(t, "/sitemap.xml")
	if idx.status != 200 || !strings.Contains(idx.header.Get("Content-Type"), "xml") {
		t.Fatalf("sitemap index: %d %s", idx.status, idx.header.Get("Content-Type"))
	}
	for _, part := range []string{"pages", "communes", "services-1", "structures-1"} {
		if !strings.Contains(idx.body, "<loc>https://repere.example/sitemaps/"+part+".xml</loc>") {
			t.Errorf("index lacks %s", part)
		}
	}
	for _, c := range []struct {
		part       string
		has, lacks []string
	}{
		{"services-1", []string{"/services/svgarage00000001-reparation-de-vehicules-a-prix-solidaire</loc><lastmod>2026-03-07</lastmod>"},
			[]string{e.fx.draft.ID, e.fx.suspended.ID}},
		{"structures-1", []string{"/structures/stgarage00000001-garage-solidaire-du-chatelleraudais<"}, nil},
		{"communes", []string{"/communes/86194-poitiers<", "/communes/37261-tours<"}, []string{"/communes/75056-paris<"}},
		{"pages", []string{"https://repere.example/<", "/departements/86-vienne<", "/a-propos<"}, nil},
	} {
		r := e.get(t, "/sitemaps/"+c.part+".xml")
		if r.status != 200 {
			t.Errorf("%s: status %d", c.part, r.status)
			continue
		}
		for _, s := range c.has {
			if !strings.Contains(r.body, s) {
				t.Errorf("%s lacks %s", c.part, s)
			}
		}
		for _, s := range c.lacks {
			if strings.Contains(r.body, s) {
				t.Errorf("%s has %s", c.part, s)
			}
		}
	}
	if r := e.get(t, "/sitemaps/services-2.xml"); r.status != 404 {
		t.Errorf("services-2: %d", r.status)
	}
	robots := e.get(t, "/robots.txt")
	if !strings.Contains(robots.body, "Sitemap: https://repere.example/sitemap.xml") || !strings.Contains(robots.body, "Disallow: /api/") {
		t.Errorf("robots.txt: %q", robots.body)
	}
}

func TestInfoPages(t *testing.T) {
	e := testEnv(t)
	for _, c := range []struct{ path, heading, has string }{
		{"/a-propos", "À propos de Repère", "Données fictives de démonstration"},
		{"/mentions-legales", "Mentions légales", "Données personnelles"},
		{"/accessibilite", "Déclaration d’accessibilité", "partiellement conforme"},
		{"/plan-du-site", "Plan du site", "Parcourir par territoire"},
	} {
		r := e.get(t, c.path)
		if r.status != 200 || text(r.doc.Find("h1")) != c.heading || !strings.Contains(text(r.doc.Find("main")), c.has) {
			t.Errorf("%s: %d %q", c.path, r.status, text(r.doc.Find("h1")))
		}
	}
	r := e.get(t, "/nulle-part")
	if r.status != 404 || text(r.doc.Find("h1")) != "Page non trouvée" || r.doc.Find("footer.fr-footer").Length() != 1 {
		t.Errorf("404 page: %d %q", r.status, text(r.doc.Find("h1")))
	}
}

func TestResultsAroundPosition(t *testing.T) {
	e := testEnv(t)
	c, _ := e.gaz.Commune(poitiers)
	lat, lon := strconv.FormatFloat(c.Center[1], 'f', 4, 64), strconv.FormatFloat(c.Center[0], 'f', 4, 64)
	r := e.get(t, "/recherche?lat="+lat+"&lon="+lon+"&thematiques=mobilite")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	if h := text(r.doc.Find("h1")); h != "2 services autour de votre position (Poitiers (Vienne))" {
		t.Errorf("heading %q", h)
	}
	if v := r.doc.Find("#commune").AttrOr("value", ""); v != "Autour de ma position" {
		t.Errorf("place field %q", v)
	}
	if r.doc.Find(`input[name=lat]`).AttrOr("value", "") != lat {
		t.Error("the position is not kept in the form")
	}
	if !contains(cards(r.doc), e.fx.garage.Name) || !strings.Contains(text(r.doc.Find("[data-place]")), "Châtellerault, à ") {
		t.Error("distance from the position not shown")
	}
	// The field's own label sent back keeps the position.
	if r := e.get(t, "/recherche?commune=Autour+de+ma+position&lat="+lat+"&lon="+lon); r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), "/recherche?lat=") {
		t.Errorf("position label: %d %q", r.status, r.header.Get("Location"))
	}
}
