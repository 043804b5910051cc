package xlsxbench

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/xlsx"
	"github.com/xuri/excelize/v2"
)

// peopleRows is a people file as centres keep them: a heading and n rows of twelve
// columns, names in Kazakh and Russian, dates, identity numbers and phones as text.
func peopleRows(n int) [][]string {
	rows := [][]string{{"Тегі", "Аты", "Әкесінің аты", "Жынысы", "Туған күні", "ЖСН", "Телефон",
		"Облыс", "Аудан", "Елді мекен", "Ауылдық жерде тұрады", "Санаттар"}}
	for i := range n {
		rows = append(rows, []string{"Әбілқайырова", "Гүлнұр " + strconv.Itoa(i), "Серікқызы", "ә",
			fmt.Sprintf("%02d.%02d.19%02d", 1+i%28, 1+i%12, 50+i%50), fmt.Sprintf("85%010d", i), fmt.Sprintf("+7701%07d", i),
			"Ақтөбе облысы", "Қарғалы ауданы", "Бадамша", "иә", "Көпбалалы ана"})
	}
	return rows
}

func ownFile(rows [][]string) []byte {
	var buf bytes.Buffer
	w := xlsx.NewWriter(&buf)
	for _, r := range rows {
		w.WriteRow(r)
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// excelizeFile writes rows with excelize's StreamWriter, its way for large files.
func excelizeFile(rows [][]string) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		panic(err)
	}
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, c := range r {
			cells[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			panic(err)
		}
	}
	if err := sw.Flush(); err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// Readers: Birge's (with its default limits), excelize's GetRows (the whole sheet) and
// its row iterator (Rows, for large sheets). Each returns the rows it read.
var readers = map[string]func([]byte) (int, error){
	"birge": func(b []byte) (int, error) {
		rows, err := xlsx.Read(bytes.NewReader(b), int64(len(b)))
		return len(rows), err
	},
	"excelize GetRows": func(b []byte) (int, error) {
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			return 0, err
		}
		defer f.Close()
		rows, err := f.GetRows(f.GetSheetName(0))
		return len(rows), err
	},
	"excelize Rows": func(b []byte) (int, error) {
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			return 0, err
		}
		defer f.Close()
		rs, err := f.Rows(f.GetSheetName(0))
		if err != nil {
			return 0, err
		}
		defer rs.Close()
		n := 0
		for rs.Next() {
			if _, err := rs.Columns(); err != nil {
				return n, err
			}
			n++
		}
		return n, rs.Error()
	},
}

// The hostile set, as internal/xlsx/hostile_test.go builds it: a workbook whose part
// is prefix and unit repeated to size bytes, compressed.
const sheetData = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`

var hostile = []struct {
	name, part, prefix, unit string
	size                     int64
}{
	{"zip bomb of spaces (300 MB)", "xl/worksheets/sheet1.xml", sheetData, " ", 300 << 20},
	{"CDATA with '<' in it (200 MB)", "xl/worksheets/sheet1.xml", sheetData + `<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[`, "aaaaaaa<", 200 << 20},
	{"a comment with '<' in it (200 MB)", "xl/worksheets/sheet1.xml", sheetData + "<!--", "aaaaaaa<", 200 << 20},
	{"a cell of many CDATA sections (200 MB)", "xl/worksheets/sheet1.xml", sheetData + `<row r="1"><c r="A1" t="inlineStr"><is><t>`, "<![CDATA[aaaaaaaaaaaaaaa]]>", 200 << 20},
	{"a huge shared string (200 MB)", "xl/sharedStrings.xml", "<sst><si><t>", "әәәә<![CDATA[<>]]>", 200 << 20},
	{"many large shared strings (200 MB)", "xl/sharedStrings.xml", "<sst>", "<si><t>" + strings.Repeat("ә", 30000) + "</t></si>", 200 << 20},
	{"a million columns (15 MB)", "xl/worksheets/sheet1.xml", sheetData + "<row>", `<c><v>1</v></c>`, 15 << 20},
	{"a row of 16 million empty cells (64 MB)", "xl/worksheets/sheet1.xml", sheetData + "<row>", `<c/>`, 64 << 20},
	{"many cells (64 MB)", "xl/worksheets/sheet1.xml", sheetData, `<row><c><v>1</v></c><c><v>2</v></c></row>`, 64 << 20},
}

func hostileFile(name string) []byte {
	for _, h := range hostile {
		if h.name == name {
			return bomb(h.part, h.prefix, h.unit, h.size)
		}
	}
	panic("no hostile file " + name)
}

var parts = []string{
	"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
	"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
	"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
	"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
	"xl/sharedStrings.xml", `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>a</t></si></sst>`,
	"xl/worksheets/sheet1.xml", sheetData + `<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`,
}

func bomb(part, prefix, unit string, size int64) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
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
