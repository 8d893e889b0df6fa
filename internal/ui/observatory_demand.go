package ui

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/demand"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/observatory"
)

// demandPath shows the searches of a territory for a thématique, and those
// that found nothing, beside the offer: for moderators and platform
// administrators.
const demandPath = "/espace/observatoire/demande"

// demandDays are the periods the demand page sums, in days.
var demandDays = []int{7, 30, 90}

type demandPage struct {
	Layout
	Picker    observatoryPicker
	Days      []option
	Ready     bool
	Territory string
	Theme     string
	Period    string
	Searches  string // summed over the cells shown
	Unmet     string
	Communes  []demandRow
	Words     []demandWords
	Public    string // the public page of the same choice
	MinCount  int
}

type demandRow struct {
	Commune  Link
	Searches string
	Unmet    string
	OnSite   int // services on site within the radius
	Share    string
}

type demandWords struct {
	Words string
	Count string
}

// demandCount formats a count a report gives, Few as "moins de 5".
func demandCount(n int) string {
	if n == demand.Few {
		return "moins de " + strconv.Itoa(demand.MinCount)
	}
	return number(n)
}

// inColumn reports whether a counted thématique belongs to a column: the
// column itself, or a besoin of a category column.
func inColumn(th string, col observatory.Column) bool {
	return th == col.Value || col.Category == "" && directory.CategoryOf(th) == col.Value
}

// observatoryDemand renders the demand page.
func (s *Server) observatoryDemand(c *fiber.Ctx) error {
	actor := actorOf(c)
	if actor == nil || actor.User == nil || !actor.User.PlatformAdmin && len(actor.User.ModeratorOf) == 0 {
		return directory.Errorf(directory.EFORBIDDEN, "Cette page est réservée aux gestionnaires de territoire et aux administrateurs de la plateforme.")
	}
	q, err := s.observatoryQuery(c)
	if err != nil {
		return err
	}
	days := 30
	if v := c.Query("jours"); v != "" {
		if days, err = strconv.Atoi(v); err != nil || !slices.Contains(demandDays, days) {
			return directory.Errorf(directory.EINVALID, "La période doit être de 7, 30 ou 90 jours.")
		}
	}
	col := observatory.Columns()[q.Column]
	p := demandPage{Picker: s.observatoryPicker(q), Territory: s.Gazetteer.ZoneLabel(q.Territory), Theme: col.Label,
		Period: strconv.Itoa(days) + " derniers jours", MinCount: demand.MinCount, Public: observatoryURL("/observatoire", q)}
	for _, d := range demandDays {
		p.Days = append(p.Days, option{Value: strconv.Itoa(d), Label: strconv.Itoa(d) + " jours", Selected: d == days})
	}
	p.Layout = s.espaceLayout(c, "Recherches et recherches sans résultat : "+p.Theme+", "+p.Territory)
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: "/espace"}, Link{Label: "Observatoire : la demande"})
	cv := s.observatory().Coverage()
	if cv == nil || s.Demand == nil {
		return c.Render("espace/demande", p)
	}
	rep, err := cv.Report(q)
	if err != nil {
		return err
	}
	p.Ready = true
	now := s.now()
	from := now.AddDate(0, 0, 1-days)
	ctx := c.UserContext()
	cells, err := s.Demand.Report(ctx, from, now, demand.Dimensions{Commune: true, Thematique: true}, 0)
	if err != nil {
		return err
	}
	rows := map[string]*observatory.Row{}
	for i := range rep.Rows {
		rows[rep.Rows[i].Commune.Code] = &rep.Rows[i]
	}
	type sum struct{ searches, unmet int }
	by := map[string]*sum{}
	total := sum{}
	few := func(n int) int { return max(n, 0) } // a hidden count adds nothing
	for _, cell := range cells {
		if rows[cell.Commune] == nil || !inColumn(cell.Thematique, col) {
			continue
		}
		sm := by[cell.Commune]
		if sm == nil {
			sm = &sum{}
			by[cell.Commune] = sm
		}
		if sm.searches == 0 && cell.Searches == demand.Few {
			sm.searches = demand.Few
		} else if cell.Searches != demand.Few {
			sm.searches = few(sm.searches) + cell.Searches
		}
		if sm.unmet == 0 && cell.Count == demand.Few {
			sm.unmet = demand.Few
		} else if cell.Count != demand.Few {
			sm.unmet = few(sm.unmet) + cell.Count
		}
		total.searches += few(cell.Searches)
		total.unmet += few(cell.Count)
	}
	codes := make([]string, 0, len(by))
	for code := range by {
		codes = append(codes, code)
	}
	slices.SortFunc(codes, func(a, b string) int {
		return cmp.Or(cmp.Compare(by[b].unmet, by[a].unmet), cmp.Compare(by[b].searches, by[a].searches), cmp.Compare(a, b))
	})
	for _, code := range codes[:min(len(codes), maxDemandRows)] {
		r, sm := rows[code], by[code]
		d := demandRow{Commune: Link{Label: r.Commune.Label(), URL: communeURL(r.Commune)}, Searches: demandCount(sm.searches),
			Unmet: demandCount(sm.unmet), OnSite: r.OnSite}
		if sm.searches > 0 && sm.unmet >= 0 {
			d.Share = percent(float64(sm.unmet) / float64(sm.searches))
		}
		p.Communes = append(p.Communes, d)
	}
	p.Searches, p.Unmet = number(total.searches), number(total.unmet)

	// The words of the searches that found nothing, summed over the
	// territory's communes: each shown only when searched often enough.
	worded, err := s.Demand.Report(ctx, from, now, demand.Dimensions{Commune: true, Thematique: true, Words: true}, 0)
	if err != nil {
		return err
	}
	words := map[string]int{}
	for _, cell := range worded {
		if cell.Words != "" && cell.Count > 0 && rows[cell.Commune] != nil && inColumn(cell.Thematique, col) {
			words[cell.Words] += cell.Count
		}
	}
	for w, n := range words {
		p.Words = append(p.Words, demandWords{Words: w, Count: number(n)})
	}
	slices.SortFunc(p.Words, func(a, b demandWords) int {
		return cmp.Or(cmp.Compare(words[b.Words], words[a.Words]), cmp.Compare(a.Words, b.Words))
	})
	p.Words = p.Words[:min(len(p.Words), maxDemandRows)]
	return c.Render("espace/demande", p)
}

// maxDemandRows bounds the tables of the demand page.
const maxDemandRows = 50
