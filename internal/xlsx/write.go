package xlsx

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Writer streams a workbook of one worksheet: each row is written to the zip as it
// comes, so an export of any size takes the same little memory. The first row is the
// header: bold, and frozen so it stays in view while scrolling.
type Writer struct {
	// Sheet names the worksheet, as the tab at the bottom shows it: what it holds, in its
	// reader's language. Set it before the first row; "1" when empty.
	Sheet   string
	zip     *zip.Writer
	sheet   *bufio.Writer // the worksheet part, open after the first row
	rows    int
	columns []string // column letters already computed: A, B, …
	err     error    // the first error; every later call returns it
}

// Excel refuses to open a cell longer than this without "repairing" the file.
const maxCellChars = 32767

// NewWriter returns a Writer to w; nothing is written before the first row or Close.
func NewWriter(w io.Writer) *Writer {
	return &Writer{zip: zip.NewWriter(w)}
}

// WriteRow appends a row of text cells. Empty cells are left out, as Excel does.
// Characters XML 1.0 cannot hold (most control characters, invalid UTF-8) are dropped,
// since the file would otherwise not open at all.
func (w *Writer) WriteRow(cells []string) error {
	if w.err != nil {
		return w.err
	}
	if w.rows == maxRows || len(cells) > maxColumns {
		return errors.New("xlsx: more rows or columns than a worksheet holds")
	}
	if w.sheet == nil {
		if err := w.start(); err != nil {
			return err
		}
	}
	w.rows++
	row := strconv.Itoa(w.rows)
	b := w.sheet
	b.WriteString(`<row r="`)
	b.WriteString(row)
	b.WriteString(`">`)
	for i, text := range cells {
		if text == "" {
			continue
		}
		if utf8.RuneCountInString(text) > maxCellChars {
			w.err = errors.New("xlsx: a cell holds more than 32767 characters")
			return w.err
		}
		b.WriteString(`<c r="`)
		b.WriteString(w.column(i))
		b.WriteString(row)
		b.WriteString(`" t="inlineStr"`)
		if w.rows == 1 {
			b.WriteString(` s="1"`) // the bold style in styles.xml
		}
		b.WriteString(`><is><t xml:space="preserve">`)
		writeText(b, text)
		b.WriteString(`</t></is></c>`)
	}
	_, w.err = b.WriteString(`</row>`)
	return w.err
}

// Close ends the worksheet and the zip. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.err == nil && w.sheet == nil {
		w.start()
	}
	if w.err != nil {
		return w.err
	}
	w.sheet.WriteString(sheetEnd)
	err := w.sheet.Flush()
	if err == nil {
		err = w.zip.Close()
	}
	w.err = errors.New("xlsx: writer closed")
	return err
}

// start writes the fixed parts and opens the worksheet, which must be the last part
// since a zip holds one part after another.
func (w *Writer) start() error {
	workbook := part{"xl/workbook.xml", `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><sheets>` +
		`<sheet name="` + escapeAttr(sheetName(w.Sheet)) + `" sheetId="1" r:id="rId1"/></sheets></workbook>`}
	for _, p := range append([]part{workbook}, fixedParts...) {
		f, err := w.zip.Create(p.name)
		if err == nil {
			_, err = io.WriteString(f, xmlHeader+p.body)
		}
		if err != nil {
			w.err = err
			return err
		}
	}
	f, err := w.zip.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		w.err = err
		return err
	}
	w.sheet = bufio.NewWriterSize(f, 64<<10)
	_, w.err = w.sheet.WriteString(xmlHeader + sheetStart)
	return w.err
}

// column returns the letters of the i-th column (0-based): A … Z, AA, AB, …
func (w *Writer) column(i int) string {
	for len(w.columns) <= i {
		n, name := len(w.columns)+1, ""
		for ; n > 0; n = (n - 1) / 26 {
			name = string(rune('A'+(n-1)%26)) + name
		}
		w.columns = append(w.columns, name)
	}
	return w.columns[i]
}

// writeText writes s escaped for XML, dropping what XML 1.0 cannot hold.
func writeText(b *bufio.Writer, s string) {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\r':
			b.WriteString("&#13;") // a raw CR would be read back as a line feed
		case r == '_' && isXEscape(s[i:]):
			b.WriteString("_x005F_") // Excel reads "_x0041_" as "A"; this keeps it literal
		case r == utf8.RuneError && n == 1, !xmlChar(r):
			// invalid UTF-8 or a character XML 1.0 forbids: dropped
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
}

// xmlChar tells whether XML 1.0 allows r in a document.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const (
	nsMain = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
	nsRel  = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	nsPkg  = `http://schemas.openxmlformats.org/package/2006/`
	ctype  = `application/vnd.openxmlformats-`
)

// sheetName makes name one Excel accepts: at most 31 characters, none of : \ / ? * [ ],
// not blank; "1" when nothing is left.
func sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) || r < ' ' {
			return -1
		}
		return r
	}, name)
	if r := []rune(strings.TrimSpace(name)); len(r) > 31 {
		name = string(r[:31])
	}
	if strings.Trim(name, " '") == "" {
		return "1"
	}
	return strings.TrimSpace(name)
}

// escapeAttr escapes a text for an XML attribute.
func escapeAttr(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return strings.ReplaceAll(b.String(), `"`, "&#34;")
}

// part is a file of the workbook's zip.
type part struct{ name, body string }

// The parts every workbook has; the workbook part, which names the sheet, is made in start.
var fixedParts = []part{
	{"[Content_Types].xml", `<Types xmlns="` + nsPkg + `content-types">` +
		`<Default Extension="rels" ContentType="` + ctype + `package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="` + ctype + `officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="` + ctype + `officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="` + ctype + `officedocument.spreadsheetml.styles+xml"/></Types>`},
	{"_rels/.rels", `<Relationships xmlns="` + nsPkg + `relationships">` +
		`<Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
	{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="` + nsPkg + `relationships">` +
		`<Relationship Id="rId1" Type="` + nsRel + `/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="` + nsRel + `/styles" Target="styles.xml"/></Relationships>`},
	// Style 0 is the plain cell, style 1 the bold header; Excel wants the fills and the
	// border even when nothing uses them.
	{"xl/styles.xml", `<styleSheet xmlns="` + nsMain + `">` +
		`<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
		`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>` +
		`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`},
}

const (
	sheetStart = `<worksheet xmlns="` + nsMain + `"><sheetViews><sheetView workbookViewId="0">` +
		`<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>`
	sheetEnd = `</sheetData></worksheet>`
)
