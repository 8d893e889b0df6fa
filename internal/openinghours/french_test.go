package openinghours

import (
	"fmt"
	"testing"
)

func TestFromFrench(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"lundi au vendredi 9h-12h", "Mo-Fr 09:00-12:00"},
		{"du lundi au vendredi de 9h à 12h et de 14h à 17h, samedi 9h-12h", "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"},
		{"Lun-Ven 9h-17h30", "Mo-Fr 09:00-17:30"},
		{"tous les jours 8h30 - 19h", "Mo-Su 08:30-19:00"},
		{"du lundi au vendredi 9h-17h, fermé le mercredi", "Mo-Tu,Th-Fr 09:00-17:00"},
		{"lundi, mardi et jeudi : 9 h 30 - 12 h", "Mo-Tu,Th 09:30-12:00"},
		{"Lundi au jeudi 9h-12h 14h-17h ; vendredi 9h-12h ; fermé les jours fériés", "Mo-Th 09:00-12:00,14:00-17:00; Fr 09:00-12:00; PH off"},
		{"en semaine de 8h à midi, sur rendez-vous", `Mo-Fr 08:00-12:00 "sur rendez-vous"`},
		{"mardi 14:00-18:00", "Tu 14:00-18:00"},
		{"samedi et dimanche 22h-2h", "Sa-Su 22:00-02:00"},
	} {
		got, ok := FromFrench(c.in)
		if !ok || got != c.want {
			t.Errorf("FromFrench(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
	for _, bad := range []string{"", "9h-12h", "le matin", "lundi 9h", "lundi 25h-26h", "Mo-Fr 09:00-12:00", "parfois le lundi"} {
		if got, ok := FromFrench(bad); ok {
			t.Errorf("FromFrench(%q) = %q, want not understood", bad, got)
		}
	}
}

func TestDayHours(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
	}{
		{"9h-12h, 14h-17h30", "09:00-12:00, 14:00-17:30"},
		{"09:00-12:00 14:00-17:00", "09:00-12:00, 14:00-17:00"},
		{"fermé", ""},
		{"", ""},
		{"8h à 12h et 13h30 à 16h", "08:00-12:00, 13:30-16:00"},
	} {
		ivs, ok := DayHours(c.in)
		if got := FormatDay(ivs); !ok || got != c.want {
			t.Errorf("DayHours(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
	for _, bad := range []string{"9h", "lundi 9h-12h", "de 9 à", "tôt"} {
		if _, ok := DayHours(bad); ok {
			t.Errorf("DayHours(%q) understood", bad)
		}
	}
}

func TestWeekRoundTrip(t *testing.T) {
	for _, c := range []struct {
		in, out, extra string
		appt, ph       bool
	}{
		{in: "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00", out: "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"},
		{in: "Mo-Fr 09:00-17:00; We off; PH off", out: "Mo-Tu,Th-Fr 09:00-17:00; PH off", ph: true},
		{in: `Mo,Th 09:00-12:00 "sur rendez-vous"`, out: `Mo,Th 09:00-12:00 "sur rendez-vous"`, appt: true},
		{in: "Mo-Fr 09:00-17:00; Aug off", out: "Mo-Fr 09:00-17:00; Aug off", extra: "Aug off"},
		{in: "Mo-Fr 08:00-12:00, Tu 14:00-16:00", out: "Mo,We-Fr 08:00-12:00; Tu 08:00-12:00,14:00-16:00"},
		{in: "24/7", out: "24/7", extra: "24/7"},
	} {
		w, err := SplitWeek(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if got := w.String(); got != c.out || w.Extra != c.extra || w.Appointment != c.appt || w.HolidaysOff != c.ph {
			t.Errorf("SplitWeek(%q) → %q (extra %q, rdv %v, PH %v); want %q (extra %q, rdv %v, PH %v)",
				c.in, got, w.Extra, w.Appointment, w.HolidaysOff, c.out, c.extra, c.appt, c.ph)
		}
		a, _ := Parse(c.in)
		b, err := Parse(w.String())
		if err != nil || fmt.Sprint(a.Week()) != fmt.Sprint(b.Week()) {
			t.Errorf("%s: the grid's value %q is another week", c.in, w.String())
		}
	}
}
