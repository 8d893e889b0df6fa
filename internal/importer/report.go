package importer

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// States of a run.
const (
	StateRunning = "en_cours"
	StateDone    = "termine"
	StateFailed  = "echoue"
	StateStopped = "interrompu"
)

// maxListed bounds the rejections and warnings a report lists one by one;
// all are counted by reason.
const maxListed = 1000

// Report is what a run did, kept in the history (store collection imports).
type Report struct {
	ID         string     `bson:"_id" json:"id"`
	Feed       string     `bson:"flux" json:"flux"`
	Label      string     `bson:"libelle" json:"libelle"`
	What       string     `bson:"quoi" json:"quoi"`
	Actor      string     `bson:"par,omitempty" json:"par,omitempty"`
	ActorID    string     `bson:"par_id,omitempty" json:"-"`
	DryRun     bool       `bson:"essai" json:"essai"`
	State      string     `bson:"etat" json:"etat"`
	Error      string     `bson:"erreur,omitempty" json:"erreur,omitempty"`
	StartedAt  time.Time  `bson:"debut" json:"debut"`
	FinishedAt *time.Time `bson:"fin,omitempty" json:"fin,omitempty"`

	Read  int `bson:"lus" json:"lus"`                         // records read
	Total int `bson:"total,omitempty" json:"total,omitempty"` // records in the source, when known beforehand

	New                 int `bson:"nouveaux" json:"nouveaux"`
	Updated             int `bson:"modifies" json:"modifies"`
	Unchanged           int `bson:"inchanges" json:"inchanges"`
	Missing             int `bson:"absents" json:"absents"` // gone from the source, still in their grace period
	Unpublished         int `bson:"depublies" json:"depublies"`
	Rejected            int `bson:"rejetes" json:"rejetes"`
	Duplicates          int `bson:"doublons" json:"doublons"` // services another source already brought
	InSourceDuplicates  int `bson:"doublons_source" json:"doublons_source"`
	StructuresNew       int `bson:"structures_nouvelles" json:"structures_nouvelles"`
	StructuresUpdated   int `bson:"structures_modifiees" json:"structures_modifiees"`
	StructuresUnchanged int `bson:"structures_inchangees" json:"structures_inchangees"`
	StructureDuplicates int `bson:"structures_doublons" json:"structures_doublons"`
	Warnings            int `bson:"avertissements" json:"avertissements"`

	Rejections   []Note  `bson:"rejets,omitempty" json:"rejets,omitempty"`
	WarningList  []Note  `bson:"liste_avertissements,omitempty" json:"avertissements_detail,omitempty"`
	Reasons      []Count `bson:"motifs,omitempty" json:"motifs,omitempty"`              // rejections by reason
	WarningKinds []Count `bson:"types_avertissements,omitempty" json:"types,omitempty"` // warnings by kind
}

// Count is how many rejections or warnings share a reason.
type Count struct {
	Reason string `bson:"motif" json:"motif"`
	N      int    `bson:"n" json:"n"`
}

// count adds one to the reason's count, keeping the list by decreasing count.
func count(l []Count, reason string) []Count {
	i := slices.IndexFunc(l, func(c Count) bool { return c.Reason == reason })
	if i < 0 {
		return append(l, Count{reason, 1})
	}
	l[i].N++
	for i > 0 && l[i].N > l[i-1].N {
		l[i], l[i-1] = l[i-1], l[i]
		i--
	}
	return l
}

// Note is one rejected record or one warning: where, and why in French.
type Note struct {
	Ref    string `bson:"ref" json:"ref"`
	Reason string `bson:"motif" json:"motif"`
}

func (r *Report) reject(ref, reason string) {
	r.Rejected++
	r.Reasons = count(r.Reasons, reasonKind(reason))
	if len(r.Rejections) < maxListed {
		r.Rejections = append(r.Rejections, Note{ref, reason})
	}
}

func (r *Report) warn(ref, w string) {
	r.Warnings++
	r.WarningKinds = count(r.WarningKinds, reasonKind(w))
	if len(r.WarningList) < maxListed {
		r.WarningList = append(r.WarningList, Note{ref, w})
	}
}

// reasonKind groups messages that differ only by the value they quote.
func reasonKind(msg string) string {
	for i, r := range msg {
		if r == '«' || r == '(' {
			return trimSpace(msg[:i])
		}
	}
	return msg
}

func trimSpace(s string) string {
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == ':') {
		s = s[:len(s)-1]
	}
	return s
}

// Print writes the report for a terminal: counts, then rejections and
// warnings by kind, then the first rejections one by one.
func (r *Report) Print(w io.Writer, listed int) {
	mode := ""
	if r.DryRun {
		mode = " (essai : rien n’a été écrit)"
	}
	fmt.Fprintf(w, "Import %s — %s%s\n", r.Label, r.What, mode)
	if r.FinishedAt != nil {
		fmt.Fprintf(w, "  durée                 %s\n", r.FinishedAt.Sub(r.StartedAt).Round(time.Millisecond))
	}
	row := func(label string, n int) { fmt.Fprintf(w, "  %-21s %d\n", label, n) }
	row("enregistrements lus", r.Read)
	row("services nouveaux", r.New)
	row("services modifiés", r.Updated)
	row("services inchangés", r.Unchanged)
	row("services absents", r.Missing)
	row("services dépubliés", r.Unpublished)
	row("rejetés", r.Rejected)
	row("doublons (autre source)", r.Duplicates)
	row("doublons (même source)", r.InSourceDuplicates)
	fmt.Fprintf(w, "  structures            %d nouvelles, %d modifiées, %d inchangées, %d doublons\n",
		r.StructuresNew, r.StructuresUpdated, r.StructuresUnchanged, r.StructureDuplicates)
	row("avertissements", r.Warnings)
	if r.Error != "" {
		fmt.Fprintf(w, "  ERREUR : %s\n", r.Error)
	}
	printKinds := func(title string, l []Count) {
		if len(l) == 0 {
			return
		}
		fmt.Fprintf(w, "%s :\n", title)
		for _, c := range l {
			fmt.Fprintf(w, "  %6d  %s\n", c.N, c.Reason)
		}
	}
	printKinds("Motifs de rejet", r.Reasons)
	printKinds("Avertissements", r.WarningKinds)
	if len(r.Rejections) > 0 && listed > 0 {
		fmt.Fprintln(w, "Rejets :")
		for i, n := range r.Rejections {
			if i == listed {
				fmt.Fprintf(w, "  … et %d autres\n", r.Rejected-listed)
				break
			}
			fmt.Fprintf(w, "  %s : %s\n", n.Ref, n.Reason)
		}
	}
}
