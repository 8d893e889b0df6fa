package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/importer"
	"github.com/repere-spie/repere/internal/remind"
)

// importsDone lists, for the moderators' weekly digest, the imports that
// ended in [since, until). Reports do not say which départements an import
// touched, so every moderator hears of every import.
func (m *Main) importsDone(ctx context.Context, _ []string, since, until time.Time) ([]remind.Import, error) {
	var out []remind.Import
	err := m.Store.EachImportRun(ctx, func() any { return new(importer.Report) }, func(v any) bool {
		r := v.(*importer.Report)
		if r.StartedAt.Before(since.AddDate(0, 0, -1)) {
			return false // newest first: the rest is older
		}
		if r.DryRun || r.State != importer.StateDone || r.FinishedAt == nil || r.FinishedAt.Before(since) || !r.FinishedAt.Before(until) {
			return true
		}
		out = append(out, remind.Import{Source: r.Label, At: *r.FinishedAt, Summary: importSummary(r)})
		return true
	})
	return out, err
}

func importSummary(r *importer.Report) string {
	var parts []string
	for _, p := range []struct {
		n         int
		one, many string
	}{{r.New, "service nouveau", "services nouveaux"}, {r.Updated, "service modifié", "services modifiés"},
		{r.Unpublished, "service retiré", "services retirés"}, {r.Rejected, "fiche refusée", "fiches refusées"}} {
		switch {
		case p.n == 1:
			parts = append(parts, "1 "+p.one)
		case p.n > 1:
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.many))
		}
	}
	if len(parts) == 0 {
		return "Aucun changement"
	}
	return strings.Join(parts, ", ")
}
