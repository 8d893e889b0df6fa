package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"go.mongodb.org/mongo-driver/bson"

	"github.com/repere-spie/repere/internal/directory"
)

// The geography is written as a new generation of collections
// (geo_<kind>_<n>) and becomes current only when the meta document points at
// it: without transactions this is what keeps the previous geography intact
// if an import fails or is interrupted.
const geoMetaID = "geography"

// GeographyInfo describes the current geography.
type GeographyInfo struct {
	Generation int       `bson:"generation"`
	Hash       string    `bson:"hash"` // of the source, to skip identical re-imports
	Communes   int       `bson:"communes"`
	ImportedAt time.Time `bson:"imported_at"`
}

type communeDoc struct {
	Code        string     `bson:"_id"`
	Name        string     `bson:"nom"`
	PostalCodes []string   `bson:"codes_postaux"`
	SIREN       string     `bson:"siren,omitempty"`
	EPCI        string     `bson:"epci,omitempty"`
	Departement string     `bson:"departement"`
	Region      string     `bson:"region"`
	Population  int        `bson:"population"`
	Center      *orb.Point `bson:"centre,omitempty"`
	Contour     []byte     `bson:"contour,omitempty"` // WKB: compact and fast to decode
}

type epciDoc struct {
	Code         string   `bson:"_id"`
	Name         string   `bson:"nom"`
	Departements []string `bson:"departements"`
	Regions      []string `bson:"regions"`
	Population   int      `bson:"population"`
}

type departementDoc struct {
	Code   string `bson:"_id"`
	Name   string `bson:"nom"`
	Region string `bson:"region"`
}

type formerDoc struct {
	Code    string `bson:"_id"`
	Name    string `bson:"nom"`
	Commune string `bson:"commune"`
}

type regionDoc struct {
	Code string `bson:"_id"`
	Name string `bson:"nom"`
}

func geoColl(kind string, gen int) string { return "geo_" + kind + "_" + strconv.Itoa(gen) }

// Geography returns the current geography's description, or ENOTFOUND when
// none was imported.
func (s *Store) Geography(ctx context.Context) (*GeographyInfo, error) {
	var info GeographyInfo
	if err := s.getByID(ctx, collMeta, geoMetaID, &info); err != nil {
		return nil, err
	}
	return &info, nil
}

// SaveGeography writes g as the new current geography. progress, when not nil,
// is called after each batch with the kind and the number of records written.
func (s *Store) SaveGeography(ctx context.Context, g *directory.Geography, hash string, progress func(kind string, done, total int)) error {
	prev, err := s.Geography(ctx)
	if err != nil && directory.ErrorCode(err) != directory.ENOTFOUND {
		return err
	}
	gen := 1
	if prev != nil {
		gen = prev.Generation + 1
	}
	// A previous failed attempt may have left this generation half-written.
	if err := s.dropGeneration(ctx, gen); err != nil {
		return err
	}
	if progress == nil {
		progress = func(string, int, int) {}
	}
	regions := make([]any, len(g.Regions))
	for i, r := range g.Regions {
		regions[i] = regionDoc{r.Code, r.Name}
	}
	deps := make([]any, len(g.Departements))
	for i, d := range g.Departements {
		deps[i] = departementDoc{d.Code, d.Name, d.Region}
	}
	epcis := make([]any, len(g.EPCIs))
	for i, e := range g.EPCIs {
		epcis[i] = epciDoc{e.Code, e.Name, e.Departements, e.Regions, e.Population}
	}
	former := make([]any, len(g.Former))
	for i, f := range g.Former {
		former[i] = formerDoc{f.Code, f.Name, f.Commune}
	}
	communes := make([]any, len(g.Communes))
	for i := range g.Communes {
		c := &g.Communes[i]
		d := communeDoc{Code: c.Code, Name: c.Name, PostalCodes: c.PostalCodes, SIREN: c.SIREN, EPCI: c.EPCI,
			Departement: c.Departement, Region: c.Region, Population: c.Population, Center: c.Center}
		if c.Contour != nil {
			if d.Contour, err = wkb.Marshal(c.Contour); err != nil {
				return fmt.Errorf("store: encode contour of %s: %w", c.Code, err)
			}
		}
		communes[i] = d
	}
	for _, part := range []struct {
		kind string
		docs []any
	}{{"regions", regions}, {"departements", deps}, {"epcis", epcis}, {"communes", communes}, {"former", former}} {
		coll := s.db.Collection(geoColl(part.kind, gen))
		const batch = 1000
		for i := 0; i < len(part.docs); i += batch {
			j := min(i+batch, len(part.docs))
			if _, err := coll.InsertMany(ctx, part.docs[i:j]); err != nil {
				return fmt.Errorf("store: write %s: %w", part.kind, err)
			}
			progress(part.kind, j, len(part.docs))
		}
	}
	info := GeographyInfo{Generation: gen, Hash: hash, Communes: len(g.Communes), ImportedAt: s.now().UTC()}
	doc := bson.M{"_id": geoMetaID, "generation": info.Generation, "hash": info.Hash, "communes": info.Communes, "imported_at": info.ImportedAt}
	if _, err := s.db.Collection(collMeta).ReplaceOne(ctx, bson.D{{Key: "_id", Value: geoMetaID}}, doc, upsert()); err != nil {
		return fmt.Errorf("store: switch geography: %w", err)
	}
	if prev != nil {
		// Best effort: an old generation left behind is only wasted space.
		_ = s.dropGeneration(ctx, prev.Generation)
	}
	return nil
}

