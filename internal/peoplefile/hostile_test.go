package peoplefile

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/testenv"
	"github.com/birge-org/birge/internal/xlsx"
)

// Files too wide, too long or with a cell too large are refused at upload, beside the
// file field, before they take the memory: the 9.9 MB CSV of a million empty
// heading columns was accepted, and its import page then rendered a million columns.
func TestReadRefusesOversizedFiles(t *testing.T) {
	head := "Имя,Фамилия\n"
	wideXLSX := func(n int) []byte {
		var buf bytes.Buffer
		w := xlsx.NewWriter(&buf)
		w.WriteRow(append([]string{"Имя"}, make([]string, n-2)...))
		w.WriteRow(append([]string{"Айжан"}, append(make([]string, n-2), "x")...))
		w.Close()
		return buf.Bytes()
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"a million heading columns", []byte(strings.Repeat(",", 9_900_000) + "\nАйжан\n"), "import.too_many_columns"},
		{"101 columns in a row below", []byte(head + "Айжан" + strings.Repeat(",", 100) + "\n"), "import.too_many_columns"},
		{"101 columns, the last one empty at the end", []byte(head + "Айжан" + strings.Repeat(",", 100)), "import.too_many_columns"},
		{"a cell of 8 KB and one byte", []byte(head + strings.Repeat("ы", 4096) + "a,b\n"), "import.cell_too_long"},
		{"a quoted cell with newlines", []byte(head + `"` + strings.Repeat("ы\n", 3000) + `",b` + "\n"), "import.cell_too_long"},
		{"200,001 rows", []byte(head + strings.Repeat("Айжан,А\n", MaxRows+1)), "import.too_many_rows"},
		{"many cells", []byte(head + strings.Repeat(strings.Repeat(",", 99)+"\n", 150_000)), "import.too_large"},
		{"an XLSX of 101 columns", wideXLSX(101), "import.too_many_columns"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			start := time.Now()
			peak := testenv.PeakHeap(func() { _, err = Read(c.data) })
			if got := birge.AsError(err).Fields["file"]; got != c.want {
				t.Fatalf("got %v, want %s", err, c.want)
			}
			t.Logf("%d KB: refused in %v, heap grew at most %d MB", len(c.data)>>10, time.Since(start), peak>>20)
			if peak > 64<<20 {
				t.Errorf("reading took %d MB", peak>>20)
			}
		})
	}
}

// What fits the limits is read as encoding/csv reads it: separators and line ends inside
// quotes are text (CRLF read as LF), a stray quote too, and a file exactly at the
// limits is accepted.
func TestReadAtTheLimits(t *testing.T) {
	quoted := `"` + strings.Repeat(`a,"";`, 200) + "\r\n" + `"`
	data := []byte("Имя,Заметка" + strings.Repeat(",", MaxColumns-2) + "\n" +
		"Айжан," + quoted + strings.Repeat(",", MaxColumns-2) + "\r\n" +
		strings.Repeat("ы", MaxCell/2) + ",\"b\"c\"\n")
	tab, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Header) != MaxColumns || len(tab.Rows) != 2 || len(tab.Rows[0]) != MaxColumns ||
		tab.Rows[0][1] != strings.Repeat(`a,";`, 200)+"\n" || tab.Rows[1][1] != `b"c` {
		t.Errorf("read %d columns, %d rows, cells %.40q and %q", len(tab.Header), len(tab.Rows), tab.Rows[0][1], tab.Rows[1][1])
	}
}

// The limits leave room for a genuine large file: 100,000 people in 12 columns of
// Kazakh names and places, as XLSX and as CSV.
func TestRead100000People(t *testing.T) {
	if testing.Short() {
		t.Skip("seconds of work")
	}
	var buf bytes.Buffer
	var csvFile strings.Builder
	w := xlsx.NewWriter(&buf)
	head := []string{"Тегі", "Аты", "Әкесінің аты", "Жынысы", "Туған күні", "ЖСН", "Телефон", "Облыс", "Аудан", "Елді мекен", "Ауылдық жерде тұрады", "Санаттар"}
	w.WriteRow(head)
	csvFile.WriteString(strings.Join(head, ";") + "\n")
	for i := range 100_000 {
		row := []string{"Әбілқайырова", "Гүлнұр " + strconv.Itoa(i), "Серікқызы", "ә", "15.03.1985", fmt.Sprintf("85%010d", i),
			fmt.Sprintf("+7701%07d", i), "Ақтөбе облысы", "Қарғалы ауданы", "Бадамша", "иә", "Көпбалалы ана"}
		w.WriteRow(row)
		csvFile.WriteString(strings.Join(row, ";") + "\n")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"xlsx": buf.Bytes(), "csv": []byte(csvFile.String())} {
		var tab Table
		var err error
		peak := testenv.PeakHeap(func() { tab, err = Read(data) })
		if err != nil || len(tab.Rows) != 100_000 || len(tab.Rows[99_999]) != 12 {
			t.Fatalf("%s: %d rows, %v", name, len(tab.Rows), err)
		}
		t.Logf("%s of %d KB: read with the heap grown by at most %d MB", name, len(data)>>10, peak>>20)
	}
}
