package openinghours

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ParseError locates the first thing Parse could not read. Its message is
// French and meant for the person who typed the hours.
type ParseError struct {
	Pos  int    // 1-based position, in characters
	Near string // the text found there, "" at the end of the input
	Hint string // optional advice, French
}

func (e *ParseError) Error() string {
	var msg string
	if e.Near == "" {
		msg = fmt.Sprintf("Horaires incomplets (position %d)", e.Pos)
	} else {
		msg = fmt.Sprintf("Horaires non reconnus près de « %s » (position %d)", e.Near, e.Pos)
	}
	if e.Hint != "" {
		msg += " : " + e.Hint
	}
	return msg + "."
}

type kind int

const (
	kEOF kind = iota
	kWord
	kNum
	kColon
	kDash
	kComma
	kSemi
	kSlash
	kComment
	kOr // "||", the fallback separator
)

type token struct {
	kind kind
	text string
	pos  int // byte offset in the input
}

func lex(src string) ([]token, error) {
	var toks []token
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case isLetter(c):
			j := i
			for j < len(src) && isLetter(src[j]) {
				j++
			}
			toks = append(toks, token{kWord, src[i:j], i})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(src) && src[j] >= '0' && src[j] <= '9' {
				j++
			}
			toks = append(toks, token{kNum, src[i:j], i})
			i = j
		case c == '"':
			end := strings.IndexByte(src[i+1:], '"')
			if end < 0 {
				return nil, errorAt(src, i, "le guillemet fermant du commentaire manque")
			}
			toks = append(toks, token{kComment, src[i+1 : i+1+end], i})
			i += end + 2
		case c == '|' && i+1 < len(src) && src[i+1] == '|':
			toks = append(toks, token{kOr, "||", i})
			i += 2
		case c == ':' || c == '-' || c == ',' || c == ';' || c == '/':
			toks = append(toks, token{punctuation[c], src[i : i+1], i})
			i++
		case strings.HasPrefix(src[i:], "–") || strings.HasPrefix(src[i:], "—"):
			// Word processors turn "-" into dashes; read them as ranges.
			toks = append(toks, token{kDash, "-", i})
			i += len("–")
		default:
			return nil, errorAt(src, i, "")
		}
	}
	return append(toks, token{kEOF, "", len(src)}), nil
}

var punctuation = map[byte]kind{':': kColon, '-': kDash, ',': kComma, ';': kSemi, '/': kSlash}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// errorAt builds the error for byte offset pos, quoting a few characters.
func errorAt(src string, pos int, hint string) *ParseError {
	near := strings.TrimSpace(src[pos:])
	if utf8.RuneCountInString(near) > 15 {
		r := []rune(near)
		near = strings.TrimSpace(string(r[:15])) + "…"
	}
	return &ParseError{Pos: utf8.RuneCountInString(src[:pos]) + 1, Near: near, Hint: hint}
}

