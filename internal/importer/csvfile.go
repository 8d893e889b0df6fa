package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// csvTable reads a CSV file as people save it: UTF-8 with or without a byte
// order mark, or Windows-1252 (Excel's "CSV" on a French Windows), and
// separated by semicolons (Excel in French), commas or tabs, found from the
// first line. It streams: memory stays bounded whatever the file's size.
type csvTable struct {
	r        *csv.Reader
	Encoding string
	Comma    rune
	Header   []string
	line     int
}

func openCSV(in io.Reader, name string) (*csvTable, error) {
	br := bufio.NewReaderSize(in, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, err
	}
	if len(head) == 0 {
		return nil, fmt.Errorf("%s est vide", name)
	}
	t := &csvTable{Encoding: "UTF-8"}
	var src io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		_, _ = br.Discard(3)
		head = head[3:]
		t.Encoding = "UTF-8 (avec BOM)"
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return nil, fmt.Errorf("%s est en UTF-16 : enregistrez-le en « CSV UTF-8 »", name)
	case !validUTF8Prefix(head):
		t.Encoding = "Windows-1252"
		src = transform.NewReader(br, charmap.Windows1252.NewDecoder())
		head, _ = charmap.Windows1252.NewDecoder().Bytes(head)
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return nil, fmt.Errorf("%s n’est pas un fichier texte (CSV) : pour un classeur Excel, envoyez le fichier .xlsx", name)
	}
	first, _, _ := bytes.Cut(head, []byte("\n"))
	t.Comma = ';'
	best := -1
	for _, c := range []rune{';', ',', '\t', '|'} {
		if n := strings.Count(string(first), string(c)); n > best {
			t.Comma, best = c, n
		}
	}
	t.r = csv.NewReader(src)
	t.r.Comma = t.Comma
	t.r.FieldsPerRecord = -1
	t.r.LazyQuotes = true
	t.r.ReuseRecord = false
	if t.Header, err = t.r.Read(); err != nil {
		return nil, fmt.Errorf("%s : première ligne illisible : %w", name, err)
	}
	t.line = 1
	return t, nil
}

// validUTF8Prefix reports whether b is UTF-8, ignoring a character cut at
// the end of the buffer.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

// Next returns the next row and its line number (1 is the header); io.EOF
// at the end. A row with an unclosed quote is an error naming its line.
func (t *csvTable) Next() ([]string, int, error) {
	rec, err := t.r.Read()
	if err == io.EOF {
		return nil, 0, io.EOF
	}
	line, _ := t.r.FieldPos(0)
	if err != nil {
		var pe *csv.ParseError
		if ok := asParseError(err, &pe); ok {
			return nil, pe.StartLine, fmt.Errorf("ligne %d illisible : %v", pe.StartLine, pe.Err)
		}
		return nil, line, err
	}
	return rec, line, nil
}

func asParseError(err error, pe **csv.ParseError) bool {
	e, ok := err.(*csv.ParseError)
	if ok {
		*pe = e
	}
	return ok
}
