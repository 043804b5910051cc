package i18n

import (
	"bytes"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

func placeholders(s string) string {
	p := placeholder.FindAllString(s, -1)
	sort.Strings(p)
	return strings.Join(p, ",")
}

// TestCatalogsComplete fails when any language lacks a key, a plural form, or a
// placeholder that English has.
func TestCatalogsComplete(t *testing.T) {
	en := Keys("en")
	if len(en) < 100 {
		t.Fatalf("English catalog has only %d keys", len(en))
	}
	want := map[string][]string{"kk": {"one", "other"}, "ky": {"one", "other"}, "en": {"one", "other"},
		"ru": {"one", "few", "many", "other"}}
	for _, lang := range Langs {
		keys := map[string]bool{}
		for _, k := range Keys(lang) {
			keys[k] = true
		}
		for _, k := range en {
			if !keys[k] {
				t.Errorf("%s: missing key %q", lang, k)
				continue
			}
			delete(keys, k)
			if Forms("en", k) != nil {
				forms := Forms(lang, k)
				for _, f := range want[lang] {
					if forms[f] == "" {
						t.Errorf("%s: %q lacks plural form %q", lang, k, f)
					}
				}
				continue
			}
			if got, want := placeholders(Raw(lang, k)), placeholders(Raw("en", k)); got != want {
				t.Errorf("%s: %q has placeholders %q, English has %q", lang, k, got, want)
			}
			if Raw(lang, k) == "" {
				t.Errorf("%s: %q is empty", lang, k)
			}
		}
		for k := range keys {
			t.Errorf("%s: key %q is not in the English catalog", lang, k)
		}
	}
}

func TestRussianPlurals(t *testing.T) {
	for n, want := range map[int]string{0: "many", 1: "one", 2: "few", 4: "few", 5: "many", 11: "many",
		12: "many", 14: "many", 21: "one", 22: "few", 25: "many", 101: "one", 111: "many"} {
		if got := PluralCategory("ru", n); got != want {
			t.Errorf("ru %d: %s, want %s", n, got, want)
		}
	}
	if PluralCategory("kk", 1) != "one" || PluralCategory("kk", 2) != "other" {
		t.Error("Kazakh plural categories are one/other")
	}
	p := For("ru")
	for n, want := range map[int]string{1: "центр", 3: "центра", 5: "центров"} {
		if got := p.N("dashboard.centers", n); got != want {
			t.Errorf("ru dashboard.centers(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestFormats(t *testing.T) {
	d := time.Date(2026, 11, 21, 10, 30, 0, 0, time.UTC)
	for lang, want := range map[string]string{"en": "21 November 2026", "ru": "21 ноября 2026 г.", "kk": "2026 ж. 21 қараша"} {
		if got := For(lang).Date(d); got != want {
			t.Errorf("%s date = %q, want %q", lang, got, want)
		}
	}
	if got := For("en").Number(1234567); got != "1,234,567" {
		t.Errorf("en number = %q", got)
	}
	if got := For("ru").Number(1234567); strings.ContainsAny(got, ",.") || len([]rune(got)) != 9 {
		t.Errorf("ru number = %q, want digits grouped by spaces", got)
	}
}

// TestKazakhAlphabetOrder checks that kk sorts in the Kazakh alphabet (ә after а, ғ
// after г, қ after к, ө after о, ұ and ү after у, і after ы) where Russian order would not.
func TestKazakhAlphabetOrder(t *testing.T) {
	names := []string{"Өмір", "Ұлан", "Әсел", "Ғалия", "Бақыт", "Ілияс", "Қайрат", "Айгүл", "Ырыс", "Оралхан", "Уәли", "Үміт", "Гүлнар", "Карина"}
	Sort(For("kk"), names, func(s string) string { return s })
	want := []string{"Айгүл", "Әсел", "Бақыт", "Гүлнар", "Ғалия", "Карина", "Қайрат", "Оралхан", "Өмір", "Уәли", "Ұлан", "Үміт", "Ырыс", "Ілияс"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("Kazakh order:\n got %v\nwant %v", names, want)
	}
}

func TestMatch(t *testing.T) {
	for header, want := range map[string]string{"ky-KG,ky;q=0.9": "ky", "ru-RU,ru;q=0.9,en;q=0.8": "ru",
		"kk": "kk", "en-GB": "en", "de": "", "": ""} {
		if got := Match(header); got != want {
			t.Errorf("Match(%q) = %q, want %q", header, got, want)
		}
	}
}

// One sort key orders names right in Kazakh, Russian and Kyrgyz, case aside.
func TestSortKey(t *testing.T) {
	want := []string{"Adams", "zhukova", "Абаева", "Әбенова", "Гүлнар", "Ғалиева", "Кенжебаева", "қасымова", "Нұрланова", "Оразова", "Өмірбекова", "Ұлан", "Үмбетова", "Шарипова"}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortFunc(got, func(a, b string) int { return bytes.Compare(SortKey(a), SortKey(b)) })
	if !slices.Equal(got, want) {
		t.Errorf("sorted by key: %v\nwant %v", got, want)
	}
}

// A day is written as people of the language write it: 28.10.1979 in kk, ru and ky; ISO in
// en; anything that is not a day stays as it is.
func TestDay(t *testing.T) {
	for lang, want := range map[string]string{"kk": "05.03.1979", "ru": "05.03.1979", "ky": "05.03.1979", "en": "1979-03-05"} {
		if got := For(lang).Day("1979-03-05"); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if got := For("ru").Day("1979"); got != "1979" {
		t.Errorf("a year alone: %q", got)
	}
}
