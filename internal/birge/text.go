package birge

import (
	"unicode"
	"unicode/utf8"
)

// Text limits, in characters. Generous, because names in Central Asia are often long and
// written in several scripts, but bounded so that a form cannot fill the disk.
const (
	MaxName  = 200
	MaxShort = 100
	MaxLong  = 2000
)

// CheckText validates free text as people type it: any script, stored exactly as given.
// It refuses only what cannot be stored or shown safely: invalid UTF-8 (which would
// otherwise be stored as U+FFFD, losing what was meant), NUL and other control
// characters (which PostgreSQL rejects or terminals misread), and text over max. Text
// that shows nothing — spaces, and characters that take no room such as the zero-width
// space, joiners and the byte-order mark — does not fill a required field. It returns a
// message key, or "" when the text is acceptable.
func CheckText(s string, required bool, max int, multiline bool) string {
	if !utf8.ValidString(s) {
		return "field.invalid_utf8"
	}
	for _, r := range s {
		if r == '\n' || r == '\r' || r == '\t' {
			if multiline || r == '\t' {
				continue
			}
			return "field.single_line"
		}
		if unicode.IsControl(r) {
			return "field.invalid_chars"
		}
	}
	if required && Invisible(s) {
		return "field.required"
	}
	if utf8.RuneCountInString(s) > max {
		return "field.too_long"
	}
	return ""
}

// Invisible tells whether s shows nothing: it holds only white space, format characters
// (Cf: zero-width space and joiners, the byte-order mark, direction marks, the soft
// hyphen), variation selectors and the other characters Unicode says to ignore when
// drawing (Hangul fillers among them).
func Invisible(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.In(r, unicode.Cf, unicode.Variation_Selector, unicode.Other_Default_Ignorable_Code_Point) {
			return false
		}
	}
	return true
}
