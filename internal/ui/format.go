package ui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// ago says how long before now t was: "aujourd’hui", "hier", "il y a 3
// jours", "il y a 2 mois", "il y a plus d’un an".
func ago(now, t time.Time) string {
	y1, m1, d1 := now.In(directory.Paris).Date()
	y2, m2, d2 := t.In(directory.Paris).Date()
	days := int(time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC).Sub(time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	switch {
	case days <= 0:
		return "aujourd’hui"
	case days == 1:
		return "hier"
	case days < 31:
		return fmt.Sprintf("il y a %d jours", days)
	case days < 365:
		months := days / 30
		if months < 2 {
			return "il y a un mois"
		}
		return fmt.Sprintf("il y a %d mois", months)
	case days < 730:
		return "il y a plus d’un an"
	}
	return fmt.Sprintf("il y a %d ans", days/365)
}

// distance is "à 350 m", "à 1,2 km", "à 12 km".
func distance(meters float64) string {
	switch {
	case meters < 100:
		return "à moins de 100 m"
	case meters < 1000:
		return fmt.Sprintf("à %d m", int(math.Round(meters/10)*10))
	case meters < 10_000:
		return "à " + strings.Replace(strconv.FormatFloat(meters/1000, 'f', 1, 64), ".", ",", 1) + " km"
	}
	return fmt.Sprintf("à %d km", int(math.Round(meters/1000)))
}

// phone formats an E.164 French number as people write it: "05 49 12 34 56".
// Other numbers are shown as stored.
func phone(e164 string) string {
	if len(e164) == 12 && strings.HasPrefix(e164, "+33") {
		d := "0" + e164[3:]
		return d[0:2] + " " + d[2:4] + " " + d[4:6] + " " + d[6:8] + " " + d[8:10]
	}
	return e164
}

// siret is "123 456 789 00012".
func siret(s string) string {
	if len(s) != 14 {
		return s
	}
	return s[0:3] + " " + s[3:6] + " " + s[6:9] + " " + s[9:]
}

// number formats an integer with French thousands separators: "34 969".
func number(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u202f") // narrow no-break space
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// plural returns "1 service" or "3 services" ("0 service" in French).
func plural(n int, one, many string) string {
	if n <= 1 {
		return number(n) + " " + one
	}
	return number(n) + " " + many
}

// maxSlug bounds the name part of a URL.
const maxSlug = 80

// slug is the URL form of a name, cut at a word boundary.
func slug(name string) string {
	s := geo.Slug(name)
	if len(s) > maxSlug {
		s = s[:maxSlug]
		if i := strings.LastIndexByte(s, '-'); i > maxSlug/2 {
			s = s[:i]
		}
	}
	return s
}

func ref(id, name string) string {
	if sl := slug(name); sl != "" {
		return id + "-" + sl
	}
	return id
}

func serviceURL(id, name string) string   { return "/services/" + ref(id, name) }
func structureURL(id, name string) string { return "/structures/" + ref(id, name) }

func communeURL(c *directory.Commune) string { return "/communes/" + ref(c.Code, c.Name) }

func departementURL(d *directory.Departement) string { return "/departements/" + ref(d.Code, d.Name) }

// splitRef splits "id-slug" into its id and slug. Identifiers and codes have
// no hyphen.
func splitRef(r string) (id, slug string) {
	id, slug, _ = strings.Cut(r, "-")
	return id, slug
}

// coord formats a coordinate for a data attribute.
func coord(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x, 'f', 5, 64)
}

// labels maps vocabulary values to their labels.
func labels(v *directory.Vocabulary, values []string) []string {
	out := make([]string, 0, len(values))
	for _, x := range values {
		out = append(out, v.Label(x))
	}
	return out
}

// thematiqueLabel labels a besoin or a category.
func thematiqueLabel(t string) string {
	if directory.Thematiques.Has(t) {
		return directory.Thematiques.Label(t)
	}
	return directory.ThematiqueCategories.Label(t)
}
