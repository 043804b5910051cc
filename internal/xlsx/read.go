// Package xlsx reads and writes the few parts of Office Open XML workbooks (.xlsx) that
// importing and exporting a table of people needs: the text of the first worksheet's
// cells. It uses only archive/zip and encoding/xml, so it adds no dependency, and it
// treats every file as hostile: a workbook is a zip of XML that anyone can craft.
package xlsx

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

var (
	// ErrNotXLSX: the file is not a workbook, or a part of it is broken.
	ErrNotXLSX = errors.New("xlsx: not a readable Excel workbook")
	// ErrTooLarge: the workbook unpacks to more bytes, or holds more text and cells,
	// than Read accepts.
	ErrTooLarge = errors.New("xlsx: workbook too large")
	// ErrCellTooLarge: one cell or shared string holds more text than Limits.Cell.
	ErrCellTooLarge = fmt.Errorf("%w: a cell holds too much text", ErrTooLarge)
	// ErrTooWide: a cell with text lies beyond Limits.Columns.
	ErrTooWide = errors.New("xlsx: a row has too many columns")
	// ErrTooLong: a cell with text lies below Limits.Rows.
	ErrTooLong = errors.New("xlsx: the sheet has too many rows")
)

// maxBytes bounds the XML unpacked from one workbook. A zip declares the sizes of its
// parts but may lie about them, so the bytes are counted as they are unpacked. 200 MB
// of XML is several times the largest registry a centre keeps.
var maxBytes int64 = 200 << 20

// Excel's own limits; a cell reference beyond them is a broken or crafted file.
const (
	maxRows    = 1 << 20
	maxColumns = 1 << 14
)

// Limits bound what Read keeps in memory; a caller that knows its files sets tighter
// ones. Held counts what the rows returned cost on the heap (see rowCost and textCost),
// so that what a file can make Read keep is known whatever its shape. Decision 0015
// has the figures.
type Limits struct {
	Rows, Columns int   // cells with text beyond them: ErrTooLong, ErrTooWide
	Cell          int   // bytes of one cell's text: ErrCellTooLarge
	Held          int64 // bytes of rows, cells and text: ErrTooLarge
}

// DefaultLimits are Excel's own, with a cell of 32767 characters, and 64 MB held: a
// people file of 100,000 rows and 12 columns holds 53 MB by this count. A file made to
// amplify — a zip bomb, CDATA, a cell in many pieces, a row of millions of cells — is
// refused long before, with the heap under 64 MB; a file of plain cells can take what
// Held allows, as a genuine one of that size would (decision 0015).
var DefaultLimits = Limits{Rows: maxRows, Columns: maxColumns, Cell: 32767 * 3, Held: 64 << 20}

// Read returns the text of every cell of the first worksheet, row by row, within
// DefaultLimits. Numbers come back as stored (without an exponent), booleans as TRUE
// and FALSE, and numbers in date-formatted cells as YYYY-MM-DD (with " hh:mm:ss" when
// they hold a time of day). Skipped cells are filled with empty text and skipped rows
// are empty (nil); empty cells at the end of a row are left out.
func Read(r io.ReaderAt, size int64) ([][]string, error) {
	return ReadLimited(r, size, DefaultLimits)
}

// ReadLimited is Read within the given limits, each no larger than Excel's own.
func ReadLimited(r io.ReaderAt, size int64, lim Limits) ([][]string, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotXLSX, err)
	}
	lim.Rows, lim.Columns = min(lim.Rows, maxRows), min(lim.Columns, maxColumns)
	b := &book{parts: map[string]*zip.File{}, bytesLeft: maxBytes, lim: lim, heldLeft: lim.Held}
	for _, f := range zr.File {
		b.parts[f.Name] = f
	}
	rows, err := b.read()
	switch {
	case err == nil:
		return rows, nil
	case errors.Is(err, ErrTooLarge) || errors.Is(err, ErrNotXLSX) || errors.Is(err, ErrTooWide) || errors.Is(err, ErrTooLong):
		return nil, err
	}
	return nil, fmt.Errorf("%w: %v", ErrNotXLSX, err) // broken XML or zip data
}

