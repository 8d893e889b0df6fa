package openinghours

import (
	"strconv"
	"strings"
	"unicode"
)

// French phrasing, as partners type hours: "du lundi au vendredi de 9h à
// 12h et de 14h à 17h, samedi 9h-12h", "lun-ven 9h-17h30", "tous les jours
// 8h30-19h", "fermé les jours fériés", "sur rendez-vous".

type frKind int

const (
	frDay frKind = iota
	frTime
	frDash // "-", "à", "au", "jusqu'à"
	frAll  // "tous les jours"
	frWeek // "en semaine"
	frOff  // "fermé"
	frHoliday
	frAppointment
	frAnd // "et", ",", "/", ";" …
)

type frToken struct {
	kind frKind
	n    int // weekday (Monday 0) or minutes
}

var frDays = map[string]int{
	"lundi": 0, "lun": 0, "lundis": 0, "mardi": 1, "mardis": 1, "mercredi": 2, "mer": 2, "mercredis": 2,
	"jeudi": 3, "jeu": 3, "jeudis": 3, "vendredi": 4, "ven": 4, "vendredis": 4, "samedi": 5, "sam": 5, "samedis": 5,
	"dimanche": 6, "dim": 6, "dimanches": 6,
}

// frSkip are words that carry nothing for the schedule.
var frSkip = map[string]bool{"du": true, "de": true, "le": true, "les": true, "l": true, "d": true, "des": true,
	"ouvert": true, "ouverte": true, "ouverture": true, "horaires": true, "accueil": true, "matin": true, "apres": true,
	"midi": false, "soir": true, "the": false, "inclus": true, "sauf": false, "uniquement": true, "seulement": true}

var fold = strings.NewReplacer("é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "î", "i", "ï", "i",
	"ô", "o", "û", "u", "ù", "u", "ç", "c", "’", " ", "'", " ", "–", "-", "—", "-")

func frLex(s string) ([]frToken, bool) {
	s = fold.Replace(strings.ToLower(s))
	var out []frToken
	words := func(i int) (string, int) {
		j := i
		for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
			j++
		}
		return s[i:j], j
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '.' || c == ':' || c == '(' || c == ')':
			i++
		case c == '-':
			out = append(out, frToken{kind: frDash})
			i++
		case c == ',' || c == ';' || c == '/' || c == '+' || c == '&':
			out = append(out, frToken{kind: frAnd})
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			h, _ := strconv.Atoi(s[i:j])
			if j-i > 2 {
				return nil, false
			}
			k := j
			for k < len(s) && s[k] == ' ' {
				k++
			}
			m := 0
			if k < len(s) && (s[k] == 'h' || s[k] == ':') {
				k++
				if strings.HasPrefix(s[k:], "eures") {
					k += 5
				} else if strings.HasPrefix(s[k:], "eure") {
					k += 4
				}
				l := k
				for l < len(s) && s[l] == ' ' {
					l++
				}
				after := l + 2
				for after < len(s) && s[after] == ' ' {
					after++
				}
				// "9h30", "9 h 30", but not the next hour of "12h 14h".
				if l+1 < len(s) && s[l] >= '0' && s[l] <= '9' && s[l+1] >= '0' && s[l+1] <= '9' && (l+2 == len(s) || s[l+2] < '0' || s[l+2] > '9') &&
					(after == len(s) || s[after] != 'h' && s[after] != ':') {
					m, _ = strconv.Atoi(s[l : l+2])
					k = l + 2
				}
				j = k
			}
			if h > 24 || m > 59 || h == 24 && m > 0 {
				return nil, false
			}
			out = append(out, frToken{kind: frTime, n: h*60 + m})
			i = j
		case c >= 'a' && c <= 'z':
			w, j := words(i)
			i = j
			switch {
			case w == "a" || w == "au" || w == "jusqu" || w == "jusque":
				out = append(out, frToken{kind: frDash})
			case w == "et" || w == "puis" || w == "ainsi":
				out = append(out, frToken{kind: frAnd})
			case w == "midi":
				out = append(out, frToken{kind: frTime, n: 12 * 60})
			case w == "minuit":
				out = append(out, frToken{kind: frTime, n: 24 * 60})
			case w == "ferme" || w == "fermee" || w == "fermes" || w == "fermees" || w == "fermeture":
				out = append(out, frToken{kind: frOff})
			case w == "feries" || w == "ferie":
				out = append(out, frToken{kind: frHoliday})
			case w == "jours" || w == "jour" || w == "tous" || w == "toute" || w == "semaine" || w == "en" || w == "la":
				// "tous les jours", "en semaine", "les jours fériés"
				rest := strings.TrimSpace(s[i:])
				switch {
				case w == "tous" && strings.HasPrefix(rest, "les jours"):
					out = append(out, frToken{kind: frAll})
					i = len(s) - len(rest) + len("les jours")
				case w == "toute" && strings.HasPrefix(rest, "la semaine"):
					out = append(out, frToken{kind: frAll})
					i = len(s) - len(rest) + len("la semaine")
				case w == "en" && strings.HasPrefix(rest, "semaine"):
					out = append(out, frToken{kind: frWeek})
					i = len(s) - len(rest) + len("semaine")
				case w == "jours" || w == "jour" || w == "la" || w == "en":
					// "les jours fériés": the next word decides
				default:
					return nil, false
				}
			case w == "sur" || w == "rdv" || w == "rendez" || w == "vous":
				if w == "rdv" || w == "rendez" {
					out = append(out, frToken{kind: frAppointment})
				}
			case w == "h":
			default:
				if d, ok := frDays[w]; ok {
					out = append(out, frToken{kind: frDay, n: d})
				} else if !frSkip[w] {
					return nil, false
				}
			}
		default:
			if unicode.IsSpace(rune(c)) {
				i++
				continue
			}
			return nil, false
		}
	}
	return out, true
}

