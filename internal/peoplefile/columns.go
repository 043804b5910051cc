package peoplefile

import (
	"strings"
	"sync"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
)

// Fields are what a column can hold, in the order a template lists them. The names are
// the API's field names; full_name is a single "ФИО" column, split into its parts.
var Fields = []string{"family_name", "given_name", "patronymic", "full_name", "sex", "birth_date",
	"birth_year", "iin", "pin", "phones", "email", "center", "region", "district", "settlement",
	"rural", "children", "income_band", "categories"}

// LabelKey is the catalog key of each field's label: the same words as the form's, so
// that a file made from the form's headings, in any language, maps by itself.
var LabelKey = map[string]string{
	"family_name": "person.family_name", "given_name": "person.given_name",
	"patronymic": "person.patronymic", "full_name": "person.name", "sex": "person.sex",
	"birth_date": "person.birth_date", "birth_year": "person.birth_year", "iin": "person.iin",
	"pin": "person.pin", "phones": "person.phones", "email": "user.email", "center": "person.center",
	"region": "center.region", "district": "center.district", "settlement": "person.settlement",
	"rural": "person.rural", "children": "person.children", "income_band": "person.income_band",
	"categories": "person.categories",
}

// moreHeaders are headings people write that are not the form's labels. They are data
// for recognising files, never shown.
var moreHeaders = map[string][]string{
	"full_name":   {"ФИО", "Ф.И.О.", "Аты-жөні", "Толук аты-жөнү", "Аты-жөнү", "Full name", "Name"},
	"family_name": {"Фамилия", "Surname", "Last name"},
	"given_name":  {"Имя", "First name"},
	"patronymic":  {"Отчество", "Middle name"},
	"birth_date":  {"Дата рождения", "Date of birth", "DOB", "Birth date"},
	"iin":         {"ИИН", "IIN", "ЖСН"},
	"pin":         {"ПИН", "PIN", "ИНН"},
	"phones":      {"Телефон", "Тел", "Phone", "Mobile", "Мобильный", "Ұялы телефон", "Уюлдук телефон"},
	"email":       {"Email", "E-mail", "Почта", "Эл. почта"},
	"center":      {"Центр", "Centre", "Center", "Орталық", "Борбор", "center_id"},
	"region":      {"Область", "Облыс", "Облус", "Region", "Oblast"},
	"district":    {"Район", "Аудан", "District"},
	"settlement":  {"Населённый пункт", "Населенный пункт", "Село", "Город", "Ауыл", "Айыл", "Settlement", "Village", "City"},
	"sex":         {"Пол", "Жынысы", "Sex", "Gender"},
	"children":    {"Дети", "Балалар", "Балдар", "Children"},
	"rural":       {"Ауылдық", "Айылдык", "Сельская", "Сельская местность", "Село/город", "Rural"},
	"categories":  {"Категория", "Категории", "Санат", "Category"},
}

// headerIndex maps a folded heading to its field: every language's label, with and
// without its parenthesised hint, the API name, and moreHeaders.
var headerIndex = sync.OnceValue(func() map[string]string {
	idx := map[string]string{}
	add := func(text, field string) {
		if k := birge.NameKey(text); k != "" {
			if _, taken := idx[k]; !taken {
				idx[k] = field
			}
		}
	}
	for _, f := range Fields {
		add(f, f)
		add(strings.ReplaceAll(f, "_", " "), f)
		for _, lang := range i18n.Langs {
			label := i18n.Raw(lang, LabelKey[f])
			add(label, f)
			if before, _, ok := strings.Cut(label, "("); ok {
				add(before, f)
			}
		}
		for _, h := range moreHeaders[f] {
			add(h, f)
		}
	}
	return idx
})

// Columns guesses the field of each column from its heading; "" where it cannot, and
// for a second column of a field already taken, so no value is read twice.
func Columns(header []string) []string {
	idx := headerIndex()
	out := make([]string, len(header))
	taken := map[string]bool{}
	for i, h := range header {
		if f := idx[birge.NameKey(h)]; f != "" && !taken[f] {
			out[i], taken[f] = f, true
		}
	}
	return out
}

// CheckColumns reports what is wrong with a mapping: a field chosen twice, no name at all.
func CheckColumns(mapping []string) error {
	seen := map[string]bool{}
	for _, f := range mapping {
		if f == "" {
			continue
		}
		if seen[f] || LabelKey[f] == "" {
			return fileProblem("import.mapping_twice")
		}
		seen[f] = true
	}
	if !seen["given_name"] && !seen["full_name"] {
		return fileProblem("import.no_name_column")
	}
	return nil
}
