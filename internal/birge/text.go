package birge

import (
	"strings"
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
// It refuses only what cannot be stored or shown safely: invalid UTF-8, NUL and other
// control characters (which PostgreSQL rejects or terminals misread), and text over max.
// It returns a message key, or "" when the text is acceptable.
func CheckText(s string, required bool, max int, multiline bool) string {
	if !utf8.ValidString(s) {
		return "field.invalid_chars"
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
	if required && strings.TrimSpace(s) == "" {
		return "field.required"
	}
	if utf8.RuneCountInString(s) > max {
		return "field.too_long"
	}
	return ""
}
