package openinghours

import (
	"errors"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"Mo-Fr 08:30-12:00,13:30-17:00; PH off",
		"Mo,We,Fr 09:00-12:00",
		"24/7",
		"24/7; PH off",
		"off",
		"Mo-Su 22:00-02:00; Tu off",
		"Fr 22:00-26:00",
		"Jan-Jun Mo-Fr 09:00-12:00; Jul-Dec Mo-Fr 10:00-16:00",
		"Mo-Fr 09:00-17:00; Dec 24-Dec 26 off",
		"Dec 20-Jan 05 off",
		"Mo-Fr 08:00-12:00, We 14:00-18:00",
		"Mo-Fr 09:00-18:00; We 12:00-14:00 off",
		`Mo "x", Tu 10:00-12:00`,
		`Mo-Fr 09:00-12:00 "sur rendez-vous"`,
		"Mo open, Tu 10:00-12:00",
		"Sa,PH 09:00-12:00",
		"Mo 10:00-10:00",
		"Mo-Fr 9h-12h",
		"Mo-Fr 09:00–12:00",
		"",
	} {
		f.Add(s)
	}
	at := time.Date(2025, 10, 26, 1, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, in string) {
		s, err := Parse(in)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T, want *ParseError", in, err)
			}
			if pe.Pos < 1 || pe.Pos > utf8.RuneCountInString(in)+1 {
				t.Fatalf("Parse(%q): position %d out of range", in, pe.Pos)
			}
			return
		}
		out := s.String()
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", in, out, err)
		}
		if !reflect.DeepEqual(s, again) {
			t.Fatalf("Parse(%q).String() = %q parses to another schedule:\n%+v\n%+v", in, out, s.rules, again.rules)
		}
		if again.String() != out {
			t.Fatalf("String is not stable: %q then %q", out, again.String())
		}
		s.IsOpen(at)
		s.Describe(at)
		s.Week()
	})
}