func (s *Store) dropGeneration(ctx context.Context, gen int) error {
	for _, kind := range []string{"regions", "departements", "epcis", "communes", "former"} {
		if err := s.db.Collection(geoColl(kind, gen)).Drop(ctx); err != nil {
			return fmt.Errorf("store: drop old geography: %w", err)
		}
	}
	return nil
}

// LoadGeography reads the current geography whole (at start-up), or returns
// ENOTFOUND when none was imported.
func (s *Store) LoadGeography(ctx context.Context) (*directory.Geography, *GeographyInfo, error) {
	info, err := s.Geography(ctx)
	if err != nil {
		return nil, nil, err
	}
	g := &directory.Geography{}
	var regions []regionDoc
	var deps []departementDoc
	var epcis []epciDoc
	if err := s.all(ctx, geoColl("regions", info.Generation), &regions); err != nil {
		return nil, nil, err
	}
	if err := s.all(ctx, geoColl("departements", info.Generation), &deps); err != nil {
		return nil, nil, err
	}
	if err := s.all(ctx, geoColl("epcis", info.Generation), &epcis); err != nil {
		return nil, nil, err
	}
	var former []formerDoc // none in generations imported before they were
	if err := s.all(ctx, geoColl("former", info.Generation), &former); err != nil {
		return nil, nil, err
	}
	for _, f := range former {
		g.Former = append(g.Former, directory.FormerCommune{Code: f.Code, Name: f.Name, Commune: f.Commune})
	}
	for _, r := range regions {
		g.Regions = append(g.Regions, directory.Region{Code: r.Code, Name: r.Name})
	}
	for _, d := range deps {
		g.Departements = append(g.Departements, directory.Departement{Code: d.Code, Name: d.Name, Region: d.Region})
	}
	for _, e := range epcis {
		g.EPCIs = append(g.EPCIs, directory.EPCI{Code: e.Code, Name: e.Name, Departements: e.Departements, Regions: e.Regions, Population: e.Population})
	}
	cur, err := s.db.Collection(geoColl("communes", info.Generation)).Find(ctx, bson.D{})
	if err != nil {
		return nil, nil, fmt.Errorf("store: read communes: %w", err)
	}
	defer cur.Close(ctx)
	g.Communes = make([]directory.Commune, 0, info.Communes)
	for cur.Next(ctx) {
		var d communeDoc
		if err := cur.Decode(&d); err != nil {
			return nil, nil, fmt.Errorf("store: decode commune: %w", err)
		}
		c := directory.Commune{Code: d.Code, Name: d.Name, PostalCodes: d.PostalCodes, SIREN: d.SIREN, EPCI: d.EPCI,
			Departement: d.Departement, Region: d.Region, Population: d.Population, Center: d.Center}
		if len(d.Contour) > 0 {
			if c.Contour, err = wkb.Unmarshal(d.Contour); err != nil {
				return nil, nil, fmt.Errorf("store: decode contour of %s: %w", d.Code, err)
			}
		}
		g.Communes = append(g.Communes, c)
	}
	if err := cur.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: read communes: %w", err)
	}
	if len(g.Communes) != info.Communes {
		return nil, nil, errors.New("store: the stored geography is incomplete; import it again")
	}
	return g, info, nil
}

func (s *Store) all(ctx context.Context, coll string, out any) error {
	cur, err := s.db.Collection(coll).Find(ctx, bson.D{})
	if err == nil {
		err = cur.All(ctx, out)
	}
	if err != nil {
		return fmt.Errorf("store: read %s: %w", coll, err)
	}
	return nil
}
