package xlsx

import (
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// parseSheet reads the rows of a worksheet. Cells are placed by their reference when
// they have one (writers leave out empty cells and rows), else after the previous one.
func (b *book) parseSheet(name string) ([][]string, error) {
	d, done, err := b.open(name)
	if err != nil {
		return nil, err
	}
	defer done()
	var rows [][]string
	row, col := -1, 0 // the current row and the next cell's column, 0-based
	err = eachElement(d, func(e xml.StartElement) error {
		switch e.Name.Local {
		case "row":
			settle(rows, row)
			row, col = row+1, 0
			if r := attr(e, "r"); r != "" {
				n, err := strconv.Atoi(r)
				if err != nil || n < 1 || n > maxRows {
					return fmt.Errorf("%w: row %q", ErrNotXLSX, r)
				}
				row = max(row, n-1) // rows out of order are kept in file order
			}
		case "c":
			if row < 0 {
				return fmt.Errorf("%w: a cell outside a row", ErrNotXLSX)
			}
			if ref := attr(e, "r"); ref != "" {
				c, ok := column(ref)
				if !ok {
					return fmt.Errorf("%w: cell %q", ErrNotXLSX, ref)
				}
				col = max(col, c)
			}
			// Also for cells placed after the previous one: a row of sixteen million
			// empty cells is a crafted file, not a sheet.
			if col >= maxColumns {
				return fmt.Errorf("%w: a cell beyond column %d", ErrNotXLSX, maxColumns)
			}
			text, shared, err := b.cell(d, e)
			if err != nil {
				return err
			}
			// Only cells with text are placed: gaps before them are filled then, and
			// empty cells at the end of a row (often merely formatted) never are.
			if text != "" {
				if rows, err = b.place(rows, row, col, text, shared); err != nil {
					return err
				}
			}
			col++
		}
		return nil
	})
	settle(rows, row)
	return rows, err
}

// settle gives a finished row a slice of its own length: appending cell by cell leaves
// up to twice the room, and Limits.Held counts 16 bytes a cell, not a guess at that.
func settle(rows [][]string, row int) {
	if row >= 0 && row < len(rows) && cap(rows[row]) > len(rows[row]) {
		rows[row] = append(make([]string, 0, len(rows[row])), rows[row]...)
	}
}

// place puts text at (row, col), filling the gaps before it with empty rows and cells,
// each counted as held, since the gaps take memory as cells do. A shared string's text
// is held already.
func (b *book) place(rows [][]string, row, col int, text string, shared bool) ([][]string, error) {
	switch {
	case row >= maxRows || col >= maxColumns:
		return nil, fmt.Errorf("%w: a cell beyond row %d or column %d", ErrNotXLSX, maxRows, maxColumns)
	case row >= b.lim.Rows:
		return nil, ErrTooLong
	case col >= b.lim.Columns:
		return nil, ErrTooWide
	}
	have := 0
	if row < len(rows) {
		have = len(rows[row])
	}
	n := rowCost*max(row+1-len(rows), 0) + 16*max(col+1-have, 0)
	if !shared {
		n += textCost(text)
	}
	if err := b.hold(n); err != nil {
		return nil, err
	}
	for len(rows) <= row {
		rows = append(rows, nil)
	}
	for len(rows[row]) <= col {
		rows[row] = append(rows[row], "")
	}
	rows[row][col] = text
	return rows, nil
}

// column returns the 0-based column of a reference like "C5".
func column(ref string) (int, bool) {
	n, i := 0, 0
	for ; i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z'; i++ {
		n = n*26 + int(ref[i]-'A'+1)
		if n > maxColumns {
			return 0, false
		}
	}
	return n - 1, i > 0 && i < len(ref)
}