// book is one workbook being read, with what is left of the limits.
type book struct {
	parts     map[string]*zip.File
	bytesLeft int64
	lim       Limits
	heldLeft  int64
	strings   []string     // the shared strings table
	dateStyle map[int]bool // cell style index → shows a date
	date1904  bool         // serial 0 is 1904-01-01 (old Mac workbooks)
}

func (b *book) read() ([][]string, error) {
	// The package's relationships name the workbook part; Excel always calls it
	// xl/workbook.xml, but other writers need not.
	wb := "xl/workbook.xml"
	if rels, err := b.rels(""); err == nil && rels.byType("officeDocument") != "" {
		wb = rels.byType("officeDocument")
	}
	sheetID, err := b.parseWorkbook(wb)
	if err != nil {
		return nil, err
	}
	rels, err := b.rels(wb)
	if err != nil {
		return nil, err
	}
	sheet, ok := rels[sheetID]
	if !ok {
		return nil, fmt.Errorf("%w: the first sheet has no part", ErrNotXLSX)
	}
	if p := rels.byType("sharedStrings"); p != "" {
		if err := b.parseSharedStrings(p); err != nil {
			return nil, err
		}
	}
	if p := rels.byType("styles"); p != "" {
		if err := b.parseStyles(p); err != nil {
			return nil, err
		}
	}
	return b.parseSheet(sheet.target)
}

// open starts reading one part, counting its unpacked bytes against the limit.
func (b *book) open(name string) (*decoder, func(), error) {
	f, ok := b.parts[name]
	if !ok {
		return nil, nil, fmt.Errorf("%w: no part %s", ErrNotXLSX, name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %v", ErrNotXLSX, name, err)
	}
	d := &decoder{Decoder: xml.NewDecoder(&guard{r: rc, left: &b.bytesLeft})}
	return d, func() { rc.Close() }, nil
}

// decoder bounds how deeply elements nest: encoding/xml keeps a record of every open
// element, and a part of nothing but "<a>" would fill the memory with them. Workbooks
// nest a handful of levels.
type decoder struct {
	*xml.Decoder
	depth int
}

func (d *decoder) Token() (xml.Token, error) {
	tok, err := d.Decoder.Token()
	switch tok.(type) {
	case xml.StartElement:
		if d.depth++; d.depth > 100 {
			return nil, fmt.Errorf("%w: elements nested too deep", ErrNotXLSX)
		}
	case xml.EndElement:
		d.depth--
	}
	return tok, err
}

type relation struct{ typ, target string }

// relations maps relationship ids to their type and the part they point at.
type relations map[string]relation

// byType finds the part of a relationship type, compared by its last path element so
// the transitional and the strict namespaces both match.
func (rs relations) byType(typ string) string {
	for _, r := range rs {
		if path.Base(r.typ) == typ {
			return r.target
		}
	}
	return ""
}

// rels reads the relationships of a part ("" for the package itself); targets are
// resolved against the part's folder, or the package root when they start with "/".
func (b *book) rels(part string) (relations, error) {
	dir := path.Dir(part)
	name := path.Join(dir, "_rels", path.Base(part)+".rels")
	if part == "" {
		dir, name = "", "_rels/.rels"
	}
	d, done, err := b.open(name)
	if err != nil {
		return nil, err
	}
	defer done()
	out := relations{}
	return out, eachElement(d, func(e xml.StartElement) error {
		if e.Name.Local == "Relationship" && attr(e, "TargetMode") != "External" {
			t := attr(e, "Target")
			if strings.HasPrefix(t, "/") {
				t = t[1:]
			} else {
				t = path.Join(dir, t)
			}
			out[attr(e, "Id")] = relation{typ: attr(e, "Type"), target: t}
		}
		return nil
	})
}

// parseWorkbook returns the relationship id of the first sheet, in the workbook's order
// (the one shown first), and notes the 1904 date system.
func (b *book) parseWorkbook(name string) (string, error) {
	d, done, err := b.open(name)
	if err != nil {
		return "", err
	}
	defer done()
	id := ""
	err = eachElement(d, func(e xml.StartElement) error {
		switch e.Name.Local {
		case "workbookPr":
			v := attr(e, "date1904")
			b.date1904 = v == "1" || v == "true"
		case "sheet":
			if id == "" {
				for _, a := range e.Attr { // r:id, whatever prefix the writer chose
					if a.Name.Local == "id" {
						id = a.Value
					}
				}
			}
		}
		return nil
	})
	if err == nil && id == "" {
		err = fmt.Errorf("%w: the workbook has no sheet", ErrNotXLSX)
	}
	return id, err
}

func (b *book) parseSharedStrings(name string) error {
	d, done, err := b.open(name)
	if err != nil {
		return err
	}
	defer done()
	return eachElement(d, func(e xml.StartElement) error {
		if e.Name.Local != "si" {
			return nil
		}
		s, err := readText(d, true, b.lim.Cell)
		if err != nil {
			return err
		}
		// Each string is held, whether or not a cell points at it, and its place in
		// the table grows as the rows do.
		if err := b.hold(32 + textCost(s)); err != nil {
			return err
		}
		b.strings = append(b.strings, s)
		return nil
	})
}

// eachElement calls f for every start element of the part, in order; f may consume the
// element's content itself.
func eachElement(d *decoder, f func(xml.StartElement) error) error {
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if e, ok := tok.(xml.StartElement); ok {
			if err := f(e); err != nil {
				return err
			}
		}
	}
}

