package ui

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/repere-spie/repere/internal/directory"
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
	var base url.Values
	view := &conflictView{By: "une autre personne", At: "le " + directory.FrenchDate(cur.UpdatedAt) + " à " + clockOf(cur.UpdatedAt)}
	entries, err := s.Catalog.History(ctx, cur.ID)
	if err != nil {
		s.Logger.Warn("history not read", "service", cur.ID, "err", err)
	}
	for _, e := range entries {
		if e.Version == read && e.Service != nil {
			base = directory.ServiceValues(e.Service)
		}
		if e.Version == cur.Version && e.UserName != "" {
			view.By, view.At = e.UserName, "le "+directory.FrenchDate(e.At)+" à "+clockOf(e.At)
		}
	}
	merged, others := s.mergeForms(directory.ServiceFields, mine, directory.ServiceValues(cur), base, view)
	return merged, others, view
}

// mergeForms is the one three-way merge of the editors (services and
// structures): the form to show again, and the other side's value of each
// field in conflict, which view lists with the fields taken from the other
// side.
func (s *Server) mergeForms(fields directory.Fields, mine, theirs, base url.Values, view *conflictView) (url.Values, map[string]*otherValue) {
	m := fields.Merge(mine, theirs, base)
	for _, name := range m.Taken {
		view.Taken = append(view.Taken, fields.Label(name))
	}
	others := map[string]*otherValue{}
	for _, name := range m.Conflicts {
		f, _ := fields.Field(name)
		o := &otherValue{Text: f.Display(theirs, s.Gazetteer.ZoneLabel), Raw: theirs.Get(name), List: f.List, By: view.By, At: view.At}
		if f.List {
			o.Raw = strings.Join(theirs[name], " ")
		}
		if name == "commune" {
			o.Code = theirs.Get("code_insee")
		}
		others[name] = o
		view.Conflicts = append(view.Conflicts, conflictField{ID: fieldID(name), Label: f.Label, Mine: f.Display(mine, s.Gazetteer.ZoneLabel), Theirs: o.Text})
	}
	m.Values.Set("version_lue", "") // the caller sets the version now stored
	return m.Values, others
}

// splitRaw reads the values of a list kept in otherValue.Raw.
func splitRaw(raw string) []string { return strings.Fields(raw) }

// clockOf is "10 h 32", in Paris.
func clockOf(t time.Time) string {
	t = t.In(directory.Paris)
	return clock(t.Hour()*60 + t.Minute())
}
