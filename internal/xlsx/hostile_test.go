package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/testenv"
)

// The hostile set: files made to take a reader's memory or time, built here rather than
// kept in the repository (the largest unpacks to 300 MB). Each must end in an error.
// Those made to amplify — a few hundred KB that would become hundreds of MB — keep the
// heap under 64 MB throughout. Those of plain cells in great number are what a genuine
// registry of that size would be, and take what Limits.Held allows: counted as it is,
// the heap stays under one and a half times Held.

const sheetPart, sheetData = "xl/worksheets/people.xml", `<worksheet ` + fixtureNS + `><sheetData>`

// bomb is the fixture workbook with part replaced by prefix and unit repeated to size
// bytes, compressed as Excel would: a few hundred KB that unpack to hundreds of MB.
func bomb(part, prefix, unit string, size int64) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	parts := fixtureParts("", "")
	for i := 0; i < len(parts); i += 2 {
		f, _ := z.Create(parts[i])
		if parts[i] != part {
			io.WriteString(f, parts[i+1])
			continue
		}
		io.WriteString(f, prefix)
		chunk := []byte(strings.Repeat(unit, max(1, 1<<16/len(unit))))
		for n := int64(0); n < size; n += int64(len(chunk)) {
			f.Write(chunk)
		}
	}
	z.Close()
	return buf.Bytes()
}

func TestReadHostile(t *testing.T) {
	defer func(b int64) { maxBytes = b }(maxBytes)
	inline := sheetData + `<row><c t="inlineStr"><is><t>`
	cases := []struct {
		name string
		file []byte
		want error
		// bytesLimit lowers the limit, so that a bomb of many small elements is
		// parsed to its end in a moment.
		bytesLimit int64
		plain      bool // bounded by Limits.Held rather than 64 MB
	}{
		{"random bytes", randomBytes(t, 1<<16), ErrNotXLSX, 0, false},
		{"empty", nil, ErrNotXLSX, 0, false},
		{"a zip of no workbook", zipOf(t, "a.txt", "hello"), ErrNotXLSX, 0, false},
		{"a workbook whose sheet is not XML", zipOf(t, fixtureParts("", "<row><c>")...), ErrNotXLSX, 0, false},
		{"a shared string out of range", zipOf(t, fixtureParts("", `<row><c t="s"><v>99</v></c></row>`)...), ErrNotXLSX, 0, false},
		{"a cell far right", zipOf(t, fixtureParts("", `<row><c r="XFE1"><v>1</v></c></row>`)...), ErrNotXLSX, 0, false},
		{"a row far down", zipOf(t, fixtureParts("", `<row r="1048577"><c><v>1</v></c></row>`)...), ErrNotXLSX, 0, false},
		{"an entity", zipOf(t, fixtureParts("", `<row><c t="inlineStr"><is><t>&xxe;</t></is></c></row>`)...), ErrNotXLSX, 0, false},
		{"a document type", zipOf(t, fixtureParts("", `<!DOCTYPE x [<!ENTITY a "b">]><row/>`)...), ErrNotXLSX, 0, false},
		{"zip bomb of spaces", bomb(sheetPart, sheetData, " ", 300<<20), ErrTooLarge, 0, false},
		{"zip bomb of one shared string", bomb("xl/sharedStrings.xml", "<sst><si><t>", "ә", 300<<20), ErrTooLarge, 0, false},
		{"a tag of many attributes", bomb(sheetPart, sheetData+"<row><c", ` a=">"`, 8<<20), ErrTooLarge, 0, false},
		{"elements nested deep", bomb(sheetPart, sheetData, "<a>", 8<<20), ErrNotXLSX, 0, false},
		{"gaps of empty cells", bomb(sheetPart, sheetData, `<row><c r="XFD1"><v>1</v></c></row>`, 8<<20), ErrTooLarge, 0, true},
		{"many cells", bomb(sheetPart, sheetData, `<row><c><v>1</v></c><c><v>2</v></c></row>`, 64<<20), ErrTooLarge, 0, true},
		{"many shared strings", bomb("xl/sharedStrings.xml", "<sst>", `<si/>`, 64<<20), ErrTooLarge, 0, true},
		{"many rows of nothing", bomb(sheetPart, sheetData, `<row/>`, 64<<20), ErrTooLarge, 4 << 20, false},

		// What the reader once took for tags: a '<' inside CDATA or a comment is text.
		// The first is the issue's: 195 KB that made one 204 MB cell.
		{"CDATA with '<' in it", bomb(sheetPart, inline+"<![CDATA[", "aaaaaaa<", 200<<20), ErrTooLarge, 0, false},
		{"a comment with '<' in it", bomb(sheetPart, sheetData+"<!--", "aaaaaaa<", 200<<20), ErrTooLarge, 0, false},
		{"a processing instruction", bomb(sheetPart, sheetData+"<?x ", `a="?`, 200<<20), ErrTooLarge, 0, false},
		// Pieces each small, one cell in all: the cell's own limit stops them.
		{"a cell of many CDATA sections", bomb(sheetPart, inline, "<![CDATA[aaaaaaaaaaaaaaa]]>", 200<<20), ErrCellTooLarge, 0, false},
		{"a cell of text between comments", bomb(sheetPart, inline, "aaaaaaaaaaaaaaaaaa<!---->", 200<<20), ErrCellTooLarge, 0, false},
		{"a huge shared string", bomb("xl/sharedStrings.xml", "<sst><si><t>", "әәәә<![CDATA[<>]]>", 200<<20), ErrCellTooLarge, 0, false},
		{"many large shared strings", bomb("xl/sharedStrings.xml", "<sst>", "<si><t>"+strings.Repeat("ә", 30000)+"</t></si>", 200<<20), ErrTooLarge, 0, true},
		// Excel's sheets end at column 16384; a cell beyond, even an empty one, is a
		// crafted file (ReadLimited's tighter Columns give ErrTooWide, see below).
		{"a million columns", bomb(sheetPart, sheetData+"<row>", `<c><v>1</v></c>`, 15<<20), ErrNotXLSX, 0, false},
		{"a row of 16 million empty cells", bomb(sheetPart, sheetData+"<row>", `<c/>`, 64<<20), ErrNotXLSX, 0, false},
		{"a row of 16 million cells", bomb(sheetPart, sheetData+"<row>", `<c><v>1</v></c>`, 240<<20), ErrNotXLSX, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			maxBytes = 200 << 20
			if c.bytesLimit > 0 {
				maxBytes = c.bytesLimit
			}
			var rows [][]string
			var err error
			start := time.Now()
			peak := testenv.PeakHeap(func() { rows, err = Read(bytes.NewReader(c.file), int64(len(c.file))) })
			if !errors.Is(err, c.want) || rows != nil {
				t.Fatalf("got %d rows and %v, want %v", len(rows), err, c.want)
			}
			t.Logf("%d KB file: %v in %v, heap grew at most %d MB", len(c.file)>>10, err, time.Since(start), peak>>20)
			bound := int64(64 << 20)
			if c.plain {
				bound = DefaultLimits.Held * 3 / 2
			}
			if peak > bound {
				t.Errorf("reading took %d MB, more than %d MB", peak>>20, bound>>20)
			}
		})
	}
}

