// Package peoplefile reads a spreadsheet of people — CSV or XLSX, with headers in any of
// Birge's four languages — into rows the store can validate and register.
package peoplefile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/xlsx"
)

// Limits on what one import may hold: a national network's yearly intake fits easily,
// and a file beyond them is more likely a mistake than a registry.
const (
	MaxBytes = 32 << 20
	MaxRows  = 200_000
)

// Table is a file as read: its header row and the rows under it, as text.
type Table struct {
	Header []string
	Rows   [][]string
}

// Read reads a CSV or XLSX file; which one is told by its content, not its name, since
// names lie. Errors are *birge.Error on the field "file", ready to show beside it.
func Read(data []byte) (Table, error) {
	if len(data) > MaxBytes {
		return Table{}, fileProblem("import.too_large")
	}
	var rows [][]string
	var err error
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		rows, err = xlsx.Read(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return Table{}, fileProblem("import.not_table")
		}
	} else if rows, err = readCSV(data); err != nil {
		return Table{}, fileProblem("import.not_table")
	}
	rows = dropEmpty(rows)
	if len(rows) < 2 {
		return Table{}, fileProblem("import.empty")
	}
	if len(rows)-1 > MaxRows {
		return Table{}, fileProblem("import.too_many_rows")
	}
	return Table{Header: rows[0], Rows: rows[1:]}, nil
}

func fileProblem(key string) error {
	return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"file": key}}
}

// readCSV reads the CSV that spreadsheets write: UTF-8 with or without a byte-order mark,
// or Windows-1251 (what Excel in a Russian locale saves), separated by commas, semicolons
// (the same Excel) or tabs, whichever the header line has most of.
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
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = separator(data)
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
		if len(rows) > MaxRows+1 {
			return rows, nil // Read reports the excess
		}
		rows = append(rows, row)
	}
}

func separator(data []byte) rune {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	best, most := ',', 0
	for _, c := range []rune{',', ';', '\t'} {
		if n := strings.Count(string(line), string(c)); n > most {
			best, most = c, n
		}
	}
	return best
}

// dropEmpty removes rows with no text at all, which spreadsheets leave below the data.
func dropEmpty(rows [][]string) [][]string {
	out := rows[:0]
	for _, row := range rows {
		for _, cell := range row {
			if strings.TrimSpace(cell) != "" {
				out = append(out, row)
				break
			}
		}
	}
	return out
}
