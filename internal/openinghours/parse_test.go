package openinghours

import (
	"errors"
	"strings"
	"testing"
)

func TestParseCanonical(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Mo-Fr 08:30-12:00,13:30-17:00", "Mo-Fr 08:30-12:00,13:30-17:00"},
		{"Mo-Fr 08:30-12:30; PH off", "Mo-Fr 08:30-12:30; PH off"},
		{"mo-fr 8:30-12:00 ; sa 09:00-12:00", "Mo-Fr 08:30-12:00; Sa 09:00-12:00"},
		{"Mo,We,Fr 09:00-12:00", "Mo,We,Fr 09:00-12:00"},
		{"Mo,Tu,We 09:00-12:00", "Mo-We 09:00-12:00"},
		{"Sa-Mo 10:00-12:00", "Mo,Sa-Su 10:00-12:00"},
		{"Mo-Fr 13:30-17:00,08:30-12:00", "Mo-Fr 08:30-12:00,13:30-17:00"},
		{"Mo 08:00-12:00,10:00-14:00,14:00-15:00", "Mo 08:00-15:00"},
		{"24/7", "24/7"},
		{"24/7; PH off", "24/7; PH off"},
		{"off", "off"},
		{"closed", "off"},
		{"Mo-Fr 09:00-17:00; We closed", "Mo-Fr 09:00-17:00; We off"},
		{"Mo-Su 22:00-02:00", "Mo-Su 22:00-02:00"},
		{"Fr 22:00-26:00", "Fr 22:00-02:00"},
		{"Mo 00:00-24:00", "Mo 00:00-24:00"},
		{"Mo 10:00-10:00", "Mo 10:00-34:00"},
		{"Jan-Jun Mo-Fr 09:00-12:00", "Jan-Jun Mo-Fr 09:00-12:00"},
		{"Dec 24-Dec 26 off", "Dec 24-26 off"},
		{"Dec 25 off", "Dec 25 off"},
		{"Dec 5 off", "Dec 05 off"},
		{"Dec 20-Jan 05 off", "Dec 20-Jan 05 off"},
		{"Jul,Aug Mo-Fr 10:00-12:00", "Jul,Aug Mo-Fr 10:00-12:00"},
		{"Aug off", "Aug off"},
		{"Feb 29 off", "Feb 29 off"},
		{"Sa,PH 09:00-12:00", "Sa,PH 09:00-12:00"},
		{"PH,Su off", "Su,PH off"},
		{"08:00-18:00", "08:00-18:00"},
		{"Mo-Fr 08:00-12:00, We 14:00-18:00", "Mo-Fr 08:00-12:00, We 14:00-18:00"},
		{"Mo-Fr 08:00-12:00,14:00-18:00", "Mo-Fr 08:00-12:00,14:00-18:00"},
		{"Mo-Fr 08:00-12:00, 14:00-18:00", "Mo-Fr 08:00-12:00,14:00-18:00"},
		{`Mo-Fr 09:00-12:00 "sur rendez-vous"`, `Mo-Fr 09:00-12:00 "sur rendez-vous"`},
		{`Mo "x", Tu 10:00-12:00`, `Mo "x", Tu 10:00-12:00`},
		{"Mo open, Tu 10:00-12:00", "Mo open, Tu 10:00-12:00"},
		{"Mo-Fr 09:00–12:00", "Mo-Fr 09:00-12:00"},
		{"Mo-Fr 09:00-12:00;", "Mo-Fr 09:00-12:00"},
		{"Mo-Fr 09:00-12:00 open", "Mo-Fr 09:00-12:00"},
		{"open", "open"},
	}
	for _, tt := range tests {
		s, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := s.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in   string
		pos  int
		near string
		hint string // part of the message
	}{
		{"", 1, "", "aucun horaire"},
		{"   ", 4, "", "aucun horaire"},
		{"Mo-Fr 9h-12h", 7, "9h-12h", "09:00"},
		{"Mo-Fr 0900-1200", 7, "0900-1200", "09:00"},
		{"Mo-Fr 09:00", 12, "", "plage"},
		{"Mo-Fr 09:00-", 13, "", ""},
		{"Mo-Fr 09:60-12:00", 7, "09:60-12:00", "n’existe pas"},
		{"Mo-Fr 25:00-26:00", 7, "25:00-26:00", "23:59"},
		{"Mo-Fr 09:00-49:00", 13, "49:00", "n’existe pas"},
		{"Lu-Ve 09:00-12:00", 1, "Lu-Ve 09:00-12:…", "Mo, Tu"},
		{"SH off", 1, "SH off", "vacances scolaires"},
		{"Mo-Fr sunrise-sunset", 7, "sunrise-sunset", "soleil"},
		{`Mo-Fr 09:00-12:00 || "sur rendez-vous"`, 19, `|| "sur rendez-…`, "repli"},
		{`Mo-Fr 09:00-12:00 "sur rendez-vous`, 19, `"sur rendez-vou…`, "guillemet"},
		{`"sur rendez-vous"`, 1, `"sur rendez-vou…`, "commentaire"},
		{"Feb 30 off", 5, "30 off", "30 février"},
		{"Dec 24-Jan off", 12, "off", "jour de fin"},
		{"Mo-Fr 09:00-12:00;; Sa off", 19, "; Sa off", ""},
		{"Mo-Fr 09:00-12:00,", 19, "", ""},
		{"Mo[1] 09:00-12:00", 3, "[1] 09:00-12:00", ""},
		{"Mo-Fr 09:00-12:00 Sa 09:00-12:00", 19, "Sa 09:00-12:00", "séparez les règles par « ; »"},
		{"Mo-Fr 10:00+", 12, "+", ""},
		{"2025 Dec 25 off", 1, "2025 Dec 25 off", "09:00"},
		{"Lundi–vendredi : 9 h", 1, "Lundi–vendredi…", "Mo, Tu"},
		{"Mo-Fr 09:00-12:00 été", 19, "été", ""},
	}
	for _, tt := range tests {
		_, err := Parse(tt.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q) = %v, want a *ParseError", tt.in, err)
			continue
		}
		if pe.Pos != tt.pos || pe.Near != tt.near {
			t.Errorf("Parse(%q): position %d near %q, want %d near %q", tt.in, pe.Pos, pe.Near, tt.pos, tt.near)
		}
		if !strings.Contains(err.Error(), tt.hint) {
			t.Errorf("Parse(%q): %q does not say %q", tt.in, err, tt.hint)
		}
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := Parse("Mo-Fr 08:30-12:00; Sa 9h")
	want := "Horaires non reconnus près de « 9h » (position 23) : écrivez les heures sous la forme 09:00-12:00."
	if err == nil || err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}
