package ui

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
)

func TestFormat(t *testing.T) {
	now := time.Date(2026, 3, 10, 10, 0, 0, 0, directory.Paris)
	for _, c := range []struct{ got, want string }{
		{directory.FrenchDate(time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)), "2 mars 2026"}, // Paris is an hour ahead
		{directory.FrenchDate(time.Date(2026, 1, 1, 12, 0, 0, 0, directory.Paris)), "1er janvier 2026"},
		{ago(now, now.Add(-time.Hour)), "aujourd’hui"},
		{ago(now, now.AddDate(0, 0, -1)), "hier"},
		{ago(now, now.AddDate(0, 0, -12)), "il y a 12 jours"},
		{ago(now, now.AddDate(0, -1, -5)), "il y a un mois"},
		{ago(now, now.AddDate(0, -7, 0)), "il y a 7 mois"},
		{ago(now, now.AddDate(-1, -1, 0)), "il y a plus d’un an"},
		{ago(now, now.AddDate(-3, 0, 0)), "il y a 3 ans"},
		{distance(40), "à moins de 100 m"},
		{distance(347), "à 350 m"},
		{distance(1240), "à 1,2 km"},
		{distance(12_600), "à 13 km"},
		{phone("+33549112233"), "05 49 11 22 33"},
		{phone("+262262123456"), "+262262123456"},
		{siret("12345678900012"), "123 456 789 00012"},
		{number(34969), "34\u202f969"},
		{number(1234567), "1\u202f234\u202f567"},
		{plural(0, "service", "services"), "0 service"},
		{plural(2, "service", "services"), "2 services"},
		{clock(9 * 60), "9 h"},
		{clock(17*60 + 30), "17 h 30"},
		{ref("abc", "Crèche « Les Petits Loups » !"), "abc-creche-les-petits-loups"},
		{ref("abc", ""), "abc"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	long := slug(strings.Repeat("Accompagnement global ", 10))
	if len(long) > maxSlug || strings.HasSuffix(long, "-") {
		t.Errorf("long slug %q", long)
	}
}

// The structure form's command holds the form's fields only, whatever is
// posted beside them.
func TestStructureCommandReadsOnlyItsFields(t *testing.T) {
	posted := url.Values{"nom": {" Garage solidaire "}, "code_insee": {"86194"}}
	for _, k := range []string{"statut", "Statut", "version", "Version", "_id", "id", "structure_id", "StructureID", "role",
		"moderation", "Moderation", "source", "provenance", "members", "platform_admin", "parent_id", "departement", "cree_le"} {
		posted.Set(k, "pirate")
	}
	want := account.StructureForm{Name: "Garage solidaire", CodeInsee: "86194"}
	if got := structureCommand(posted); !reflect.DeepEqual(got, want) {
		t.Errorf("structureCommand = %+v, want %+v", got, want)
	}
}
