package peoplefile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/birge-org/birge/internal/xlsx"
)

// readCSV reads the CSV that spreadsheets write: UTF-8 with or without a byte-order mark,
// or Windows-1251 (what Excel in a Russian locale saves), separated by commas, semicolons
// (the same Excel) or tabs, whichever the header line has most of. The file's shape is
// checked before it is parsed, since encoding/csv holds a whole record, and then every
// record, before returning: the limits end in xlsx's errors, so that Read turns both
// kinds of file's into the same messages.
func readCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		decoded, err := charmap.Windows1251.NewDecoder().Bytes(data)
		if err != nil {
			return nil, err
		}
		data = decoded
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, errors.New("binary data") // UTF-16 or not text at all
	}
	comma := separator(data)
	if err := checkShape(data, byte(comma)); err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows [][]string
	for {
		row, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
}

// checkShape reads data as encoding/csv does with LazyQuotes — a field is quoted only
// when it starts with '"', where "" is a quote and a quote followed by anything but the
// separator or the line's end is text — and refuses it, allocating nothing, when a record
// has more than MaxColumns fields, a field more than MaxCell bytes, the file more than
// MaxRows records under its header or cells costing more than MaxHeld to hold.
func checkShape(data []byte, comma byte) error {
	records, fields, held := 0, 0, 0
	for pos := 0; pos < len(data); {
		start := pos
		if data[pos] == '"' {
			pos = closingQuote(data, pos+1, comma)
		}
		if i := bytes.IndexAny(data[pos:], string([]byte{comma, '\n'})); i >= 0 {
			pos += i
		} else {
			pos = len(data)
		}
		if pos-start > MaxCell {
			return xlsx.ErrCellTooLarge
		}
		fields++
		if fields > MaxColumns {
			return xlsx.ErrTooWide
		}
		held += 16
		if pos < len(data) && data[pos] == comma {
			if pos++; pos == len(data) && fields == MaxColumns {
				return xlsx.ErrTooWide // the separator at the very end opens one more
			}
			continue
		}
		pos++                            // the line's end
		if fields > 1 || pos-start > 1 { // empty lines are skipped, as encoding/csv does
			if records++; records > MaxRows+1 {
				return xlsx.ErrTooLong
			}
			if held += 48; held > MaxHeld {
				return xlsx.ErrTooLarge
			}
		}
		fields = 0
	}
	return nil
}

// closingQuote returns the position just after the quote that closes a quoted field
// whose text starts at pos, or the end of data if none does.
func closingQuote(data []byte, pos int, comma byte) int {
	for {
		i := bytes.IndexByte(data[pos:], '"')
		if i < 0 {
			return len(data)
		}
		pos += i + 1
		switch {
		case pos < len(data) && data[pos] == '"':
			pos++ // "" is a quote in the text
		case pos == len(data), data[pos] == comma, data[pos] == '\n',
			data[pos] == '\r' && pos+1 < len(data) && data[pos+1] == '\n':
			return pos
		}
	}
}

func separator(data []byte) rune {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	best, most := ',', 0
	for _, c := range []rune{',', ';', '\t'} {
		if n := bytes.Count(line, []byte{byte(c)}); n > most {
			best, most = c, n
		}
	}
	return best
}
