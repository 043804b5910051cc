// Package peoplefile reads a spreadsheet of people — CSV or XLSX, with headers in any of
// Birge's four languages — into rows the store can validate and register.
package peoplefile

import (
	"bytes"
	"errors"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/xlsx"
)

// Limits on what one import may hold: a national network's yearly intake fits easily,
// and a file beyond them is more likely a mistake than a registry. They are checked as
// the file is read, before it can take the memory: a 9.9 MB CSV of a million empty
// columns once took the server from 257 MB to 2.5 GB on its import page.
const (
	MaxBytes   = 32 << 20
	MaxRows    = 200_000
	MaxColumns = 100     // a people file has 19 fields; the rest are a centre's own notes
	MaxCell    = 8 << 10 // bytes: more than any field takes (birge.MaxLong characters)
	// MaxHeld bounds what the rows read cost in memory beyond the file's own bytes,
	// as xlsx.Limits counts it: 100,000 rows of 12 columns of names and places take
	// 53 MB, 200,000 rows of 6 about as much.
	MaxHeld = 64 << 20
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
		lim := xlsx.Limits{Rows: MaxRows + 1, Columns: MaxColumns, Cell: MaxCell, Held: MaxHeld}
		rows, err = xlsx.ReadLimited(bytes.NewReader(data), int64(len(data)), lim)
	} else {
		rows, err = readCSV(data)
	}
	switch {
	case errors.Is(err, xlsx.ErrTooWide):
		return Table{}, fileProblem("import.too_many_columns")
	case errors.Is(err, xlsx.ErrTooLong):
		return Table{}, fileProblem("import.too_many_rows")
	case errors.Is(err, xlsx.ErrCellTooLarge):
		return Table{}, fileProblem("import.cell_too_long")
	case errors.Is(err, xlsx.ErrTooLarge):
		return Table{}, fileProblem("import.too_large")
	case err != nil:
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
