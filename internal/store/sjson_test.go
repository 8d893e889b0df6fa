package store

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
	"github.com/repere-spie/repere/seed"
)

// The embedded store's fast scan decodes FerretDB's storage format itself:
// it must give exactly what the driver gives for the same documents.
func TestEmbeddedScanMatchesTheDriver(t *testing.T) {
	s := openTest(t)
	if !s.Embedded() {
		t.Skip("the SQLite scan only exists on the embedded store")
	}
	ctx := context.Background()
	g, err := geo.Load(ctx, geo.Dir(sharedGeodata(t)))
	if err != nil {
		t.Fatal(err)
	}
	var svcs []*directory.Service
	err = seed.Generate(g, seed.Options{Seed: 3, Services: 600, Now: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)},
		func(_ *directory.Structure, ss []*directory.Service) error { svcs = append(svcs, ss...); return nil })
	if err != nil {
		t.Fatal(err)
	}
	// Odd values on top of the demo data: empty and nil lists, zero numbers,
	// every optional pointer set.
	weeks, hours := 0, 0.0
	odd := &directory.Service{ID: "odd", Name: "Guillemets \" et \\ barres, accents éàü, emoji 🚲, \u2028",
		Publics: []string{}, WeeksCount: &weeks, WeeklyHours: &hours, SuspendedUntil: ptrTime(time.Unix(1e9, 0)),
		EligibilityZone: []directory.Zone{directory.France}, Provenance: directory.Provenance{Kind: "saisie"}}
	svcs = append(svcs, odd)
	if err := s.InsertServices(ctx, svcs); err != nil {
		t.Fatal(err)
	}

	viaDriver := map[string]*directory.Service{}
	cur, err := s.db.Collection(collServices).Find(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	for cur.Next(ctx) {
		var svc directory.Service
		if err := cur.Decode(&svc); err != nil {
			t.Fatal(err)
		}
		viaDriver[svc.ID] = &svc
	}
	// Reading a few keys only gives the same values, absent keys left
	// out (the odd service has no commune code).
	type lean struct {
		ID          string               `bson:"_id"`
		Name        string               `bson:"nom"`
		Thematiques []string             `bson:"thematiques"`
		CodeInsee   string               `bson:"code_insee"`
		Status      directory.Status     `bson:"statut"`
		WeeksCount  *int                 `bson:"nombre_semaines"`
		Zones       []directory.Zone     `bson:"zone_eligibilite"`
		Provenance  directory.Provenance `bson:"provenance"`
	}
	leans := 0
	err = EachServiceInto(ctx, s, func(l *lean) error {
		leans++
		w := viaDriver[l.ID]
		want := lean{w.ID, w.Name, w.Thematiques, w.CodeInsee, w.Status, w.WeeksCount, w.EligibilityZone, w.Provenance}
		if !reflect.DeepEqual(*l, want) {
			t.Errorf("service %s read by keys differs:\n scan   %+v\n driver %+v", l.ID, *l, want)
		}
		return nil
	})
	if err != nil || leans != len(svcs) {
		t.Fatalf("read by keys: %d services, %v", leans, err)
	}
	n := 0
	err = s.EachService(ctx, func(svc *directory.Service) error {
		n++
		want := viaDriver[svc.ID]
		if !reflect.DeepEqual(svc, want) {
			t.Errorf("service %s differs:\n scan   %+v\n driver %+v", svc.ID, svc, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(svcs) || len(viaDriver) != len(svcs) {
		t.Fatalf("scan saw %d services, the driver %d, inserted %d", n, len(viaDriver), len(svcs))
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

// The hand-written JSON walk reads strings as encoding/json does, escapes,
// surrogate pairs and invalid bytes included.
func FuzzUnquote(f *testing.F) {
	for _, s := range []string{`""`, `"abc"`, `"é\u00e9\n\t\"\\\/"`, `"\ud83d\udeb2"`, `"\ud83d"`, `"\udeb2x"`, "\"\xff\xfe\"", `"\u2028"`, `"a\"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
			return // the walk hands over values without surrounding spaces
		}
		var want string
		wantErr := json.Unmarshal(raw, &want)
		got, err := unquote(raw)
		if wantErr != nil {
			if err == nil && json.Valid(raw) {
				t.Fatalf("%q: no error, encoding/json says %v", raw, wantErr)
			}
			return
		}
		if err != nil || got != want {
			t.Fatalf("%q: got %q (%v), want %q", raw, got, err, want)
		}
	})
}

// A document whose values come out of key order, or with spaces, still
// decodes; a damaged one is an error, not a panic.
func TestSjsonWalk(t *testing.T) {
	doc := []byte(` { "a" : [ 1 , 2 ] , "$s" : {"p":{"b":{"t":"string"},"a":{"t":"array","i":[{"t":"int"},{"t":"long"}]},"o":{"t":"object","$s":{"p":{},"$k":[]}}},"$k":["b","a","o"]}, "o":{}, "b":"x\"y" } `)
	raw, err := newDecoder().toBSON(doc, false)
	if err != nil {
		t.Fatal(err)
	}
	var got bson.D
	if err := bson.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	want := bson.D{{Key: "b", Value: `x"y`}, {Key: "a", Value: bson.A{int32(1), int64(2)}}, {Key: "o", Value: bson.D{}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v, want %#v", got, want)
	}
	for i := range doc {
		if _, err := newDecoder().toBSON(doc[:i], false); err == nil && i < len(bytes.TrimSpace(doc)) {
			t.Fatalf("truncated at %d: no error", i)
		}
	}
}