// cell reads one <c> element and returns its text as the user sees it, and whether
// that is a shared string's.
func (b *book) cell(d *decoder, c xml.StartElement) (string, bool, error) {
	var value string
	for {
		tok, err := d.Token()
		if err != nil {
			return "", false, err
		}
		if _, ok := tok.(xml.EndElement); ok {
			break // </c>: the children below are read to their end
		}
		e, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch e.Name.Local {
		case "v":
			value, err = readText(d, false, b.lim.Cell)
		case "is":
			value, err = readText(d, true, b.lim.Cell)
		default: // a formula <f> and extensions: the cached <v> is what is shown
			_, err = readText(d, false, b.lim.Cell)
		}
		if err != nil {
			return "", false, err
		}
	}
	switch attr(c, "t") {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(value))
		if err != nil || i < 0 || i >= len(b.strings) {
			return "", false, fmt.Errorf("%w: shared string %q", ErrNotXLSX, value)
		}
		return b.strings[i], true, nil
	case "b":
		switch strings.TrimSpace(value) {
		case "1":
			return "TRUE", false, nil
		case "0":
			return "FALSE", false, nil
		}
	case "", "n":
		value = strings.TrimSpace(value)
		if s, err := strconv.Atoi(attr(c, "s")); err == nil && b.dateStyle[s] {
			if date, ok := dateText(value, b.date1904); ok {
				return date, false, nil
			}
		}
		return numberText(value), false, nil
	}
	return value, false, nil // inline strings, formula strings ("str"), errors ("e"), ISO dates ("d")
}

// numberText writes a stored number out in full: Excel stores 870101300123 (an
// identity number typed as a number) as "8.70101300123E11", which is useless as text.
func numberText(v string) string {
	if !strings.ContainsAny(v, "eE") {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return v
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// dateText turns a serial day number into YYYY-MM-DD. Day 1 is 1900-01-01, and Excel
// counts a 29 February 1900 that never was (day 60), so later days start a day earlier.
func dateText(v string, date1904 bool) (string, bool) {
	serial, err := strconv.ParseFloat(v, 64)
	if err != nil || serial < 0 || !date1904 && serial < 1 || serial >= 2958466 { // 9999-12-31 is Excel's last day
		return "", false
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	switch {
	case date1904:
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	case serial < 61:
		base = base.AddDate(0, 0, 1)
	}
	t := base.Add(time.Duration(math.Round(serial*86400)) * time.Second)
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2006-01-02"), true
	}
	return t.Format("2006-01-02 15:04:05"), true
}

// parseStyles notes which cell styles show numbers as dates: the built-in date formats
// and custom formats with a day, month or year in them.
func (b *book) parseStyles(name string) error {
	d, done, err := b.open(name)
	if err != nil {
		return err
	}
	defer done()
	custom := map[int]string{}
	b.dateStyle = map[int]bool{}
	inCellXfs, xf := false, 0
	err = eachElement(d, func(e xml.StartElement) error {
		switch e.Name.Local {
		case "numFmt":
			id, _ := strconv.Atoi(attr(e, "numFmtId"))
			custom[id] = attr(e, "formatCode")
		case "cellXfs":
			inCellXfs = true
		case "cellStyleXfs", "dxfs":
			inCellXfs = false // also <xf>s, but not those cells point at
		case "xf":
			if inCellXfs {
				id, _ := strconv.Atoi(attr(e, "numFmtId"))
				code, ok := custom[id]
				b.dateStyle[xf] = ok && isDateFormat(code) || !ok && builtinDate(id)
				xf++
			}
		}
		return nil
	})
	return err
}

// builtinDate: 14–17 and 22 are Excel's built-in date formats (m/d/yyyy, d-mmm-yy,
// d-mmm, mmm-yy, m/d/yy h:mm). 18–21 show only a time of day and stay numbers.
func builtinDate(id int) bool {
	return id >= 14 && id <= 17 || id == 22
}

// isDateFormat tells whether a custom number format shows a date: it has a d or y, or
// an m that is not minutes (minutes come with h or s), outside quoted text, escaped
// characters and [brackets] (colours, locales, elapsed time).
func isDateFormat(code string) bool {
	var plain strings.Builder
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			}
		case '[':
			if j := strings.IndexByte(code[i:], ']'); j >= 0 {
				i += j
			}
		case '\\', '_', '*': // the next character is shown literally or as padding
			i++
		default:
			plain.WriteByte(code[i] | 0x20) // lower case; other bytes are not letters we test
		}
	}
	p := plain.String()
	return strings.ContainsAny(p, "dy") || strings.Contains(p, "m") && !strings.ContainsAny(p, "hs")
}