// CDATA, comments and processing instructions are read as XML means them, and the
// limits a caller sets are kept.
func TestReadMarkup(t *testing.T) {
	sheet := `<row><c t="inlineStr"><is><t><![CDATA[a<b>&amp;]]>c<!-- <c t="s"> -->d<?pi <x> ?></t></is></c>` +
		`<c><v><!--1-->2</v></c></row>`
	got := read(t, zipOf(t, fixtureParts("", sheet)...))
	if want := [][]string{{"a<b>&amp;cd", "2"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}

	rows := [][]string{{"a", "b", "c"}, {"d", strings.Repeat("ы", 10)}, {"e"}}
	file := write(t, rows)
	for _, c := range []struct {
		lim  Limits
		want error
	}{
		{Limits{Rows: 3, Columns: 3, Cell: 20, Held: 1 << 20}, nil},
		{Limits{Rows: 2, Columns: 3, Cell: 20, Held: 1 << 20}, ErrTooLong},
		{Limits{Rows: 3, Columns: 2, Cell: 20, Held: 1 << 20}, ErrTooWide},
		{Limits{Rows: 3, Columns: 3, Cell: 19, Held: 1 << 20}, ErrCellTooLarge},
		{Limits{Rows: 3, Columns: 3, Cell: 20, Held: 200}, ErrTooLarge},
	} {
		got, err := ReadLimited(bytes.NewReader(file), int64(len(file)), c.lim)
		if !errors.Is(err, c.want) || c.want == nil && !reflect.DeepEqual(got, rows) {
			t.Errorf("%+v: got %q, %v; want %v", c.lim, got, err, c.want)
		}
	}
}
