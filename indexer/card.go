package indexer

import (
	"encoding/binary"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// card is the stored part of a result card: what the keys doc values
// do not already hold. It is encoded as length-prefixed strings, in this
// order, then the numbers as varints, to keep the index small (JSON would
// repeat the field names in every document).
type card struct {
	Name                       string
	StructureID, StructureName string
	CommuneName, CommuneCode   string
	Excerpt, OpeningHours      string
	// Zones are the keys of the eligibility zone (the service's commune
	// when none is given), space-separated: the card of a remote service
	// says which area it serves.
	Zones string
	// What only feeds show: the first publication (Unix seconds) and the
	// version announced (see announcement).
	Published, AnnouncedVersion int64
}

func (c *card) fields() []*string {
	return []*string{&c.Name, &c.StructureID, &c.StructureName, &c.CommuneName, &c.CommuneCode, &c.Excerpt, &c.OpeningHours, &c.Zones}
}

func (c *card) encode() []byte {
	var b []byte
	for _, f := range c.fields() {
		b = binary.AppendUvarint(b, uint64(len(*f)))
		b = append(b, *f...)
	}
	b = binary.AppendVarint(b, c.Published)
	return binary.AppendVarint(b, c.AnnouncedVersion)
}

var errCard = errors.New("indexer: malformed card")

func decodeCard(b []byte) (card, error) {
	var c card
	for _, f := range c.fields() {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return c, errCard
		}
		*f = string(b[k : k+int(n)])
		b = b[k+int(n):]
	}
	for _, n := range []*int64{&c.Published, &c.AnnouncedVersion} {
		v, k := binary.Varint(b)
		if k <= 0 {
			return c, errCard
		}
		*n, b = v, b[k:]
	}
	return c, nil
}

const excerptLength = 200

// excerpt returns the start of a plain text (see plainText) of at most
// excerptLength characters, cut at a word boundary with an ellipsis.
func excerpt(text string) string {
	if utf8.RuneCountInString(text) <= excerptLength {
		return text
	}
	cut, n := 0, 0
	for i := range text {
		if n == excerptLength {
			cut = i
			break
		}
		n++
	}
	if sp := strings.LastIndexByte(text[:cut], ' '); sp > cut/2 {
		cut = sp
	}
	return strings.TrimRight(text[:cut], " ,;:.-–") + "…"
}

// plainText drops the Markdown syntax people type in descriptions (headings,
// emphasis, list markers, quotes, links, images, code), joins the lines and
// collapses the spaces, in one pass: it runs for every service of a
// rebuild, where a replacer made for each line and a split of the whole text
// in words, twice a service, took a twelfth of the work at 1,000,000.
func plainText(md string) string {
	var b strings.Builder
	b.Grow(len(md))
	space := false // a space is due before the next word
	for line := range strings.SplitSeq(md, "\n") {
		line = strings.TrimSpace(line)
		line = strings.TrimLeft(line, "#>")
		line = strings.TrimSpace(line)
		for _, marker := range []string{"- ", "* ", "+ "} {
			line = strings.TrimPrefix(line, marker)
		}
		if i := strings.IndexFunc(line, func(r rune) bool { return !unicode.IsDigit(r) }); i > 0 && strings.HasPrefix(line[i:], ". ") {
			line = line[i+2:]
		}
		line = dropMarks(unlink(line))
		for i := 0; i < len(line); {
			r, n := utf8.DecodeRuneInString(line[i:])
			if unicode.IsSpace(r) {
				space = true
			} else {
				if space && b.Len() > 0 {
					b.WriteByte(' ')
				}
				space = false
				b.WriteString(line[i : i+n])
			}
			i += n
		}
		space = true
	}
	return b.String()
}

// dropMarks drops the emphasis and code marks: every * and `, and __ and ~~.
func dropMarks(s string) string {
	if !strings.ContainsAny(s, "*`_~") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '*' || c == '`':
		case (c == '_' || c == '~') && i+1 < len(s) && s[i+1] == c:
			i++
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// unlink replaces [text](url) and ![alt](url) by their text.
func unlink(s string) string {
	for {
		open := strings.Index(s, "](")
		if open < 0 {
			return s
		}
		start := strings.LastIndexByte(s[:open], '[')
		end := strings.IndexByte(s[open:], ')')
		if start < 0 || end < 0 {
			return s
		}
		text := s[start+1 : open]
		if start > 0 && s[start-1] == '!' {
			start--
		}
		s = s[:start] + text + s[open+end+1:]
	}
}
