package birge

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NameKey folds a name, typed in any script, to the key that search and the duplicate
// check compare, so that the spellings of one name meet: "Жанар", "ЖАНАР", "Zhanar" and
// "Janar" all become "janar", and "Әбдірахманова", "Abdirakhmanova", "Abdirahmanova"
// and "Äbdırahmanova" become "abdirahmanova" (decision 0017).
//
// Case is folded for every script (SQLite's lower() folds only ASCII). Cyrillic is
// transliterated to Latin: Russian by ICAO 9303, the Kazakh and Kyrgyz letters to their
// nearest Latin letter, and the letters of the 2021 Kazakh Latin alphabet that are not in
// ICAO's (ş ç) to the same. Latin letters lose their diacritics (é e, ä a, ı i). Each word
// is then reduced to a skeleton the Latin spellings share (reduce); anything that is not a
// letter or a digit separates words; the key is the words, each once, in order, joined by
// single spaces.
func NameKey(s string) string {
	var w keyWriter
	w.b = make([]byte, 0, len(s)+8) // Cyrillic takes two bytes a letter and mostly folds to one
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // ASCII, most names typed in Latin: no table, no decoding
			w.fold(rune(c))
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			w.endWord() // a byte that is not UTF-8 separates words like any other junk
		} else if !w.fold(nameLower(r)) {
			// Not a letter fold knows: try its compatibility decomposition (NFKD), which
			// turns "é" into "e" and a mark, and also "ﬁ" into "fi" and full-width "Ａ"
			// into "A", which plain NFD would leave apart from the letters meant.
			if d := norm.NFKD.PropertiesString(s[i:]).Decomposition(); d != nil {
				for _, dr := range string(d) {
					if !w.fold(nameLower(dr)) {
						w.other(dr)
					}
				}
			} else {
				w.other(r)
			}
		}
		i += size
	}
	w.endWord()
	return string(w.b)
}

// NameTokens returns the words of NameKey(s), each once, in order: "Жұмабаева-Ким Айжан"
// gives zhumabaeva, kim and aizhan. A name with no letters or digits gives none.
func NameTokens(s string) []string {
	return strings.Fields(NameKey(s))
}

// NamePrefixes returns the beginnings of name words that a word of a search, folded by
// NameTokens, stands for: the word itself and, when its last letter may be the first of a
// pair reduce rewrites (the z of zh, the d of dzh, the k of kh), the word with the pair's
// letter, so that "Aiz" already finds Aizhan (aijan) and "Abdirak" Abdirakhmanova
// (abdirahmanova) while the name is still being typed.
func NamePrefixes(word string) []string {
	out := []string{word}
	if word == "" {
		return out
	}
	var pair byte
	switch word[len(word)-1] {
	case 'z', 'd':
		pair = 'j'
	case 'k':
		pair = 'h'
	default:
		return out
	}
	b := append([]byte(word[:len(word)-1]), pair)
	return append(out, string(b[:reduce(b)]))
}

// nameLower is unicode.ToLower with the Cyrillic letters of Kazakh, Kyrgyz and Russian
// worked out directly: ToLower searches a table, which was a quarter of NameKey's time.
func nameLower(r rune) rune {
	switch {
	case 'а' <= r && r <= 'џ':
		return r
	case 'А' <= r && r <= 'Я':
		return r + 'а' - 'А'
	case 'Ѐ' <= r && r <= 'Џ':
		return r + 'ѐ' - 'Ѐ'
	case 'Ҋ' <= r && r <= 'ҿ', 'Ӑ' <= r && r <= 'ӿ':
		return r | 1 // upper case even, lower case the next
	}
	return unicode.ToLower(r)
}

// cyrillicLatin transliterates the lower-case Cyrillic letters а (U+0430) to џ (U+045F).
// Russian follows ICAO 9303, as in passports, except ъ: like ь it has no sound of its own
// and no Latin letter in the other spellings (Подъячев is Podyachev), so fold drops both.
// Letters left empty here (and any other Cyrillic letter) go through decomposition or
// stay as typed.
var cyrillicLatin = [...]string{
	// а–п
	"a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p",
	// р–я
	"r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia",
	// ѐ–џ: only ё, and the Ukrainian and Belarusian є і ї ў, as ICAO 9303 spells them
	"", "e", "", "", "ie", "", "i", "i", "", "", "", "", "", "", "u", "",
}

