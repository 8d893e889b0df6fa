package ui

import (
	"testing"

	"github.com/repere-spie/repere/internal/directory"
)

// TestRemotePlace: a remote card names at most two territories of its zone
// and counts the others.
func TestRemotePlace(t *testing.T) {
	name := map[directory.Zone]string{
		directory.France: "Toute la France",
		{Kind: directory.ZoneDepartement, Code: "86"}: "Département : Vienne (86)",
		{Kind: directory.ZoneDepartement, Code: "79"}: "Département : Deux-Sèvres (79)",
		{Kind: directory.ZoneRegion, Code: "94"}:      "Région Corse",
		{Kind: directory.ZoneCommune, Code: "86194"}:  "Poitiers (86)",
	}
	zoneName := func(z directory.Zone) string { return name[z] }
	z := func(kind directory.ZoneKind, code string) directory.Zone {
		return directory.Zone{Kind: kind, Code: code}
	}
	for _, c := range []struct {
		zones []directory.Zone
		want  string
	}{
		{nil, "À distance"},
		{[]directory.Zone{z(directory.ZoneRegion, "94")}, "À distance · Région Corse"},
		{[]directory.Zone{z(directory.ZoneDepartement, "86"), z(directory.ZoneDepartement, "79")}, "À distance · Département : Vienne (86), Département : Deux-Sèvres (79)"},
		{[]directory.Zone{z(directory.ZoneCommune, "86194"), z(directory.ZoneDepartement, "79"), directory.France}, "À distance · Poitiers (86), Département : Deux-Sèvres (79) et 1 autre zone"},
		{[]directory.Zone{z(directory.ZoneCommune, "86194"), z(directory.ZoneDepartement, "79"), directory.France, z(directory.ZoneRegion, "94")}, "À distance · Poitiers (86), Département : Deux-Sèvres (79) et 2 autres zones"},
	} {
		if got := remotePlace(c.zones, zoneName); got != c.want {
			t.Errorf("%v: %q, want %q", c.zones, got, c.want)
		}
	}
}
