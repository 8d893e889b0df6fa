// Package importer brings the real offer into Repère: readers turn a source
// (data·inclusion files or API, v0 extracts, spreadsheets, the France
// services list) into the domain's structures and services; one pipeline
// validates them, places them on the map, recognises what it already has
// (same source and id: a sync) and what another source already brought
// (duplicates), and writes through the catalog, so that imported services
// are logged, indexed and announced like any other.
package importer

import (
	"context"
	"slices"

	"github.com/repere-spie/repere/internal/directory"
)

// Item is one record a reader read: a structure or a service (or only
// warnings about the source, such as an unknown column), in the
// domain's types, with the producer's identifiers (Provenance.ExternalID,
// and for a service StructureID is its structure's ExternalID). Ref says
// where it is in the source for the report ("ligne 12").
type Item struct {
	Ref       string
	Structure *directory.Structure
	Service   *directory.Service
	Warnings  []string
	// StructureID is the Repère id of the service's structure when the
	// reader knows it (a spreadsheet imported for a registered structure).
	StructureID string
	// Derived marks an item the reader made up from another record (a
	// structure named by a service, the offer of a site): not counted as read.
	Derived bool
	// Err rejects the record: the reader could not make sense of it. The
	// message is French and shown in the report.
	Err error
}

// Feed is a flow of records that import keeps in sync: records it brought
// and no longer finds are unpublished.
type Feed struct {
	Name    string // "datainclusion", "france-services", "tableur"
	Label   string // as shown: "data·inclusion"
	Licence string // the licence the records are published under
}

// Scope is the part of a feed a run covers: what it does not find there is
// gone. Empty lists mean "all".
type Scope struct {
	Sources      []string // data·inclusion sources ("dora")
	Departements []string
	Structures   []string // Repère ids (a spreadsheet for one structure)
	// FromRecords restricts the scope to the sources and départements of
	// the records read: a file of one territory leaves the others alone.
	FromRecords bool
}

func (s Scope) covers(source, dep, structureID string) bool {
	return (len(s.Sources) == 0 || slices.Contains(s.Sources, source)) &&
		(len(s.Departements) == 0 || slices.Contains(s.Departements, dep)) &&
		(len(s.Structures) == 0 || slices.Contains(s.Structures, structureID))
}

// Reader reads a source. Read emits every record, structures before the
// services that name them, and returns the scope it covered; an error means
// the source could not be read to the end (truncated, unreachable,
// undecodable), and the run then unpublishes nothing.
type Reader interface {
	Feed() Feed
	// Describe says what is read, for the history: "dossier /data/di".
	Describe() string
	Read(ctx context.Context, emit func(*Item) error) (Scope, error)
}

// Counter is implemented by readers that know beforehand how many records
// they hold, for the progress bar.
type Counter interface {
	Count(ctx context.Context) (int, error)
}