// fold writes the Latin for r, which is lower case, and reports whether it knew r: the
// Cyrillic table, the Kazakh and Kyrgyz letters, Latin letters that have no decomposition
// or whose decomposition would lose a sound, and anything ASCII. A letter it does not know
// is left to the caller to decompose.
func (w *keyWriter) fold(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			w.byte(byte(r))
		case 'A' <= r && r <= 'Z':
			w.byte(byte(r) + 'a' - 'A')
		default:
			w.endWord()
		}
		return true
	case r == 'ь', r == 'ъ':
		return true // the soft and hard signs have no sound of their own: Ольга is Olga
	case 'а' <= r && r <= 'џ':
		if t := cyrillicLatin[r-'а']; t != "" {
			w.string(t)
			return true
		}
		return false
	}
	var t string
	switch r {
	case 'ә': // Kazakh; Kyrgyz shares ң ө ү
		t = "a"
	case 'ғ', 'ґ':
		t = "g"
	case 'қ':
		t = "k"
	case 'ң':
		t = "n"
	case 'ө':
		t = "o"
	case 'ұ', 'ү':
		t = "u"
	case 'һ':
		t = "h"
	case 'ş': // ш and ч in the 2021 Kazakh Latin alphabet (and in Turkish): not s and c
		t = "sh"
	case 'ç':
		t = "ch"
	case 'ı': // і in the 2021 Kazakh alphabet, and Turkish: no decomposition reaches it
		t = "i"
	case 'ß':
		t = "ss"
	case 'ø':
		t = "o"
	case 'æ':
		t = "ae"
	case 'œ':
		t = "oe"
	case 'đ':
		t = "d"
	case 'ł':
		t = "l"
	default:
		return false
	}
	w.string(t)
	return true
}

// other handles a rune that fold did not know, after decomposition if it had one: letters
// and digits of other scripts stay as typed (lower case); combining marks and invisible
// format characters (soft hyphen, zero-width joiner, direction marks) are dropped without
// breaking the word, because they are part of how a word was typed, not a gap in it;
// anything else ends the word.
func (w *keyWriter) other(r rune) {
	switch {
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		w.begin()
		w.b = utf8.AppendRune(w.b, unicode.ToLower(r))
	case unicode.Is(unicode.M, r) || unicode.Is(unicode.Cf, r):
	default:
		w.endWord()
	}
}

// reduce rewrites the word in b, folded to lower-case Latin, to the skeleton that the
// ways of spelling a Central Asian name in Latin letters share, in place, and returns its
// new length. The rules, each with the spellings it joins:
//
//   - q is k: Qairat (2021 alphabet, informal), Kairat (passport) and Қайрат.
//   - kh is h: Abdirakhmanova (passport, ICAO) and Abdirahmanova, Äbdırahmanova (2021).
//   - zh is j, and so is dj (dzh): Zhanar, Janar; Dzhamilya, Djamila, Jamila.
//   - gh is g: Ghalym, Ğalym, Galym.
//   - x is ks (written by fold): Alexandra, Александра.
//   - y next to a vowel is i, since there it is й or the start of я ю е: Aygerim and
//     Aigerim, Nurlybay and Nurlybai, Yuliya and Iuliia. Between consonants y is ы and
//     stays: Qairatqyzy, Kairatkyzy.
//   - i before e at a word's start or after a vowel is dropped: Yerlan and Erlan,
//     Alekseyev and Alekseev.
//   - ii is i: Aliya, Aliia (ICAO), Alia; Dmitriy, Dmitrii.
//
// Other doubled letters stay (Жанна stays janna: not Жана, nor a prefix of Жанар), and
// so do the vowels ы and і apart (y and i between consonants). Any byte other than a-z is
// kept as it is, so letters of other scripts are never split. The rules look back at what they
// have written, never at what was typed, so reducing a skeleton again changes nothing.
func reduce(b []byte) int {
	r := reducer{b: b}
	for i := 0; i < len(b); i++ {
		switch c := b[i]; c {
		case 'q':
			r.put('k')
		case 'y':
			if isVowel(nextNot(b, i, "y")) || isVowel(r.last()) {
				r.putI(i)
			} else {
				r.put('y')
			}
		case 'i':
			r.putI(i)
		default:
			r.put(c)
		}
	}
	return r.n
}

