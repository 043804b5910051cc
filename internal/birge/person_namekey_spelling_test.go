package birge

import (
	"math/rand"
	"strings"
	"testing"
)

// nameSpellings are Kazakh, Kyrgyz and Russian names as written in Cyrillic, the key they
// fold to, and the ways people spell them in Latin letters: the 2021 Kazakh Latin
// alphabet, passports (Kazakh and Russian style, ICAO 9303) and informal spellings.
// Each spelling must fold to the Cyrillic name's key, so each finds the other.
var nameSpellings = []struct {
	cyrillic, key string
	latin         []string
}{
	{"Жанар", "janar", []string{"Zhanar", "Janar", "ZHANAR"}},
	{"Әбдірахманова", "abdirahmanova", []string{"Abdirakhmanova", "Abdirahmanova", "Äbdirakhmanova", "Äbdırahmanova"}},
	{"Қайратқызы", "kairatkyzy", []string{"Qairatqyzy", "Kairatkyzy", "Kayratkyzy"}},
	{"Нұрлан", "nurlan", []string{"Nurlan", "Nūrlan"}},
	{"Шынар", "shynar", []string{"Shynar", "Şynar"}},
	{"Айгерім", "aigerim", []string{"Aigerim", "Aygerim", "Aigerım"}},
	{"Айгүл", "aigul", []string{"Aigul", "Aigül", "Aygul"}},
	{"Гүлназ", "gulnaz", []string{"Gulnaz", "Gülnaz"}},
	{"Жұлдыз", "juldyz", []string{"Zhuldyz", "Juldyz", "Jūldyz"}},
	{"Ерлан", "erlan", []string{"Erlan", "Yerlan"}},
	{"Ержан", "erjan", []string{"Yerzhan", "Erzhan", "Erjan"}},
	{"Бақытжан", "bakytjan", []string{"Bakytzhan", "Baqytjan", "Bakytjan"}},
	{"Ақмарал", "akmaral", []string{"Akmaral", "Aqmaral"}},
	{"Мөлдір", "moldir", []string{"Moldir", "Möldır"}},
	{"Сәуле", "saule", []string{"Saule", "Säule"}},
	{"Дәурен", "dauren", []string{"Dauren", "Däuren"}},
	{"Әсел", "asel", []string{"Asel", "Äsel"}},
	{"Ғалым", "galym", []string{"Galym", "Ğalym", "Ghalym"}},
	{"Мейрамгүл", "meiramgul", []string{"Meiramgul", "Meyramgul", "Meiramgül"}},
	{"Нұрсұлтан", "nursultan", []string{"Nursultan", "Nūrsūltan"}},
	{"Қуаныш", "kuanysh", []string{"Kuanysh", "Quanyş", "Quanysh"}},
	{"Тоғжан", "togjan", []string{"Togzhan", "Toğjan", "Toghzhan"}},
	{"Іңкәр", "inkar", []string{"Inkar", "Iñkär", "Iñkär"}},
	{"Алия", "alia", []string{"Aliya", "Aliia", "Alia"}},
	{"Ахметова", "ahmetova", []string{"Akhmetova", "Ahmetova"}},
	{"Меруерт", "meruert", []string{"Meruert"}},
	// Kyrgyz.
	{"Кайрат", "kairat", []string{"Kairat", "Qairat", "Kayrat"}},
	{"Бермет Өмүрбекова", "bermet omurbekova", []string{"Bermet Omurbekova", "Bermet Ömürbekova"}},
	{"Чолпон", "cholpon", []string{"Cholpon", "Çolpon"}},
	{"Жээнбеков", "jeenbekov", []string{"Zheenbekov", "Jeenbekov"}},
	{"Чыңгыз", "chyngyz", []string{"Chyngyz", "Çyñğyz"}},
	{"Айпери", "aiperi", []string{"Aiperi", "Ayperi"}},
	{"Нургүл", "nurgul", []string{"Nurgul", "Nurgül"}},
	{"Джамиля", "jamilia", []string{"Dzhamilya", "Djamilya", "Jamilia"}},
	// Russian: ICAO 9303 and the older Russian passport style (Yu, Ya, Ye, -iy).
	{"Юлия", "iulia", []string{"Iuliia", "Yuliya", "Yulia"}},
	{"Алексеев", "alekseev", []string{"Alekseev", "Alekseyev"}},
	{"Дмитрий", "dmitri", []string{"Dmitrii", "Dmitriy"}},
	{"Хрущёва", "hrushcheva", []string{"Khrushcheva"}},
	{"Цой", "tsoi", []string{"Tsoi", "Tsoy"}},
	{"Александра", "aleksandra", []string{"Aleksandra", "Alexandra"}},
}

