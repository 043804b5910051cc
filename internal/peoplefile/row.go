package peoplefile

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/geo"
	"github.com/birge-org/birge/internal/i18n"
)

// People reads every row with the columns mapped to fields. A cell that cannot be read
// (a date in no known format, a region nobody has heard of) becomes a problem on its
// field; everything else is left for the store to validate with the same rules as the
// form.
// Categories are recognised by code or by name in any of the four languages, from the
// list of the organisation the file is imported into.
func People(t Table, mapping []string, cats birge.CategoryList) []birge.ImportRow {
	idx := categoryIndex(cats)
	out := make([]birge.ImportRow, len(t.Rows))
	for i, cells := range t.Rows {
		out[i] = readRow(cells, mapping, i+2, idx)
	}
	return out
}

// Row reads one row; line is its line in the file.
func Row(cells, mapping []string, line int, cats birge.CategoryList) birge.ImportRow {
	return readRow(cells, mapping, line, categoryIndex(cats))
}

// categoryIndex maps the folded codes and names of categories to their codes.
func categoryIndex(cats birge.CategoryList) map[string]string {
	idx := map[string]string{}
	for _, c := range cats {
		for _, name := range []string{c.Code, c.Names.KK, c.Names.RU, c.Names.KY, c.Names.EN} {
			if name != "" {
				idx[fold(name)] = c.Code
			}
		}
	}
	return idx
}

func readRow(cells, mapping []string, line int, cats map[string]string) birge.ImportRow {
	r := birge.ImportRow{Line: line, Problems: birge.Problems{}}
	p := &r.Person
	for i, field := range mapping {
		if field == "" || i >= len(cells) {
			continue
		}
		v := strings.TrimSpace(cells[i])
		if v == "" {
			continue
		}
		switch field {
		case "family_name":
			p.FamilyName = v
		case "given_name":
			p.GivenName = v
		case "patronymic":
			p.Patronymic = v
		case "full_name":
			p.FamilyName, p.GivenName, p.Patronymic = splitFullName(v)
		case "sex":
			p.Sex = lookupValue(v, "sex", &r)
		case "birth_date":
			if p.BirthDate = readDate(v); p.BirthDate == "" {
				r.Problems.Add(field, "field.date")
			}
		case "birth_year":
			p.BirthYear = readInt(v, field, &r)
		case "iin":
			p.IIN = digits(v)
		case "pin":
			p.PIN = digits(v)
		case "phones":
			p.Phones = strings.FieldsFunc(v, func(c rune) bool { return c == ';' || c == ',' || c == '\n' || c == '/' })
		case "email":
			p.Email = v
		case "center":
			r.Center = v
		case "region":
			p.Region = lookupPlace(v, false)
		case "district":
			p.District = lookupPlace(v, true)
		case "settlement":
			p.Settlement = v
		case "rural":
			p.Rural = lookupValue(v, "yesno", &r) == "yes"
		case "children":
			n := readInt(v, field, &r)
			p.Children = &n
		case "income_band":
			p.IncomeBand = lookupValue(v, field, &r)
		case "categories":
			for _, c := range strings.FieldsFunc(v, func(c rune) bool { return c == ';' || c == ',' || c == '\n' }) {
				if code, ok := cats[fold(c)]; ok {
					p.Categories = append(p.Categories, code)
				} else {
					r.Problems.Add(field, "field.choose")
				}
			}
		}
	}
	return r
}

// splitFullName reads "Family Given Patronymic", the order of Central Asian documents;
// a patronymic of more than one word ("Серікқызы" is one, "Асан кызы" two) keeps the rest.
func splitFullName(v string) (family, given, patronymic string) {
	words := strings.Fields(v)
	switch len(words) {
	case 1:
		return "", words[0], ""
	case 2:
		return words[0], words[1], ""
	}
	return words[0], words[1], strings.Join(words[2:], " ")
}

// readDate accepts ISO dates and the day-first forms of the region (15.03.1985, 15/03/1985).
func readDate(v string) string {
	for _, layout := range []string{time.DateOnly, "02.01.2006", "2.1.2006", "02/01/2006", "2/1/2006"} {
		if d, err := time.Parse(layout, v); err == nil {
			return d.Format(time.DateOnly)
		}
	}
	return ""
}

func readInt(v, field string, r *birge.ImportRow) int {
	n, err := strconv.Atoi(v)
	if err != nil {
		r.Problems.Add(field, "field.number")
	}
	return n
}

