package birge

import (
	"bufio"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestNameKey(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// The README's pairs: however the name was typed, one key.
		{"Айжан", "aijan"},
		{"айжан", "aijan"},
		{"АЙЖАН", "aijan"},
		{"AIZHAN", "aijan"},
		{"Aizhan", "aijan"},
		{"Жұмабаева", "jumabaeva"},
		{"ЖҰМАБАЕВА", "jumabaeva"},
		{"Zhumabaeva", "jumabaeva"},
		// Kazakh letters.
		{"Әсел", "asel"},
		{"Нұрсұлтан", "nursultan"},
		{"Ғалым Қасымұлы", "galym kasymuly"},
		{"Маңғыстау", "mangystau"},
		{"Өмірзақ Үсенов", "omirzak usenov"},
		{"Іңкәр", "inkar"},
		{"Һ", "h"},
		// Kyrgyz.
		{"Бермет Өмүрбекова", "bermet omurbekova"},
		{"Чыңгыз Айтматов", "chyngyz aitmatov"},
		{"Үмүтай Жээнбекова", "umutai jeenbekova"},
		// Russian by ICAO 9303.
		{"Щукина", "shchukina"},
		{"Юлия", "iulia"},
		{"Ольга", "olga"},
		{"Фёдор Хрущёв", "fedor hrushchev"},
		{"Цой", "tsoi"},
		{"Подъячев", "podiachev"},
		{"Эльвира Быкова", "elvira bykova"},
		{"ЁЛКА", "elka"},
		// The same letters typed decomposed (и + breve, е + diaeresis), as some keyboards do.
		{"А\u0438\u0306жан", "aijan"},
		{"Фе\u0308дор", "fedor"},
		// Latin diacritics; ş and ç are ш and ч, as in the 2021 Kazakh alphabet.
		{"Ayşe Gökçe", "aishe gokche"},
		{"Yılmaz Doğan", "ilmaz dogan"},
		{"İLKNUR", "ilknur"},
		{"Renée Müller", "renee muller"},
		{"Peña Straße", "pena strasse"},
		{"Łukasz Øyvind", "lukasz oivind"},
		{"Ｍａｒａｔ", "marat"}, // full-width
		// Words: anything that is not a letter or a digit separates them, and a word is
		// kept once.
		{"Жұмабаева-Ким Айжан", "jumabaeva kim aijan"},
		{"  Айжан   Aizhan  ", "aijan"},
		{"O'Brien", "o brien"},
		{"Айжан🙂Ким", "aijan kim"},
		{"Айжан\tКим\nКим", "aijan kim"},
		{"Ай\u00adжан", "aijan"}, // a soft hyphen is invisible, not a gap
		{"Назарбаев Nazarbayev", "nazarbaev"},
		{"Ким Kim KIM ким", "kim"},
		{"Школа №12", "shkola no12"}, // compatibility decomposition spells № as No
		// Mixed scripts in one word are folded letter by letter.
		{"АйzhaN", "aijan"},
		// Other scripts keep their letters, in lower case.
		{"Ελένη", "ελενη"},
		{"王芳", "王芳"},
		{"ნინო", "ნინო"},
		// Nothing to search for.
		{"", ""},
		{"   ", ""},
		{"-–—'\".,;:!?()[]{}", ""},
		{"🙂🙂", ""},
		{"\xff\xfeАйжан\xc0", "aijan"},
	} {
		if got := NameKey(c.in); got != c.want {
			t.Errorf("NameKey(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNameTokens(t *testing.T) {
	for in, want := range map[string][]string{
		"Жұмабаева-Ким Айжан": {"jumabaeva", "kim", "aijan"},
		"Aizhan Айжан aizhan": {"aijan"},
		"Бермет Өмүрбекова":   {"bermet", "omurbekova"},
		"":                    nil,
		"?!… —":               nil,
	} {
		got := NameTokens(in)
		if len(got) == 0 && len(want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("NameTokens(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNameKeyManyWords: past the words a name has, repeats are still dropped.
func TestNameKeyManyWords(t *testing.T) {
	var in, want []string
	for i := 0; i < 40; i++ {
		w := strings.Repeat("a", i+1)
		in = append(in, w, strings.ToUpper(w))
		want = append(want, w)
	}
	if got := NameKey(strings.Join(in, " ")); got != strings.Join(want, " ") {
		t.Errorf("NameKey of 80 words = %q", got)
	}
}

// TestNameKeyNaughty: every hostile string gives a key without panicking, and the key is
// valid UTF-8, made of single-space-separated words, and stable when folded again.
func TestNameKeyNaughty(t *testing.T) {
	f, err := os.Open("../../testdata/blns.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := []string{
		strings.Repeat("Айжан Жұмабаева ", 100_000),
		strings.Repeat("\xff", 10_000),
		strings.Repeat("\u0306", 10_000),
		"\x00\x01\x1b[31m\u202eАйжан",
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, line := range lines {
		key := NameKey(line)
		if !utf8.ValidString(key) || strings.Join(strings.Fields(key), " ") != key {
			t.Errorf("NameKey(%q) = %q", line, key)
		}
		if again := NameKey(key); again != key {
			t.Errorf("NameKey(%q) = %q, but folded again %q", line, key, again)
		}
	}
}

func BenchmarkNameKey(b *testing.B) {
	names := []string{"Жұмабаева-Ким Айжан", "Aizhan Zhumabaeva", "Бермет Өмүрбекова", "Renée Müller"}
	for i := 0; b.Loop(); i++ {
		NameKey(names[i%len(names)])
	}
}

// TestNameLower: the shortcut for Cyrillic agrees with unicode.ToLower on every rune.
func TestNameLower(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if nameLower(r) != unicode.ToLower(r) {
			t.Errorf("nameLower(%U) = %U, want %U", r, nameLower(r), unicode.ToLower(r))
		}
	}
}
