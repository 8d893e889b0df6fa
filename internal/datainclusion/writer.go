package datainclusion

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
)

// Writer streams a JSON array of records, one per line, so that exports of
// any size use little memory and stay readable with line tools.
type Writer struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	n   int
}

// NewWriter starts an array on w.
func NewWriter(w io.Writer) *Writer {
	a := &Writer{w: bufio.NewWriterSize(w, 64<<10)}
	a.enc = json.NewEncoder(&a.buf)
	a.enc.SetEscapeHTML(false)
	return a
}

// Write appends one record.
func (a *Writer) Write(v any) error {
	a.buf.Reset()
	if err := a.enc.Encode(v); err != nil {
		return err
	}
	sep := ",\n"
	if a.n == 0 {
		sep = "[\n"
	}
	a.n++
	a.w.WriteString(sep)
	_, err := a.w.Write(bytes.TrimSuffix(a.buf.Bytes(), []byte("\n")))
	return err
}

// Close ends the array and flushes it; it does not close the underlying writer.
func (a *Writer) Close() error {
	if a.n == 0 {
		a.w.WriteString("[")
	}
	a.w.WriteString("\n]\n")
	return a.w.Flush()
}