// digits drops the spaces and dashes people type inside identity numbers, and the ".0"
// a spreadsheet adds to a number it stored as a float.
func digits(v string) string {
	v = strings.TrimSuffix(v, ".0")
	return strings.Map(func(c rune) rune {
		if c == ' ' || c == '-' || c == '\u00a0' {
			return -1
		}
		return c
	}, v)
}

// valueWords are the words, in the four languages, that mean a value of a closed list
// beyond the catalog labels: what people write in a "sex" or a yes/no column.
var valueWords = map[string]map[string][]string{
	"sex": {
		"female": {"f", "ж", "жен", "женщина", "әйел", "ә", "аял", "woman"},
		"male":   {"m", "м", "муж", "мужчина", "ер", "е", "эркек", "э", "man"},
	},
	"yesno": {
		"yes": {"yes", "y", "true", "1", "+", "да", "д", "иә", "ия", "ооба", "v", "x", "✓"},
		"no":  {"no", "n", "false", "0", "-", "нет", "н", "жоқ", "жок"},
	},
}

// valueIndex maps each list's folded words and labels (in every language) to codes.
var valueIndex = sync.OnceValue(func() map[string]map[string]string {
	idx := map[string]map[string]string{}
	add := func(list, text, code string) {
		if idx[list] == nil {
			idx[list] = map[string]string{}
		}
		idx[list][fold(text)] = code
	}
	labelled := func(list, prefix string, codes []string) {
		for _, code := range codes {
			add(list, code, code)
			for _, lang := range i18n.Langs {
				add(list, i18n.Raw(lang, prefix+code), code)
			}
		}
	}
	labelled("sex", "person.sex.", birge.Sexes)
	labelled("income_band", "person.income.", birge.IncomeBands)
	for list, values := range valueWords {
		for code, words := range values {
			for _, w := range words {
				add(list, w, code)
			}
		}
	}
	return idx
})

// fold compares values the way names are compared, and keeps symbols such as "+" that
// NameKey would drop.
func fold(s string) string {
	if k := birge.NameKey(s); k != "" {
		return k
	}
	return strings.TrimSpace(s)
}

// lookupValue reads a value of a closed list; an unknown one is a problem on field.
func lookupValue(v, list string, r *birge.ImportRow) string {
	code, ok := valueIndex()[list][fold(v)]
	if !ok {
		field := list
		if list == "yesno" {
			field = "rural"
		}
		r.Problems.Add(field, "field.choose")
	}
	return code
}

// placeIndex maps folded region and district names, in every language, and their codes
// to codes. Kyrgyz districts are free text and stay as typed.
var placeIndex = sync.OnceValue(func() [2]map[string]string {
	regions, districts := map[string]string{}, map[string]string{}
	names := func(m map[string]string, code string, n geo.Names) {
		m[fold(code)] = code
		for _, s := range []string{n.KK, n.RU, n.KY, n.EN} {
			if s != "" {
				m[placeKey(s)] = code
			}
		}
	}
	for _, country := range geo.Countries {
		for _, r := range geo.Regions(country) {
			names(regions, r.Code, r.Names)
			for _, d := range geo.Districts(r.Code) {
				names(districts, d.Code, d.Names)
			}
		}
	}
	return [2]map[string]string{regions, districts}
})

// lookupPlace returns the code of a region or district named in any language, or the
// text as typed: validation then says the region is unknown, or keeps a Kyrgyz district.
func lookupPlace(v string, district bool) string {
	m := placeIndex()[0]
	if district {
		m = placeIndex()[1]
	}
	if code, ok := m[fold(v)]; ok {
		return code
	}
	if code, ok := m[placeKey(v)]; ok {
		return code
	}
	return v
}

// placeWords are the words around a place's name — "Ақтөбе облысы", "Каргалинский
// район", "Chui region" — folded as NameKey folds them; the reference data has the
// bare names. (Rayon folds to raion, as Aygerim to aigerim.)
var placeWords = map[string]bool{"oblysy": true, "oblast": true, "oblasti": true, "obl": true, "oblusu": true,
	"region": true, "audany": true, "raion": true, "r": true, "n": true, "district": true,
	"kalasy": true, "gorod": true, "g": true, "city": true, "shaary": true}

// placeKey folds a place name and drops the words around it.
func placeKey(s string) string {
	var words []string
	for _, w := range strings.Fields(birge.NameKey(s)) {
		if !placeWords[w] {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}
