package xlsx

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"encoding/xml"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/birge-org/birge/internal/testenv"
)

// write makes a workbook of rows with the Writer.
func write(t testing.TB, rows [][]string) []byte {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, r := range rows {
		if err := w.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func read(t testing.TB, b []byte) [][]string {
	t.Helper()
	rows, err := Read(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestRoundTrip(t *testing.T) {
	rows := [][]string{
		{"Тегі", "Аты", "ЖСН", "Телефон"},
		{"Әбілқайырова", "Гүлнұр", "870101300123", "+77011234567"},
		{"Өмүрбекова", "", "Айгүл ңғүұқөһі", ""}, // a gap, and an empty cell at the end
		{},
		{"  leading and trailing  ", "tab\there", "lines\nand\r\nCR\r", "<b>&amp;\"'</b>"},
		{"_x0041_ stays literal", "_x005F_", "_x", "_xZZZZ_"},
		{"", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "AA"},
	}
	want := [][]string{rows[0], rows[1], rows[2][:3], nil, rows[4], rows[5], rows[6]}
	if got := read(t, write(t, rows)); !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %q\nwant %q", got, want)
	}
}

// Every naughty string comes back exactly, less the characters XML 1.0 cannot hold.
func TestRoundTripNaughtyStrings(t *testing.T) {
	b, err := os.ReadFile("../../testdata/blns.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := append(strings.Split(string(b), "\n"), "a\x00b\x01c\x1f\uFFFE\uFFFF\xffd\ufffd\U0010FFFF")
	var rows, want [][]string
	for _, line := range lines {
		rows = append(rows, []string{line, "|"})
		want = append(want, []string{legalXML(line), "|"})
	}
	if want[len(want)-1][0] != "abcd\ufffd\U0010FFFF" {
		t.Fatalf("legalXML: %q", want[len(want)-1][0])
	}
	got := read(t, write(t, rows))
	if len(got) != len(want) {
		t.Fatalf("%d rows back, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("line %d: got %q, want %q", i+1, got[i], want[i])
		}
	}
}

// legalXML drops what XML 1.0 forbids: invalid UTF-8, control characters other than
// tab and line ends, surrogates, U+FFFE and U+FFFF.
func legalXML(s string) string {
	var sb strings.Builder
	for i, r := range s {
		bad := r == utf8.RuneError && !strings.HasPrefix(s[i:], "\ufffd") ||
			r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF
		if !bad {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

func TestWriterLimits(t *testing.T) {
	w := NewWriter(io.Discard)
	if err := w.WriteRow([]string{strings.Repeat("ә", maxCellChars)}); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteRow([]string{strings.Repeat("ә", maxCellChars+1)}); err == nil {
		t.Error("a cell longer than Excel holds was written")
	}
	if err := w.Close(); err == nil {
		t.Error("Close after a failed row succeeded")
	}
	empty := write(t, nil)
	if rows := read(t, empty); len(rows) != 0 {
		t.Errorf("empty workbook read as %q", rows)
	}
}

// The writer streams: 100,000 rows take no more memory than a few. Run
// go test -bench . -benchmem for ns/row.
func TestWriterStreams(t *testing.T) {
	row := []string{"Әбілқайырова", "Гүлнұр", "870101300123", "+77011234567", "Алматы", "2024-01-01", "Ақтөбе облысы", "иә"}
	var n countingWriter
	start := time.Now()
	grew := testenv.PeakHeap(func() {
		w := NewWriter(&n)
		for range 100_000 {
			if err := w.WriteRow(row); err != nil {
				t.Error(err)
				return
			}
		}
		if err := w.Close(); err != nil {
			t.Error(err)
		}
	})
	t.Logf("100,000 rows: %d KB written in %v, heap grew at most %d KB", n>>10, time.Since(start), grew>>10)
	if grew > 8<<20 {
		t.Errorf("the heap grew by %d KB while streaming", grew>>10)
	}
}

type countingWriter int64

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

func TestRoundTrip100000Rows(t *testing.T) {
	rows := make([][]string, 100_000)
	for i := range rows {
		rows[i] = []string{strconv.Itoa(i), "Гүлнұр " + strconv.Itoa(i), "", "x"}
	}
	start := time.Now()
	got := read(t, write(t, rows))
	t.Logf("100,000 rows written and read in %v", time.Since(start))
	if len(got) != len(rows) || !reflect.DeepEqual(got[99_999], rows[99_999]) || !reflect.DeepEqual(got[5], rows[5]) {
		t.Errorf("got %d rows, last %q", len(got), got[len(got)-1])
	}
}

func BenchmarkWriteRow(b *testing.B) {
	row := []string{"Әбілқайырова", "Гүлнұр", "870101300123", "+77011234567", "Алматы", "2024-01-01", "Ақтөбе облысы", "иә"}
	w := NewWriter(io.Discard)
	b.ReportAllocs()
	for b.Loop() {
		if err := w.WriteRow(row); err != nil && b.N < maxRows {
			b.Fatal(err)
		}
	}
	w.Close()
}

func BenchmarkRead(b *testing.B) {
	rows := make([][]string, 10_000)
	for i := range rows {
		rows[i] = []string{"Әбілқайырова", "Гүлнұр", strconv.Itoa(i), "+77011234567", "Алматы", "2024-01-01", "Ақтөбе облысы", "иә"}
	}
	file := write(b, rows)
	b.ReportAllocs()
	for b.Loop() {
		read(b, file)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rows)), "ns/row")
}

// zipOf makes a zip of the named parts, in order.
func zipOf(t testing.TB, parts ...string) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for i := 0; i < len(parts); i += 2 {
		f, err := z.Create(parts[i])
		if err == nil {
			_, err = io.WriteString(f, parts[i+1])
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const fixtureNS = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// fixtureParts is a workbook as Excel and LibreOffice write it: shared strings with rich
// text and phonetic guides, a custom date style, the sheet shown first stored in a
// part not called sheet1.xml, gaps, formulas and every kind of cell.
func fixtureParts(workbookPr, sheet string) []string {
	return []string{
		"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`,
		"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook ` + fixtureNS + `><fileVersion appName="xl"/>` + workbookPr + `<bookViews><workbookView activeTab="1"/></bookViews>
<sheets><sheet name="Адамдар" sheetId="3" r:id="rId3"/><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/people.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/" TargetMode="External"/>
</Relationships>`,
		"xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5">
<si><t>Тегі</t></si>
<si><t xml:space="preserve"> Туған күні </t></si>
<si><r><rPr><b/><sz val="11"/></rPr><t>Әбіл</t></r><r><rPr><i/></rPr><t xml:space="preserve">қайырова </t></r><r><t>Гүлнұр</t></r></si>
<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>
<si><t>line_x000D_
two _x005F_x0041_</t></si>
</sst>`,
		"xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="4"><numFmt numFmtId="164" formatCode="dd\.mm\.yyyy;@"/><numFmt numFmtId="165" formatCode="[h]:mm:ss"/><numFmt numFmtId="166" formatCode="#,##0.00\ &quot;₸&quot;"/><numFmt numFmtId="167" formatCode="DD/MM/YY\ HH:MM"/></numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<cellStyleXfs count="2"><xf numFmtId="0" fontId="0"/><xf numFmtId="14" fontId="0"/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0" fontId="0" xfId="0"/><xf numFmtId="164" fontId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="14" fontId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" xfId="0"/><xf numFmtId="166" fontId="0" xfId="0"/><xf numFmtId="167" fontId="0" xfId="0"/></cellXfs>
<dxfs count="1"><dxf><numFmt numFmtId="14" formatCode="m/d/yyyy"/></dxf></dxfs>
</styleSheet>`,
		"xl/worksheets/sheet1.xml", `<worksheet ` + fixtureNS + `><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>not the first sheet</t></is></c></row></sheetData></worksheet>`,
		"xl/worksheets/people.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet ` + fixtureNS + `><dimension ref="A1:H6"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>
<sheetData>` + sheet + `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`,
	}
}

func TestReadExcelFixture(t *testing.T) {
	sheet := `
<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" s="0" t="s"><v>4</v></c></row>
<row r="2" spans="1:8"><c r="A2" t="s"><v>2</v></c><c r="B2" s="1"><v>45292</v></c><c r="D2"><v>8.70101300123E11</v></c><c r="E2" t="b"><v>1</v></c><c r="F2" t="b"><v>0</v></c><c r="G2" s="1"/><c r="H2" s="3"/></row>
<row r="4" customFormat="false" ht="12.8" hidden="false"><c r="B4" s="2" t="n"><v>61</v></c><c s="2"><v>1</v></c><c r="E4" t="s"><v>3</v></c><c><v>0.1</v></c><c r="H4" t="inlineStr"><is><t>тек  мәтін</t></is></c></row>
<row r="5"><c r="A5" t="str"><f>A1&amp;"!"</f><v>Тегі!</v></c><c r="B5" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="C5" s="3"><v>0.5</v></c><c r="D5" s="4"><v>1234.5</v></c><c r="E5" s="5"><v>45292.75</v></c><c r="F5"><v>-1.5E-3</v></c><c r="G5" s="1"><v>-1</v></c></row>
<row r="6"><c r="A6" s="1"/></row>
`
	got := read(t, zipOf(t, fixtureParts(`<workbookPr defaultThemeVersion="124226"/>`, sheet)...))
	want := [][]string{
		{"Тегі", " Туған күні ", "line\r\ntwo _x0041_"},
		{"Әбілқайырова Гүлнұр", "2024-01-01", "", "870101300123", "TRUE", "FALSE"},
		nil,
		{"", "1900-03-01", "1900-01-01", "", "東京", "0.1", "", "тек  мәтін"},
		{"Тегі!", "#DIV/0!", "0.5", "1234.5", "2024-01-01 18:00:00", "-0.0015", "-1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}

	// Old Mac workbooks count days from 1904.
	got = read(t, zipOf(t, fixtureParts(`<workbookPr date1904="1"/>`, `<row><c s="1"><v>0</v></c><c s="1"><v>43830</v></c></row>`)...))
	if want := [][]string{{"1904-01-01", "2024-01-01"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("1904: got %q, want %q", got, want)
	}
}

func TestDateFormats(t *testing.T) {
	for code, want := range map[string]bool{
		"dd.mm.yyyy": true, `dd\.mm\.yyyy;@`: true, "DD/MM/YY": true, "mmm-yy": true, "mmmm": true,
		"[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy": true, "yyyy-mm-dd h:mm": true,
		"General": false, "0.00": false, "h:mm": false, "[h]:mm:ss": false, "mm:ss": false,
		`#,##0.00\ "₸"`: false, `0" дней"`: false, `[Red]0.00`: false, "@": false, `_-* #,##0_-`: false,
	} {
		if isDateFormat(code) != want {
			t.Errorf("isDateFormat(%q) = %v", code, !want)
		}
	}
}

func randomBytes(t *testing.T, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// The worksheet's tab names what it holds, in the reader's language; a name Excel would
// refuse (too long, a forbidden character, markup) is made one it accepts, and the file
// still reads back.
func TestSheetName(t *testing.T) {
	for name, want := range map[string]string{
		"Адамдар":        "Адамдар",
		"":               "1",
		"  ":             "1",
		"a/b:c*d?e[f]\\": "abcdef",
		`<x & "y">`:      `<x & "y">`,
		"Жұмабаева Айжан Серікқызы тізімі ұзын": "Жұмабаева Айжан Серікқызы тізім",
	} {
		var buf bytes.Buffer
		w := NewWriter(&buf)
		w.Sheet = name
		if err := w.WriteRow([]string{"Аты"}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		f, err := z.Open("xl/workbook.xml")
		if err != nil {
			t.Fatal(err)
		}
		var wb struct {
			Sheets []struct {
				Name string `xml:"name,attr"`
			} `xml:"sheets>sheet"`
		}
		if err := xml.NewDecoder(f).Decode(&wb); err != nil || len(wb.Sheets) != 1 || wb.Sheets[0].Name != want {
			t.Errorf("sheet %q is named %+v (%v), want %q", name, wb.Sheets, err, want)
		}
		if rows := read(t, buf.Bytes()); len(rows) != 1 || rows[0][0] != "Аты" {
			t.Errorf("sheet %q: read back %v", name, rows)
		}
	}
}