var (
	weekdayNames = [7]string{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"}
	monthNames   = [13]string{"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	monthDays    = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
)

// weekday returns 0 for Monday .. 6 for Sunday, -1 when tok is no weekday.
func weekday(tok token) int {
	if tok.kind == kWord {
		for i, n := range weekdayNames {
			if strings.EqualFold(tok.text, n) {
				return i
			}
		}
	}
	return -1
}

// month returns 1..12, or 0 when tok is no month.
func month(tok token) int {
	if tok.kind == kWord {
		for i, n := range monthNames[1:] {
			if strings.EqualFold(tok.text, n) {
				return i + 1
			}
		}
	}
	return 0
}

func isHoliday(tok token) bool { return tok.kind == kWord && strings.EqualFold(tok.text, "PH") }

// hints explain the words people often type that this parser does not take.
var hints = func() map[string]string {
	const sun = "les horaires liés au soleil ne sont pas pris en charge"
	m := map[string]string{
		"sh":      "les vacances scolaires (SH) ne sont pas prises en charge",
		"sunrise": sun, "sunset": sun, "dawn": sun, "dusk": sun,
		"week":    "les numéros de semaine ne sont pas pris en charge",
		"unknown": "écrivez « off » pour fermé, ou précisez en commentaire entre guillemets",
		"h":       "écrivez les heures sous la forme 09:00-12:00",
	}
	for _, fr := range []string{"lu", "ma", "me", "je", "ve", "di", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"} {
		m[fr] = "écrivez les jours en abrégé anglais : Mo, Tu, We, Th, Fr, Sa, Su"
	}
	return m
}()

type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) at(i int) token {
	if i < len(p.toks) {
		return p.toks[i]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) peek() token { return p.at(p.i) }

func (p *parser) next() token {
	t := p.peek()
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *parser) fail(tok token, hint string) *ParseError {
	if hint == "" && tok.kind == kWord {
		hint = hints[strings.ToLower(tok.text)]
	}
	return errorAt(p.src, tok.pos, hint)
}

// Parse reads an OSM opening_hours value. It accepts the subset French
// services use: weekday ranges and lists, time ranges (across midnight too),
// "24/7", "off"/"closed", "PH" for French public holidays, months and dates
// ("Jan-Jun", "Dec 24-26"), rules separated by ";" or "," (an additional rule,
// which adds to the previous ones instead of replacing them), and comments in
// double quotes. Anything else is an error naming the position.
func Parse(s string) (*Schedule, error) {
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	p := &parser{src: s, toks: toks}
	if p.peek().kind == kEOF {
		return nil, p.fail(p.peek(), "aucun horaire n’est indiqué")
	}
	sch := &Schedule{}
	additional := false
	for {
		r, err := p.rule()
		if err != nil {
			return nil, err
		}
		r.additional = additional
		sch.rules = append(sch.rules, r)
		switch t := p.next(); t.kind {
		case kEOF:
			return sch, nil
		case kSemi:
			if p.peek().kind == kEOF {
				return sch, nil
			}
			additional = false
		case kComma:
			additional = true
		case kOr:
			return nil, p.fail(t, "la règle de repli « || » n’est pas prise en charge")
		default:
			hint := ""
			if weekday(t) >= 0 || month(t) > 0 || isHoliday(t) || t.kind == kNum {
				hint = "séparez les règles par « ; »"
			}
			return nil, p.fail(t, hint)
		}
	}
}

func (p *parser) rule() (rule, error) {
	var r rule
	start := p.peek()
	seen := false
	if start.kind == kNum && start.text == "24" && p.at(p.i+1).kind == kSlash && p.at(p.i+2).text == "7" {
		p.i += 3
		r.always, seen = true, true
	} else {
		if month(p.peek()) > 0 {
			if err := p.dates(&r); err != nil {
				return r, err
			}
			seen = true
		}
		if weekday(p.peek()) >= 0 || isHoliday(p.peek()) {
			p.days(&r)
			seen = true
		}
		if p.peek().kind == kNum {
			if err := p.times(&r); err != nil {
				return r, err
			}
			seen = true
		}
	}
	if t := p.peek(); t.kind == kWord {
		switch strings.ToLower(t.text) {
		case "off", "closed":
			r.off, seen = true, true
			p.i++
		case "open":
			seen = true
			p.i++
		}
	}
	if t := p.peek(); t.kind == kComment {
		if !seen {
			return r, p.fail(t, "un commentaire doit suivre des jours ou des horaires")
		}
		r.comment = t.text
		p.i++
	}
	if !seen {
		return r, p.fail(start, "")
	}
	return r, nil
}

// days reads a list of weekdays, weekday ranges and PH. The caller has checked
// that the next token starts one.
func (p *parser) days(r *rule) {
	for {
		t := p.next()
		if isHoliday(t) {
			r.holidays = true
		} else {
			from := weekday(t)
			to := from
			if p.peek().kind == kDash && weekday(p.at(p.i+1)) >= 0 {
				p.i++
				to = weekday(p.next())
			}
			for d := from; ; d = (d + 1) % 7 {
				r.weekdays |= 1 << d
				if d == to {
					break
				}
			}
		}
		if n := p.at(p.i + 1); p.peek().kind == kComma && (weekday(n) >= 0 || isHoliday(n)) {
			p.i++
			continue
		}
		return
	}
}

// dates reads a list of months, month ranges, dates and date ranges.
func (p *parser) dates(r *rule) error {
	for {
		d := dateRange{fromMonth: month(p.next())}
		if p.dayNumberAhead() {
			day, err := p.day(d.fromMonth)
			if err != nil {
				return err
			}
			d.fromDay = day
		}
		d.toMonth, d.toDay = d.fromMonth, d.fromDay
		if p.peek().kind == kDash {
			p.i++
			t := p.peek()
			switch {
			case month(t) > 0:
				p.i++
				d.toMonth = month(t)
				if d.fromDay > 0 {
					if !p.dayNumberAhead() {
						return p.fail(p.peek(), "précisez le jour de fin, par exemple Dec 24-Jan 02")
					}
					day, err := p.day(d.toMonth)
					if err != nil {
						return err
					}
					d.toDay = day
				}
			case d.fromDay > 0 && p.dayNumberAhead():
				day, err := p.day(d.toMonth)
				if err != nil {
					return err
				}
				d.toDay = day
			default:
				return p.fail(t, "")
			}
		}
		r.dates = append(r.dates, d)
		if p.peek().kind == kComma && month(p.at(p.i+1)) > 0 {
			p.i++
			continue
		}
		return nil
	}
}

// dayNumberAhead tells a day of the month ("Dec 24") from the hour of a time
// ("Dec 08:00").
func (p *parser) dayNumberAhead() bool {
	return p.peek().kind == kNum && p.at(p.i+1).kind != kColon
}

func (p *parser) day(m int) (int, error) {
	t := p.next()
	n, err := strconv.Atoi(t.text)
	if err != nil || len(t.text) > 2 || n < 1 || n > monthDays[m] {
		return 0, p.fail(t, fmt.Sprintf("il n’y a pas de %s %s", t.text, frenchMonths[m]))
	}
	return n, nil
}

// times reads a list of time ranges. An end at or before the start runs into
// the next day: 22:00-02:00 is {1320, 1560}.
func (p *parser) times(r *rule) error {
	for {
		startTok := p.peek()
		start, err := p.clock()
		if err != nil {
			return err
		}
		if start >= 24*60 {
			return p.fail(startTok, "une plage commence au plus tard à 23:59")
		}
		if p.peek().kind != kDash {
			return p.fail(p.peek(), "indiquez une plage, par exemple 09:00-12:00")
		}
		p.i++
		end, err := p.clock()
		if err != nil {
			return err
		}
		if end <= start {
			end += 24 * 60
		}
		r.times = append(r.times, Interval{start, end})
		if p.peek().kind == kComma && p.at(p.i+1).kind == kNum && p.at(p.i+2).kind == kColon {
			p.i++
			continue
		}
		break
	}
	r.times = merge(r.times)
	return nil
}

// clock reads hh:mm as minutes. Hours up to 48 are allowed for the end of a
// range that runs past midnight ("22:00-26:00").
func (p *parser) clock() (int, error) {
	const hint = "écrivez les heures sous la forme 09:00-12:00"
	t := p.next()
	if t.kind != kNum || len(t.text) > 2 || p.peek().kind != kColon {
		return 0, p.fail(t, hint)
	}
	p.i++
	mt := p.next()
	if mt.kind != kNum || len(mt.text) != 2 {
		return 0, p.fail(t, hint)
	}
	h, _ := strconv.Atoi(t.text)
	m, _ := strconv.Atoi(mt.text)
	if m > 59 || h*60+m > 48*60 {
		return 0, p.fail(t, "cette heure n’existe pas")
	}
	return h*60 + m, nil
}

// merge sorts intervals and joins those that overlap or touch.
func merge(in []Interval) []Interval {
	if len(in) == 0 {
		return nil
	}
	in = slices.Clone(in)
	slices.SortFunc(in, func(a, b Interval) int { return a.Start - b.Start })
	out := in[:1]
	for _, iv := range in[1:] {
		last := &out[len(out)-1]
		if iv.Start <= last.End {
			last.End = max(last.End, iv.End)
		} else {
			out = append(out, iv)
		}
	}
	return out
}