// What the rows cost on the heap. A row is a slice (24 bytes) in a slice that grows by
// copying, so while it grows the old copy waits for the collector: 48 bytes. A cell is
// a string (16 bytes) in its row, plus its text's bytes, which the allocator rounds up
// to 8. A shared string is a string in the table, which grows as the rows do (32), plus
// its bytes; the cells that show it share them.
const rowCost = 48

func textCost(s string) int { return (len(s) + 7) &^ 7 }

// hold counts n more bytes held against the limit.
func (b *book) hold(n int) error {
	if b.heldLeft -= int64(n); b.heldLeft < 0 {
		return ErrTooLarge
	}
	return nil
}

// readText returns the character data inside the element just opened, refusing more
// than limit bytes: a cell's text may come in any number of pieces (CDATA sections,
// text between comments), each bounded by the guard but not their sum. For strings
// (runs true) only the text of <t> elements counts — rich text keeps each run's text
// in its own <r><t> — and phonetic guides (<rPh>), which Excel keeps beside Japanese
// text but never shows in the cell, are left out.
func readText(d *decoder, runs bool, limit int) (string, error) {
	var sb strings.Builder
	depth, inT, inPhonetic := 0, 0, 0 // depths of the open <t> and <rPh>, 0 if none
	for {
		tok, err := d.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if t.Name.Local == "t" && inT == 0 {
				inT = depth
			}
			if t.Name.Local == "rPh" && inPhonetic == 0 {
				inPhonetic = depth
			}
		case xml.EndElement:
			if depth == 0 && runs {
				return unescapeX(sb.String()), nil
			}
			if depth == 0 {
				return sb.String(), nil
			}
			if depth == inT {
				inT = 0
			}
			if depth == inPhonetic {
				inPhonetic = 0
			}
			depth--
		case xml.CharData:
			if (!runs || inT > 0) && inPhonetic == 0 {
				if sb.Len()+len(t) > limit {
					return "", ErrCellTooLarge
				}
				sb.Write(t)
			}
		}
	}
}

// Excel writes characters XML cannot hold as _xHHHH_ in strings, and a literal
// "_x0041_" as "_x005F_x0041_"; unescapeX undoes both.
func unescapeX(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && isXEscape(s[i:]) {
			n, _ := strconv.ParseUint(s[i+2:i+6], 16, 32)
			sb.WriteRune(rune(n))
			i += 6
			continue
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

// isXEscape tells whether s starts with _xHHHH_.
func isXEscape(s string) bool {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return false
	}
	_, err := strconv.ParseUint(s[2:6], 16, 32)
	return err == nil
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}