// reducer writes a word's skeleton over the word itself: b[:n] is written, and reading
// at i never falls behind it, since no rule writes more letters than it reads.
type reducer struct {
	b []byte
	n int
}

// last is the letter written last, or 0 at the word's start.
func (r *reducer) last() byte {
	if r.n == 0 {
		return 0
	}
	return r.b[r.n-1]
}

// put writes c, joining it with the letter before when the two are a pair.
func (r *reducer) put(c byte) {
	prev := r.last()
	switch {
	case c == 'h' && prev == 'k':
		r.n--
		r.put('h')
	case c == 'h' && prev == 'z', c == 'j' && prev == 'd':
		r.n--
		r.put('j')
	case c == 'h' && prev == 'g', c == 'i' && prev == 'i':
	default:
		r.b[r.n] = c
		r.n++
	}
}

// putI writes an i (typed, or a y that reduce reads as i) unless it starts an e at the
// word's start or after a vowel: the y of Yerlan and Alekseyev.
func (r *reducer) putI(i int) {
	if nextNot(r.b, i, "iy") == 'e' && (r.n == 0 || isVowel(r.last())) {
		return
	}
	r.put('i')
}

// nextNot returns the first byte after b[i] that is not in skip, or 0 at the word's end.
func nextNot(b []byte, i int, skip string) byte {
	for i++; i < len(b); i++ {
		if strings.IndexByte(skip, b[i]) < 0 {
			return b[i]
		}
	}
	return 0
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

// keyWriter builds a name key in one pass. Words are written straight into b, reduced
// when they end, and taken back out if they repeat an earlier word.
type keyWriter struct {
	b      []byte
	start  int  // where the current word begins in b
	inWord bool // whether a word has been started and not yet ended
	kept   [16][2]int
	nKept  int             // words in kept: few enough for a linear search
	more   map[string]bool // every word kept, once there are more than fit in kept
}

func (w *keyWriter) begin() {
	if !w.inWord {
		if len(w.b) > 0 {
			w.b = append(w.b, ' ')
		}
		w.start = len(w.b)
		w.inWord = true
	}
}

// byte writes an ASCII letter or digit; x goes in as ks, the one rule of reduce that
// would lengthen a word, so that reduce can work in place.
func (w *keyWriter) byte(c byte) {
	w.begin()
	if c == 'x' {
		w.b = append(w.b, 'k', 's')
		return
	}
	w.b = append(w.b, c)
}

func (w *keyWriter) string(s string) {
	w.begin()
	w.b = append(w.b, s...)
}

// endWord reduces the word just written and keeps it, or removes it (and the space before
// it) if the same word came earlier. Names repeat words rarely, but keys must not grow
// with them.
func (w *keyWriter) endWord() {
	if !w.inWord {
		return
	}
	w.inWord = false
	w.b = w.b[:w.start+reduce(w.b[w.start:])]
	word := w.b[w.start:]
	if w.seen(word) {
		w.b = w.b[:max(w.start-1, 0)]
		return
	}
	if w.more == nil && w.nKept < len(w.kept) {
		w.kept[w.nKept] = [2]int{w.start, len(w.b)}
		w.nKept++
		return
	}
	// A long text rather than a name: switch to a map so the work stays linear.
	if w.more == nil {
		w.more = make(map[string]bool)
		for _, k := range w.kept {
			w.more[string(w.b[k[0]:k[1]])] = true
		}
	}
	w.more[string(word)] = true
}

// seen reports whether word is among the words kept so far.
func (w *keyWriter) seen(word []byte) bool {
	if w.more != nil {
		return w.more[string(word)]
	}
	for _, k := range w.kept[:w.nKept] {
		if string(w.b[k[0]:k[1]]) == string(word) {
			return true
		}
	}
	return false
}