// TestNameKeySpellings: every Latin spelling folds to the key of its Cyrillic name, both
// ways round (the key of the Latin is the key of the Cyrillic, and each is a word of the
// other's key when both are typed together).
func TestNameKeySpellings(t *testing.T) {
	if len(nameSpellings) < 25 {
		t.Fatalf("only %d names", len(nameSpellings))
	}
	for _, n := range nameSpellings {
		if got := NameKey(n.cyrillic); got != n.key {
			t.Errorf("NameKey(%q) = %q, want %q", n.cyrillic, got, n.key)
		}
		for _, l := range n.latin {
			if got := NameKey(l); got != n.key {
				t.Errorf("NameKey(%q) = %q, want %q, the key of %s", l, got, n.key, n.cyrillic)
			}
			if got := NameKey(l + " " + n.cyrillic); got != n.key {
				t.Errorf("%s typed in both scripts folds to %q, not to one word", l, got)
			}
		}
	}
}

// TestNameKeyKeepsNamesApart: different names keep different keys, and neither is a
// prefix of the other, since search matches the start of each word.
func TestNameKeyKeepsNamesApart(t *testing.T) {
	for _, c := range [][2]string{
		{"Айгүл", "Айгерім"},
		{"Aigul", "Aigerim"},
		{"Жанна", "Жанар"},   // doubled letters stay
		{"Шынар", "Сынар"},   // ш is not с
		{"Кайрат", "Хайрат"}, // к is not х
		{"Зарина", "Жарина"}, // з is not ж
		{"Ыскак", "Искак"},   // ы is not і
		{"Гүлнар", "Гүлназ"},
		{"Асия", "Азия"},
		{"Мадина", "Медина"},
		{"Qairatqyzy", "Kairatuly"},
	} {
		a, b := NameKey(c[0]), NameKey(c[1])
		if strings.HasPrefix(a, b) || strings.HasPrefix(b, a) {
			t.Errorf("%s (%q) and %s (%q) meet", c[0], a, c[1], b)
		}
	}
}

// TestNameKeyStable: folding a key again changes nothing, for short words made of the
// letters the rules of reduce look at, where an order-dependent rule would show.
func TestNameKeyStable(t *testing.T) {
	letters := []rune("aeiouyqkhzdjgxsc хжйыі-")
	r := rand.New(rand.NewSource(9))
	for range 200_000 {
		w := make([]rune, 1+r.Intn(7))
		for i := range w {
			w[i] = letters[r.Intn(len(letters))]
		}
		key := NameKey(string(w))
		if again := NameKey(key); again != key {
			t.Fatalf("NameKey(%q) = %q, but folded again %q", string(w), key, again)
		}
	}
}

// TestNamePrefixes: a word cut in the middle of a pair of letters still finds the name.
func TestNamePrefixes(t *testing.T) {
	for _, c := range []struct {
		typed, name string
		want        bool
	}{
		{"Aiz", "Айжан", true},
		{"Abdirak", "Әбдірахманова", true},
		{"Abdirakh", "Әбдірахманова", true},
		{"Д", "Джамиля", true},
		{"Qairatq", "Қайратқызы", true},
		{"Aiz", "Айгерім", false},
		{"Abdirak", "Әбдіқадырова", false},
		{"Zhanar", "Жанна", false},
	} {
		word, found := NameKey(c.typed), false
		for _, p := range NamePrefixes(word) {
			found = found || strings.HasPrefix(NameKey(c.name), p)
		}
		if found != c.want {
			t.Errorf("%q finds %s: %v, want %v (prefixes %q)", c.typed, c.name, found, c.want, NamePrefixes(word))
		}
	}
}
