package peoplefile

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
)

func exported(t *testing.T, format, lang string, people ...birge.Person) []byte {
	t.Helper()
	p := i18n.For(lang)
	var buf bytes.Buffer
	w := NewWriter(format, &buf, "Адамдар")
	if err := w.WriteRow(ExportHeader(p)); err != nil {
		t.Fatal(err)
	}
	for _, x := range people {
		if err := w.WriteRow(ExportRow(p, map[int64]string{7: "Ақтөбе отбасы орталығы"}, map[int64]birge.CategoryList{0: defaults()}, x)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// An exported file, in either format and any language, reads back through the import
// with every column it knows mapped by itself and the same values.
func TestExportReadsBackAsImport(t *testing.T) {
	children := 3
	x := birge.Person{ID: 42, CenterID: 7, FamilyName: "Жұмабаева", GivenName: "Айжан", Patronymic: "Серікқызы",
		Sex: "female", BirthDate: "1985-03-15", BirthYear: 1985, IIN: "8503••••1231", Phones: []string{"+77011234567", "+77021234567"},
		Email: "a@example.kz", Country: "KZ", Region: "KZ15", District: "KZ154000", Settlement: "Бадамша", Rural: true,
		Children: &children, IncomeBand: "low", Categories: []string{"dv_survivor", "rural"}}
	for _, format := range []string{"csv", "xlsx"} {
		for _, lang := range i18n.Langs {
			table, err := Read(exported(t, format, lang, x))
			if err != nil {
				t.Fatalf("%s %s: %v", format, lang, err)
			}
			mapping := Columns(table.Header)
			for i, f := range ExportFields {
				if _, known := LabelKey[f]; known && mapping[i] != f {
					t.Errorf("%s %s: column %q maps to %q", format, lang, table.Header[i], mapping[i])
				}
			}
			row := Row(table.Rows[0], mapping, 2, defaults())
			got := row.Person
			for i := range got.Phones {
				got.Phones[i] = strings.TrimSpace(got.Phones[i]) // as validation does
			}
			if got.FamilyName != x.FamilyName || got.Sex != "female" || got.BirthDate != x.BirthDate ||
				!slices.Equal(got.Phones, x.Phones) || got.Region != "KZ15" || got.District != "KZ154000" || !got.Rural ||
				got.Children == nil || *got.Children != 3 || got.IncomeBand != "low" ||
				!slices.Equal(got.Categories, x.Categories) || row.Center != "Ақтөбе отбасы орталығы" {
				t.Errorf("%s %s: read back %+v (centre %q, problems %v)", format, lang, got, row.Center, row.Problems)
			}
			if delete(row.Problems, "iin"); len(row.Problems) != 0 { // the masked number is not a number
				t.Errorf("%s %s: problems reading back: %v", format, lang, row.Problems)
			}
		}
	}
}

// CSV for Excel: a byte-order mark, CRLF, and no cell that Excel would run as a formula.
func TestExportCSVForExcel(t *testing.T) {
	b := exported(t, "csv", "ru", birge.Person{ID: 1, GivenName: "=HYPERLINK(\"http://x\")", FamilyName: "@SUM(1)",
		Phones: []string{"+77011234567"}, Settlement: "-1+2"})
	if !bytes.HasPrefix(b, []byte("\uFEFF")) {
		t.Error("no byte-order mark")
	}
	if n, crlf := bytes.Count(b, []byte("\n")), bytes.Count(b, []byte("\r\n")); n != 2 || crlf != 2 {
		t.Errorf("%d lines, %d ending in CRLF; want 2 and 2", n, crlf)
	}
	s := string(b)
	for _, want := range []string{`"'=HYPERLINK(""http://x"")"`, "'@SUM(1)", "'-1+2", ",+77011234567,", "Нет"} {
		if !strings.Contains(s, want) {
			t.Errorf("CSV lacks %s:\n%s", want, s)
		}
	}
}
