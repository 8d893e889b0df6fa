package ui

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// conflictView tells the editor that someone saved the service while they
// were editing it, and what that changed.
type conflictView struct {
	By, At    string          // who saved the other version, and when
	Conflicts []conflictField // changed on both sides: the editor chooses
	Taken     []string        // changed only on the other side: already taken into the form
}

type conflictField struct {
	ID, Label    string
	Mine, Theirs string
}

// merge combines a form filled from version read with the service as now
// stored (cur). Using the version the editor started from (kept in the
// history), a field changed on one side only takes that side's value; a
// field changed on both sides keeps the editor's value and shows the other
// beside it. Without that version, every difference is shown. Nothing is
// saved: the editor reviews and saves the merged form.
func (s *Server) merge(ctx context.Context, mine url.Values, read int64, cur *directory.Service) (url.Values, map[string]*otherValue, *conflictView) {
	theirs := serviceValues(cur)
	var base url.Values
	view := &conflictView{By: "une autre personne", At: "le " + directory.FrenchDate(cur.UpdatedAt) + " à " + clockOf(cur.UpdatedAt)}
	entries, err := s.Store.History(ctx, store.ServiceHistoryKey(cur.ID))
	if err != nil {
		s.Logger.Warn("history not read", "service", cur.ID, "err", err)
	}
	for _, e := range entries {
		if e.Version == read && e.Service != nil {
			base = serviceValues(e.Service)
		}
		if e.Version == cur.Version && e.UserName != "" {
			view.By, view.At = e.UserName, "le "+directory.FrenchDate(e.At)+" à "+clockOf(e.At)
		}
	}
	merged := url.Values{}
	others := map[string]*otherValue{}
	for _, name := range serviceFields {
		m, t := canonical(name, mine), canonical(name, theirs)
		src, conflict := mine, false
		if m != t {
			switch {
			case base == nil:
				conflict = true
			case t == canonical(name, base): // only the editor changed it
			case m == canonical(name, base): // only the other person did
				src = theirs
				view.Taken = append(view.Taken, serviceLabels[name])
			default:
				conflict = true
			}
		}
		copyField(merged, src, name)
		if name == "commune" {
			copyField(merged, src, "code_insee")
		}
		if conflict {
			o := &otherValue{Text: s.display(name, theirs), Raw: strings.Join(theirs[name], " "), List: listFields[name], By: view.By, At: view.At}
			if !listFields[name] {
				o.Raw = theirs.Get(name)
			}
			if name == "commune" {
				o.Code = theirs.Get("code_insee")
			}
			others[name] = o
			view.Conflicts = append(view.Conflicts, conflictField{ID: fieldID(name), Label: serviceLabels[name],
				Mine: s.display(name, mine), Theirs: o.Text})
		}
	}
	merged.Set("version_lue", "") // the caller sets the version now stored
	return merged, others, view
}

func copyField(dst, src url.Values, name string) {
	if vals, ok := src[name]; ok {
		dst[name] = append([]string(nil), vals...)
	} else {
		delete(dst, name)
	}
}

// splitRaw reads the values of a list kept in otherValue.Raw.
func splitRaw(raw string) []string { return strings.Fields(raw) }

// clockOf is "10 h 32", in Paris.
func clockOf(t time.Time) string {
	t = t.In(directory.Paris)
	return clock(t.Hour()*60 + t.Minute())
}