// times reads "9h-12h et 14h-17h" from toks[i:], as far as it goes.
func frTimes(toks []frToken, i int) ([]Interval, int, bool) {
	var out []Interval
	for i < len(toks) {
		if toks[i].kind == frAnd && i+1 < len(toks) && toks[i+1].kind == frTime {
			i++
			continue
		}
		if toks[i].kind != frTime {
			break
		}
		if i+2 >= len(toks) || toks[i+1].kind != frDash || toks[i+2].kind != frTime {
			return nil, i, false
		}
		start, end := toks[i].n, toks[i+2].n
		if start >= 24*60 {
			return nil, i, false
		}
		if end <= start {
			end += 24 * 60
		}
		out = append(out, Interval{start, end})
		i += 3
	}
	return merge(out), i, true
}

// DayHours reads one day of the grid: "9h-12h, 14h-17h30", "09:00-12:00",
// "fermé" or nothing (closed). ok is false when it is not understood.
func DayHours(s string) ([]Interval, bool) {
	toks, ok := frLex(s)
	if !ok {
		return nil, false
	}
	if len(toks) == 0 || len(toks) == 1 && toks[0].kind == frOff {
		return nil, true
	}
	ivs, end, ok := frTimes(toks, 0)
	return ivs, ok && end == len(toks)
}

// FromFrench reads hours written in French and returns them in OSM syntax.
// ok is false when a word or a time is not understood, or days have no
// hours: the caller then shows the usual error.
func FromFrench(s string) (string, bool) {
	toks, ok := frLex(s)
	if !ok || len(toks) == 0 {
		return "", false
	}
	var w Week
	var mask uint8
	lastDay, haveTimes := -1, false
	for i := 0; i < len(toks); {
		t := toks[i]
		switch t.kind {
		case frDay:
			if haveTimes {
				mask, haveTimes = 0, false
			}
			if i >= 2 && toks[i-1].kind == frDash && toks[i-2].kind == frDay && lastDay >= 0 {
				for d := lastDay; ; d = (d + 1) % 7 {
					mask |= 1 << d
					if d == t.n {
						break
					}
				}
			} else {
				mask |= 1 << t.n
			}
			lastDay = t.n
			i++
		case frAll, frWeek:
			if haveTimes {
				mask, haveTimes = 0, false
			}
			if t.kind == frAll {
				mask = 0x7f
			} else {
				mask |= 0x1f
			}
			i++
		case frTime:
			ivs, next, ok := frTimes(toks, i)
			if !ok || mask == 0 {
				return "", false
			}
			for d := range 7 {
				if mask&(1<<d) != 0 {
					w.Days[d] = merge(append(w.Days[d], ivs...))
				}
			}
			haveTimes, i = true, next
		case frOff:
			// "fermé le lundi", "lundi fermé", "fermé les jours fériés"
			j := i + 1
			for j < len(toks) && toks[j].kind == frDay {
				w.Days[toks[j].n] = nil
				j++
			}
			if j < len(toks) && toks[j].kind == frHoliday {
				w.HolidaysOff = true
				j++
			}
			if j == i+1 && mask != 0 && !haveTimes {
				for d := range 7 {
					if mask&(1<<d) != 0 {
						w.Days[d] = nil
					}
				}
				haveTimes = true
			}
			i = j
		case frHoliday:
			// "jours fériés : fermé"
			if i+1 < len(toks) && toks[i+1].kind == frOff {
				w.HolidaysOff = true
				i += 2
				continue
			}
			return "", false
		case frAppointment:
			w.Appointment = true
			i++
		default: // frAnd, frDash between days
			i++
		}
	}
	out := w.String()
	if out == "" {
		return "", false
	}
	if _, err := Parse(out); err != nil {
		return "", false
	}
	return out, true
}
