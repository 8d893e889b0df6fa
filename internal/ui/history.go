package ui

import (
	"slices"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

// historyView is one change as the history pages list it.
type historyView struct {
	At, AtISO string
	Who       string
	Action    string
	Changes   []directory.FieldChange
}

// historyOf shows a history newest first.
func (s *Server) historyOf(entries []directory.HistoryEntry, err error) ([]historyView, error) {
	if err != nil {
		return nil, err
	}
	slices.Reverse(entries)
	var out []historyView
	for _, e := range entries {
		who := e.UserName
		if who == "" {
			who = "Repère"
		}
		out = append(out, historyView{At: directory.FrenchDate(e.At) + " à " + clockOf(e.At), AtISO: e.At.Format(time.RFC3339),
			Who: who, Action: e.Action, Changes: e.Changes})
	}
	return out, nil
}
