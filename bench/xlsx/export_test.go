package xlsxbench

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/xlsx"
	"github.com/xuri/excelize/v2"
)

// What the donor exports need and Birge's writer does not do yet — numbers, dates,
// several sheets, number formats — excelize writes, and Birge's reader reads back as
// the user sees it: the first sheet, dates as YYYY-MM-DD, numbers in full.
func TestExcelizeExportReadBack(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Көрсеткіштер")
	f.NewSheet("Әдістеме")
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	money, _ := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	f.SetSheetRow("Көрсеткіштер", "A1", &[]any{"Көрсеткіш", "Күні", "Саны", "Сомасы, $"})
	f.SetCellStyle("Көрсеткіштер", "A1", "D1", bold)
	f.SetSheetRow("Көрсеткіштер", "A2", &[]any{"Гранттар", time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC), 52, 208000.5})
	f.SetCellStyle("Көрсеткіштер", "B2", "B2", date)
	f.SetCellStyle("Көрсеткіштер", "D2", "D2", money)
	f.SetCellValue("Әдістеме", "A1", "<5 деп көрсетілген сандар")
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := xlsx.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	want := [][]string{{"Көрсеткіш", "Күні", "Саны", "Сомасы, $"}, {"Гранттар", "2026-11-28", "52", "208000.5"}}
	if err != nil || !reflect.DeepEqual(rows, want) {
		t.Errorf("read back %q, %v; want %q", rows, err, want)
	}
}
