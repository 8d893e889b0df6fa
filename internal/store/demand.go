package store

import (
	"context"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/bson"
)

// collDemand holds the demand the offer did not meet: counts of searches
// that found nothing, per day and cell, one document per instance, day and
// cell. An instance only ever writes its own documents, so that FerretDB's
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

// DemandCount is a cell and its count.
type DemandCount struct {
	DemandCell `bson:",inline"`
	Count      int `bson:"count"`
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
			{Key: "$inc", Value: bson.D{{Key: "count", Value: c.Count}}},
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
	sums := map[DemandCell]int{}
	var cells []DemandCell
	for _, d := range docs {
		if _, ok := sums[d.DemandCell]; !ok {
			cells = append(cells, d.DemandCell)
		}
		sums[d.DemandCell] += d.Count
	}
	out := make([]DemandCount, len(cells))
	for i, c := range cells {
		out[i] = DemandCount{c, sums[c]}
	}
	return out, nil
}
