package datainclusion

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

func TestListShapes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`["a", " b ", null, ""]`, "a|b"},
		{`"[\"famille--garde-denfants\",\"sante--acces-aux-soins\"]"`, "famille--garde-denfants|sante--acces-aux-soins"},
		{`"{en-presentiel,a-distance}"`, "en-presentiel|a-distance"},
		{`"gratuit; payant"`, "gratuit|payant"},
		{`"{}"`, ""},
		{`null`, ""},
	} {
		var l List
		if err := json.Unmarshal([]byte(tc.in), &l); err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if got := strings.Join(l, "|"); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.in, got, tc.want)
		}
	}
	var l List
	if err := json.Unmarshal([]byte(`42`), &l); err == nil {
		t.Error("a number is no list")
	}
}

func TestNumberShapes(t *testing.T) {
	var r struct{ A, B, C, D *Number }
	if err := json.Unmarshal([]byte(`{"A": 3.5, "B": "55,446522", "C": null, "D": " 1 234,5 "}`), &r); err != nil {
		t.Fatal(err)
	}
	if *r.A != 3.5 || *r.B != 55.446522 || r.C != nil || *r.D != 1234.5 {
		t.Errorf("got %v %v %v %v", *r.A, *r.B, r.C, *r.D)
	}
	if err := json.Unmarshal([]byte(`{"A": "nord"}`), &r); err == nil {
		t.Error("text is no number")
	}
}

func TestServiceRoundTrip(t *testing.T) {
	lon, lat, weeks, hours := 0.34, 46.58, 4, 12.5
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, directory.Paris)
	s := &directory.Service{
		ID: "svc1", StructureID: "st1", Source: "dora", Name: "Atelier CV", Description: "Rédiger son CV.",
		SourceLink: "https://exemple.fr/s", Type: "atelier", Thematiques: []string{"preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"},
		Fees: "gratuit", FeesDetails: "Aucun", Publics: []string{"jeunes"}, PublicsDetails: "16-25 ans", AccessConditions: "Inscription",
		CommuneName: "Poitiers", PostalCode: "86000", CodeInsee: "86194", Address: "1 rue Carnot", AddressComplement: "2e étage",
		Longitude: &lon, Latitude: &lat, Phone: "+33549000000", Email: "a@exemple.fr", ContactName: "Anne",
		ReceptionModes: []string{"en-presentiel"}, MobilisationLink: "https://exemple.fr/m", MobilisationModes: []string{"telephoner"},
		MobilisableBy: []string{"usagers"}, MobilisationDetails: "Appeler", OpeningHours: "Mo-Fr 09:00-12:00", WeeksCount: &weeks, WeeklyHours: &hours,
		EligibilityZone: []directory.Zone{{Kind: directory.ZoneCommune, Code: "86194"}, {Kind: directory.ZoneEPCI, Code: "200069854"}, {Kind: directory.ZoneDepartement, Code: "86"}, directory.France},
		UpdatedAt:       now,
	}
	var buf bytes.Buffer
	w := NewWriter(&buf)
	if err := w.Write(FromService(s, nil)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var back []Service
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	got, warn := ToService(&back[0])
	if len(warn) != 0 {
		t.Errorf("warnings %v", warn)
	}
	if got.Provenance.ExternalID != "svc1" {
		t.Errorf("external id %q", got.Provenance.ExternalID)
	}
	got.ID, got.Provenance = s.ID, s.Provenance
	if !got.UpdatedAt.Equal(now) {
		t.Errorf("date %v", got.UpdatedAt)
	}
	got.UpdatedAt = s.UpdatedAt
	if !reflect.DeepEqual(got, s) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, s)
	}
}

func TestToServiceDropsUnknownValues(t *testing.T) {
	th, bad := "Famille--Garde-Denfants", "famille--inconnu"
	r := &Service{Nom: "Crèche", Thematiques: List{th, bad, "famille--garde-denfants"}, Frais: &bad,
		ZoneEligibilite: List{"59512", "59", "200093201", "france", "XX1"}, DateMaj: "2025-02-14"}
	s, w := ToService(r)
	if !slices.Equal(s.Thematiques, []string{"famille--garde-denfants"}) || s.Fees != "" {
		t.Errorf("terms %v %q", s.Thematiques, s.Fees)
	}
	want := []directory.Zone{{Kind: directory.ZoneCommune, Code: "59512"}, {Kind: directory.ZoneDepartement, Code: "59"},
		{Kind: directory.ZoneEPCI, Code: "200093201"}, directory.France}
	if !reflect.DeepEqual(s.EligibilityZone, want) {
		t.Errorf("zones %v", s.EligibilityZone)
	}
	if len(w) != 3 {
		t.Errorf("warnings %v", w)
	}
}
