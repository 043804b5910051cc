// Package i18n speaks Kazakh, Russian, Kyrgyz and English. Messages live in one JSON
// catalog per language under catalog/; a test fails when a key, a plural form or a
// placeholder is missing from any of them. Placeholders are named ({name}) so translators
// can move them, and plurals follow CLDR rules.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed catalog/*.json
var catalogFiles embed.FS

// Langs in the order the switcher shows them; the first is the default.
var Langs = []string{"kk", "ru", "ky", "en"}

// entry is a message: one text, or one per plural category.
type entry struct {
	text   string
	plural map[string]string
}

func (e *entry) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &e.text); err == nil {
		return nil
	}
	return json.Unmarshal(b, &e.plural)
}

// Printer formats messages, dates and numbers in one language.
type Printer struct {
	Lang     string
	msgs     map[string]entry
	fallback map[string]entry
	num      *message.Printer
	tag      language.Tag
}

var printers = map[string]*Printer{}

func init() {
	catalogs := map[string]map[string]entry{}
	for _, l := range Langs {
		b, err := catalogFiles.ReadFile("catalog/" + l + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]entry{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("i18n: catalog %s: %v", l, err))
		}
		catalogs[l] = m
	}
	for _, l := range Langs {
		tag := language.MustParse(l)
		printers[l] = &Printer{Lang: l, msgs: catalogs[l], fallback: catalogs["en"], num: message.NewPrinter(tag), tag: tag}
	}
}

// For returns the printer of lang, or of the default language for an unknown one.
func For(lang string) *Printer {
	if p, ok := printers[lang]; ok {
		return p
	}
	return printers[Langs[0]]
}

// Has reports whether key exists (in English, the reference catalog).
func (p *Printer) Has(key string) bool {
	_, ok := p.fallback[key]
	return ok
}

// T returns the message for key with {placeholders} filled from name/value pairs.
// A missing key shows itself, so that it is noticed rather than silently blank.
func (p *Printer) T(key string, pairs ...any) string {
	e, ok := p.msgs[key]
	if !ok {
		if e, ok = p.fallback[key]; !ok {
			return key
		}
	}
	text := e.text
	if e.plural != nil {
		text = e.plural["other"]
	}
	return p.fill(text, pairs)
}

// N returns the plural form of key for n, with {n} and other placeholders filled.
func (p *Printer) N(key string, n int, pairs ...any) string {
	e, ok := p.msgs[key]
	if !ok || e.plural == nil {
		return p.T(key, append(pairs, "n", n)...)
	}
	text, ok := e.plural[PluralCategory(p.Lang, n)]
	if !ok {
		text = e.plural["other"]
	}
	return p.fill(text, append(pairs, "n", n))
}

func (p *Printer) fill(text string, pairs []any) string {
	if len(pairs) == 0 || !strings.Contains(text, "{") {
		return text
	}
	args := make([]string, 0, len(pairs))
	for i := 0; i+1 < len(pairs); i += 2 {
		v := pairs[i+1]
		switch x := v.(type) {
		case int:
			v = p.Number(x)
		case interface{ In(lang string) string }: // a name in each language, as a centre's
			v = x.In(p.Lang)
		}
		args = append(args, "{"+fmt.Sprint(pairs[i])+"}", fmt.Sprint(v))
	}
	return strings.NewReplacer(args...).Replace(text)
}

// PluralCategory returns the CLDR plural category of an integer: Kazakh, Kyrgyz and
// English have one/other; Russian has one (1, 21, …), few (2–4, 22–24, …) and many.
func PluralCategory(lang string, n int) string {
	if n < 0 {
		n = -n
	}
	if lang != "ru" {
		if n == 1 {
			return "one"
		}
		return "other"
	}
	switch mod10, mod100 := n%10, n%100; {
	case mod10 == 1 && mod100 != 11:
		return "one"
	case mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14):
		return "few"
	default:
		return "many"
	}
}

// Number formats an integer with the language's digit grouping (1 234 567 in kk, ru, ky;
// 1,234,567 in en).
func (p *Printer) Number(n int) string { return p.num.Sprintf("%d", n) }

// Decimal formats f with digits decimals, with the language's separators.
func (p *Printer) Decimal(f float64, digits int) string { return p.num.Sprintf("%.*f", digits, f) }

// Date formats a day as people write it in the language, e.g. "2026 ж. 21 қараша" in kk.
func (p *Printer) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return p.T("format.date", "day", t.Day(), "month", p.T(fmt.Sprintf("month.%d", t.Month())), "year", fmt.Sprint(t.Year()))
}

// Day formats a day kept as YYYY-MM-DD (a birth date, a consent's day) in the language's
// numeric form: 28.10.1979 in kk, ru and ky. The API and exports keep ISO; a text that is
// not such a day is returned as it is.
func (p *Printer) Day(iso string) string {
	d, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return p.T("format.day", "day", fmt.Sprintf("%02d", d.Day()), "month", fmt.Sprintf("%02d", int(d.Month())),
		"year", fmt.Sprintf("%04d", d.Year()))
}

// DateTime formats a moment in the given zone, with a 24-hour clock.
func (p *Printer) DateTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(loc)
	return p.T("format.datetime", "date", p.Date(t), "time", t.Format("15:04"))
}

// Sort sorts items by key in the language's alphabet: Kazakh order for kk (ә after а,
// ғ after г, …), Russian for ru, and so on.
func Sort[T any](p *Printer, items []T, key func(T) string) {
	c := collate.New(p.tag, collate.IgnoreCase)
	sort.SliceStable(items, func(i, j int) bool { return c.CompareString(key(items[i]), key(items[j])) < 0 })
}

// Match picks the best of our languages for an Accept-Language header, or "".
func Match(accept string) string {
	tags, _, err := language.ParseAcceptLanguage(accept)
	if err != nil || len(tags) == 0 {
		return ""
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return ""
	}
	return Langs[i]
}

var matcher = language.NewMatcher([]language.Tag{language.Kazakh, language.Russian, language.Kirghiz, language.English})

// Keys lists every key of a language's catalog, for tests.
func Keys(lang string) []string {
	var out []string
	for k := range printers[lang].msgs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Forms returns a key's plural forms, or nil for a plain message, for tests.
func Forms(lang, key string) map[string]string { return printers[lang].msgs[key].plural }

// Raw returns a plain message without filling placeholders, for tests.
func Raw(lang, key string) string { return printers[lang].msgs[key].text }

// SortKey returns bytes whose byte order is the alphabetical order of names, for sorting
// large lists in the database. One key serves all four languages: Kazakh order is Russian
// order with ә, ғ, қ, ң, ө, ұ, ү, һ, і placed after their base letters, which is also
// where Kyrgyz puts ң, ө and ү, and every one of the four puts Latin before Cyrillic.
func SortKey(s string) []byte {
	c := sortCollators.Get().(*collate.Collator)
	defer sortCollators.Put(c)
	var buf collate.Buffer
	return append([]byte(nil), c.KeyFromString(&buf, s)...)
}

// sortCollators pools collators: building one is costly and they are not safe to share.
var sortCollators = sync.Pool{New: func() any { return collate.New(language.Kazakh, collate.IgnoreCase) }}
