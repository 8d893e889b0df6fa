package store

import (
	"context"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/bson"
)

// collDemand holds the demand: counts of searches and of those that found
// nothing, per day and cell, one document per instance, day and cell. An instance only ever writes its own documents, so that FerretDB's
// read-modify-write updates never race between instances; readers sum them.
const collDemand = "demand"

// DemandCell is what a count is about: a day (Paris, "2026-12-03"), the
// commune searched (INSEE code, "" for all of France), a thématique (besoin
// or category, "" for none) and the searched words, normalised ("" for
// none).
type DemandCell struct {
	Day        string `bson:"day"`
	Commune    string `bson:"commune"`
	Thematique string `bson:"thematique"`
	Words      string `bson:"words"`
}

// DemandCount is a cell and its counts: Count the searches that found
// nothing, Searches all the searches. Searches are counted in the cells
// without words only (the words of a search that found something are not
// kept), so that summing over the words gives both totals.
type DemandCount struct {
	DemandCell `bson:",inline"`
	Count      int `bson:"count"`
	Searches   int `bson:"searches"`
}

// demandID is the _id of an instance's document for a cell.
func demandID(instance string, c DemandCell) string {
	return strings.Join([]string{c.Day, instance, c.Commune, c.Thematique, c.Words}, "|")
}

// AddDemand adds counts to the documents of instance, in order, and returns
// how many it added: on an error, the ones before it are in.
func (s *Store) AddDemand(ctx context.Context, instance string, counts []DemandCount) (int, error) {
	if len(counts) == 0 {
		return 0, nil
	}
	// Created on first use, like the history: no migration step needed.
	if err := s.ensureCollection(ctx, collDemand); err != nil {
		return 0, err
	}
	for i, c := range counts {
		err := s.updateByID(ctx, collDemand, demandID(instance, c.DemandCell), bson.D{
			{Key: "$inc", Value: bson.D{{Key: "count", Value: c.Count}, {Key: "searches", Value: c.Searches}}},
			{Key: "$setOnInsert", Value: bson.D{
				{Key: "day", Value: c.Day}, {Key: "commune", Value: c.Commune},
				{Key: "thematique", Value: c.Thematique}, {Key: "words", Value: c.Words},
				{Key: "instance", Value: instance},
			}},
		}, true)
		if err != nil {
			return i, err
		}
	}
	return len(counts), nil
}

// Demand returns the counts of the days from fromDay to toDay included,
// summed over the instances, one per cell. It reads the whole collection
// on the embedded store: reports are rare, searches never read it.
func (s *Store) Demand(ctx context.Context, fromDay, toDay string) ([]DemandCount, error) {
	cur, err := s.db.Collection(collDemand).Find(ctx, bson.D{{Key: "day", Value: bson.D{{Key: "$gte", Value: fromDay}, {Key: "$lte", Value: toDay}}}})
	if err != nil {
		return nil, fmt.Errorf("store: read demand: %w", err)
	}
	var docs []DemandCount
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("store: read demand: %w", err)
	}
	at := map[DemandCell]int{}
	var out []DemandCount
	for _, d := range docs {
		i, ok := at[d.DemandCell]
		if !ok {
			i = len(out)
			at[d.DemandCell] = i
			out = append(out, DemandCount{DemandCell: d.DemandCell})
		}
		out[i].Count += d.Count
		out[i].Searches += d.Searches
	}
	return out, nil
}

// DemandDocuments returns the stored documents as they are, for audits of
// what the counters keep.
func (s *Store) DemandDocuments(ctx context.Context) ([]bson.M, error) {
	cur, err := s.db.Collection(collDemand).Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("store: read demand: %w", err)
	}
	var docs []bson.M
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("store: read demand: %w", err)
	}
	return docs, nil
}
