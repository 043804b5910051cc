package peoplefile

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/xlsx"
)

// The same file headed in each language, as saved by Excel in each locale, reads the same.
func TestHeadingsInFourLanguages(t *testing.T) {
	headings := map[string]string{
		"kk": "Тегі;Аты;Әкесінің аты;Жынысы;Туған күні;ЖСН;Телефондар;Облыс;Аудан;Ауылдық жерде тұрады;Санаттар",
		"ru": "Фамилия;Имя;Отчество;Пол;Дата рождения;ИИН;Телефон;Область;Район;Сельская местность;Категории",
		"ky": "Фамилиясы;Аты;Атасынын аты;Жынысы;Туулган күнү;ИИН;Телефондор;Облус;Район;Айылдык жерде жашайт;Категориялар",
		"en": "Family name;Given name;Patronymic;Sex;Date of birth;IIN;Phone;Region;District;Rural;Categories",
	}
	want := []string{"family_name", "given_name", "patronymic", "sex", "birth_date", "iin", "phones", "region",
		"district", "rural", "categories"}
	for lang, h := range headings {
		got := Columns(strings.Split(h, ";"))
		for i, f := range want {
			if got[i] != f {
				t.Errorf("%s: column %q read as %q, want %q", lang, strings.Split(h, ";")[i], got[i], f)
			}
		}
	}
}

func TestReadRow(t *testing.T) {
	header := "ФИО;Пол;Дата рождения;ИИН;Телефон;Область;Район;Село;Ауылдық;Категория;Дети\n"
	row := "Жұмабаева Айжан Серікқызы;ж;15.03.1985;8503 1540 1231;8 701 123 45 67, +7 (702) 1234567;Ақтөбе облысы;Қарғалы ауданы;Бадамша;иә;Сельская жительница, Безработная;2\n"
	for name, data := range map[string][]byte{
		"utf-8":     []byte(header + row),
		"utf-8 bom": append([]byte("\uFEFF"), header+row...),
	} {
		tab, err := Read(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		r := People(tab, Columns(tab.Header), defaults())[0]
		p := r.Person
		if len(r.Problems) > 0 || p.GivenName != "Айжан" || p.Sex != "female" || p.BirthDate != "1985-03-15" ||
			p.IIN != "850315401231" || len(p.Phones) != 2 || p.Settlement != "Бадамша" || !p.Rural ||
			len(p.Categories) != 2 || p.Children == nil || *p.Children != 2 || r.Line != 2 {
			t.Errorf("%s: read %+v, problems %v", name, p, r.Problems)
		}
		if p.FamilyName != "Жұмабаева" || p.Patronymic != "Серікқызы" {
			t.Errorf("%s: name split as %q %q %q", name, p.FamilyName, p.GivenName, p.Patronymic)
		}
		if p.Region == "" || p.District == "" || strings.ContainsAny(p.Region+p.District, "аоы") {
			t.Errorf("%s: region %q, district %q: want the codes", name, p.Region, p.District)
		}
	}
}

// Excel in a Russian locale saves CSV in Windows-1251, separated by semicolons.
func TestReadWindows1251(t *testing.T) {
	data := must(charmap.Windows1251.NewEncoder().Bytes([]byte("Фамилия;Имя;Отчество;Пол\nИванова;Ольга;Сергеевна;Женский\n")))
	tab, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	p := People(tab, Columns(tab.Header), defaults())[0].Person
	if p.FamilyName != "Иванова" || p.Patronymic != "Сергеевна" || p.Sex != "female" {
		t.Errorf("from Windows-1251: %+v", p)
	}
}

func TestBadCells(t *testing.T) {
	tab, err := Read([]byte("Имя,Пол,Дата рождения,Дети\nАйжан,может быть,31.02.1985,много\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := People(tab, Columns(tab.Header), defaults())[0]
	want := birge.Problems{"sex": "field.choose", "birth_date": "field.date", "children": "field.number"}
	for f, key := range want {
		if r.Problems[f] != key {
			t.Errorf("%s: %q, want %q (all: %v)", f, r.Problems[f], key, r.Problems)
		}
	}
}

func TestReadXLSX(t *testing.T) {
	var buf bytes.Buffer
	w := xlsx.NewWriter(&buf)
	w.WriteRow([]string{"Тегі", "Аты", "ЖСН"})
	w.WriteRow([]string{"Омарова", "Динара", "921107404560"})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	tab, err := Read(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	p := People(tab, Columns(tab.Header), defaults())[0].Person
	if p.FamilyName != "Омарова" || p.GivenName != "Динара" || p.IIN != "921107404560" {
		t.Errorf("from XLSX: %+v", p)
	}
}

func TestNotATable(t *testing.T) {
	for name, data := range map[string][]byte{
		"empty":       nil,
		"header only": []byte("Имя\n"),
		"binary":      {0x89, 'P', 'N', 'G', 0, 0, 0, 13},
		"broken xlsx": []byte("PK\x03\x04 not really"),
	} {
		if _, err := Read(data); birge.AsError(err).Fields["file"] == "" {
			t.Errorf("%s: %v, want a problem on the file field", name, err)
		}
	}
	if err := CheckColumns([]string{"family_name", "family_name", "given_name"}); err == nil {
		t.Error("a field mapped twice was accepted")
	}
	if err := CheckColumns([]string{"family_name", ""}); err == nil {
		t.Error("a mapping with no name column was accepted")
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// defaults is the default list as the store gives it: named by the catalog.
func defaults() birge.CategoryList {
	var out birge.CategoryList
	for _, c := range birge.DefaultCategories {
		key := "category." + c.Code
		c.Names = birge.Names{KK: i18n.Raw("kk", key), RU: i18n.Raw("ru", key), KY: i18n.Raw("ky", key), EN: i18n.Raw("en", key)}
		out = append(out, c)
	}
	return out
}

// An organisation's own category is read by its name in any language or its code; one
// of another organisation's is not a category at all.
func TestReadOwnCategory(t *testing.T) {
	own := append(defaults(), birge.Category{Code: "refugee", Names: birge.Names{KK: "Босқын", RU: "Беженка", KY: "Качкын", EN: "Refugee"}})
	tab, err := Read([]byte("Имя;Категории\nАйжан;беженка, Безработная\nДина;REFUGEE\nСауле;Мигрантка\n"))
	if err != nil {
		t.Fatal(err)
	}
	rows := People(tab, Columns(tab.Header), own)
	if got := rows[0].Person.Categories; len(rows[0].Problems) > 0 || len(got) != 2 || got[0] != "refugee" || got[1] != "unemployed" {
		t.Errorf("by Russian name: %v, problems %v", got, rows[0].Problems)
	}
	if got := rows[1].Person.Categories; len(got) != 1 || got[0] != "refugee" {
		t.Errorf("by code: %v, problems %v", got, rows[1].Problems)
	}
	if rows[2].Problems["categories"] != "field.choose" {
		t.Errorf("unknown category: problems %v", rows[2].Problems)
	}
	if r := People(tab, Columns(tab.Header), defaults())[0]; r.Problems["categories"] != "field.choose" {
		t.Errorf("another organisation's category: problems %v", r.Problems)
	}
}
