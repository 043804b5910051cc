package birge

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NameKey folds a name, typed in any script, to the key that search compares, so that
// "Айжан", "айжан", "AIZHAN" and "Aizhan" all become "aizhan". Case is folded for every
// script (SQLite's lower() folds only ASCII), Cyrillic is transliterated to Latin
// (Russian by ICAO 9303, the Kazakh and Kyrgyz letters to their nearest Latin letter),
// and Latin letters lose their diacritics (é e, ş s, ı i). Anything that is not a letter
// or a digit separates words; the key is the words, each once, in order, joined by single
// spaces.
//
// Spellings that transliterate differently still differ: "Ayzhan" is not "Aizhan", and
// "Zhanna" is not "Janna". Folding y to i or j to zh would join names that are not the
// same, so search must try such variants itself if it wants them.
func NameKey(s string) string {
	var w keyWriter
	w.b.Grow(len(s)) // Cyrillic takes two bytes a letter and mostly folds to one
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf { // ASCII, most names typed in Latin: no table, no decoding
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				w.byte(c)
			case 'A' <= c && c <= 'Z':
				w.byte(c + 'a' - 'A')
			default:
				w.endWord()
			}
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
	return w.b.String()
}

// NameTokens returns the words of NameKey(s), each once, in order: "Жұмабаева-Ким Айжан"
// gives zhumabaeva, kim and aizhan. A name with no letters or digits gives none.
func NameTokens(s string) []string {
	return strings.Fields(NameKey(s))
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
// Russian follows ICAO 9303, as in passports; ь has no Latin letter and fold drops it.
// Letters left empty here (and any other Cyrillic letter) go through decomposition or
// stay as typed.
var cyrillicLatin = [...]string{
	// а–п
	"a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p",
	// р–я
	"r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e", "iu", "ia",
	// ѐ–џ: only ё, and the Ukrainian and Belarusian є і ї ў, as ICAO 9303 spells them
	"", "e", "", "", "ie", "", "i", "i", "", "", "", "", "", "", "u", "",
}

// fold writes the Latin for r, which is lower case, and reports whether it knew r: the
// Cyrillic table, the Kazakh and Kyrgyz letters, Latin letters that have no decomposition,
// and anything ASCII. A letter it does not know is left to the caller to decompose.
func (w *keyWriter) fold(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			w.byte(byte(r))
		} else {
			w.endWord()
		}
		return true
	case r == 'ь':
		return true // the soft sign has no sound of its own: Ольга is Olga
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
	case 'ı': // Turkish and Azerbaijani dotless i, which no decomposition reaches
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
		w.rune(unicode.ToLower(r))
	case unicode.Is(unicode.M, r) || unicode.Is(unicode.Cf, r):
	default:
		w.endWord()
	}
}

// keyWriter builds a name key in one pass. Words are written straight into b and taken
// back out if they repeat an earlier word.
type keyWriter struct {
	b      strings.Builder
	start  int  // where the current word begins in b
	inWord bool // whether a word has been started and not yet ended
	kept   [16][2]int
	nKept  int             // words in kept: few enough for a linear search
	more   map[string]bool // every word kept, once there are more than fit in kept
}

func (w *keyWriter) begin() {
	if !w.inWord {
		if w.b.Len() > 0 {
			w.b.WriteByte(' ')
		}
		w.start = w.b.Len()
		w.inWord = true
	}
}

func (w *keyWriter) byte(c byte) {
	w.begin()
	w.b.WriteByte(c)
}

func (w *keyWriter) string(s string) {
	w.begin()
	w.b.WriteString(s)
}

func (w *keyWriter) rune(r rune) {
	w.begin()
	w.b.WriteRune(r)
}

// endWord keeps the word just written, or removes it (and the space before it) if the
// same word came earlier. Names repeat words rarely, but keys must not grow with them.
func (w *keyWriter) endWord() {
	if !w.inWord {
		return
	}
	w.inWord = false
	key := w.b.String()
	word := key[w.start:]
	if w.seen(key, word) {
		// A Builder cannot shrink; start a new one with what came before. The old contents
		// stay valid, since a Builder never writes to memory it has handed out.
		w.b.Reset()
		w.b.Grow(len(key))
		w.b.WriteString(key[:max(w.start-1, 0)])
		return
	}
	if w.more == nil && w.nKept < len(w.kept) {
		w.kept[w.nKept] = [2]int{w.start, len(key)}
		w.nKept++
		return
	}
	// A long text rather than a name: switch to a map so the work stays linear.
	if w.more == nil {
		w.more = make(map[string]bool)
		for _, k := range w.kept {
			w.more[key[k[0]:k[1]]] = true
		}
	}
	w.more[word] = true
}

// seen reports whether word is among the words kept so far in key.
func (w *keyWriter) seen(key, word string) bool {
	if w.more != nil {
		return w.more[word]
	}
	for _, k := range w.kept[:w.nKept] {
		if key[k[0]:k[1]] == word {
			return true
		}
	}
	return false
}
