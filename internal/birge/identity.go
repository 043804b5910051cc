package birge

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// IdentityKind says which country's personal number an Identity holds.
type IdentityKind string

const (
	IdentityIIN IdentityKind = "iin" // Kazakhstan: 12 digits with a check digit
	IdentityPIN IdentityKind = "pin" // Kyrgyzstan: 14 digits, no check digit
)

// Identity is a personal identity number with what the number itself says about its
// holder. The birth date and sex are derived, so a record can be checked against them.
type Identity struct {
	Kind      IdentityKind
	Number    string    // the digits only, as issued
	BirthDate time.Time // midnight UTC of the birth date
	Sex       string    // "female" or "male"
}

// ParseIIN parses a Kazakh IIN as people copy it from documents: surrounding spaces and
// spaces or hyphens between digit groups are ignored. It returns the identity and "", or
// a message key: iin.format, iin.date or iin.checksum.
//
// The check digit is verified before the date, so a mistyped number is reported as
// mistyped rather than as an impossible birth date. A number whose check digit is right but
// whose date is not (a company's BIN, for instance) is reported as iin.date.
func ParseIIN(s string) (Identity, string) {
	n, ok := identityDigits(s, 12)
	if !ok {
		return Identity{}, "iin.format"
	}
	if !iinChecksumOK(n) {
		return Identity{}, "iin.checksum"
	}
	// Digit 7 gives the century and the sex: 1/2 1800s, 3/4 1900s, 5/6 2000s; odd male.
	c := int(n[6] - '0')
	if c < 1 || c > 6 {
		return Identity{}, "iin.date"
	}
	year := 1800 + 100*((c-1)/2) + digitsValue(n[0:2])
	birth, ok := validBirthDate(year, digitsValue(n[2:4]), digitsValue(n[4:6]))
	if !ok {
		return Identity{}, "iin.date"
	}
	sex := "female"
	if c%2 == 1 {
		sex = "male"
	}
	return Identity{Kind: IdentityIIN, Number: n, BirthDate: birth, Sex: sex}, ""
}

// iinChecksumOK checks digit 12 of an IIN or BIN.
func iinChecksumOK(n string) bool {
	d, ok := iinCheckDigit(n[:11])
	return ok && d == int(n[11]-'0')
}

// iinCheckDigit computes digit 12 from the first eleven: weights 1..11, and if that gives
// 10, weights 3..11,1,2; a number for which both give 10 is never issued.
func iinCheckDigit(n string) (int, bool) {
	for _, first := range []int{1, 3} {
		sum := 0
		for i := 0; i < 11; i++ {
			w := (first+i-1)%11 + 1
			sum += w * int(n[i]-'0')
		}
		if r := sum % 11; r != 10 {
			return r, true
		}
	}
	return 0, false
}

// MakeIIN makes a valid IIN for a birth date, sex and serial (0–9999), for generated
// test and demo data; false for a serial whose number is never issued.
func MakeIIN(birth time.Time, sex string, serial int) (string, bool) {
	century := (birth.Year()-1800)/100*2 + 1 // 1 for the 1800s, 3 for the 1900s, 5 for the 2000s
	if sex == "female" {
		century++
	}
	n := fmt.Sprintf("%s%d%04d", birth.Format("060102"), century, serial%10000)
	d, ok := iinCheckDigit(n)
	return n + strconv.Itoa(d), ok
}

// ParsePIN parses a Kyrgyz PIN: digit 1 the sex (1 female, 2 male), digits 2–9 the birth
// date as DDMMYYYY, then a serial. There is no check digit, and duplicates were issued, so
// only the format and the date can be checked; never treat a PIN as unique. It returns the
// identity and "", or a message key: pin.format, pin.sex or pin.date.
func ParsePIN(s string) (Identity, string) {
	n, ok := identityDigits(s, 14)
	if !ok {
		return Identity{}, "pin.format"
	}
	var sex string
	switch n[0] {
	case '1':
		sex = "female"
	case '2':
		sex = "male"
	default:
		return Identity{}, "pin.sex"
	}
	year := digitsValue(n[5:9])
	birth, ok := validBirthDate(year, digitsValue(n[3:5]), digitsValue(n[1:3]))
	if !ok || year < 1900 {
		return Identity{}, "pin.date"
	}
	return Identity{Kind: IdentityPIN, Number: n, BirthDate: birth, Sex: sex}, ""
}

// identityDigits returns s without surrounding spaces and without the spaces and hyphens
// people put between digit groups, if what remains is exactly want ASCII digits.
func identityDigits(s string, want int) (string, bool) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			if b.Len() == want {
				return "", false
			}
			b.WriteRune(r)
		case r == '-' || unicode.IsSpace(r):
		default:
			return "", false
		}
	}
	return b.String(), b.Len() == want
}

// validBirthDate returns the date if it exists in the calendar (no 30 February). Whether
// it is in the future depends on the user's day, which Person.Validate knows.
func validBirthDate(year, month, day int) (time.Time, bool) {
	d := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if d.Year() != year || int(d.Month()) != month || d.Day() != day {
		return time.Time{}, false
	}
	return d, true
}

// digitsValue converts a short run of ASCII digits, already checked.
func digitsValue(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = 10*v + int(s[i]-'0')
	}
	return v
}

// Masked returns the number with its middle hidden, for lists, logs and confirmations:
// enough to tell people apart and to compare with a document, not enough to reuse.
// An IIN shows as 8503••••1231, a PIN as 1150••••••2345.
func (id Identity) Masked() string {
	n := id.Number
	if len(n) <= 8 {
		return strings.Repeat("•", len(n))
	}
	return n[:4] + strings.Repeat("•", len(n)-8) + n[len(n)-4:]
}

// CheckAgainst reports where a record's own birth date and sex disagree with what its
// identity number says: identity.birth_date_mismatch on birth_date and
// identity.sex_mismatch on sex. A zero birth date or an empty sex is unknown and not
// checked, and neither is anything against an empty Identity. The result is never nil,
// so callers may add their own problems to it.
func (id Identity) CheckAgainst(birth time.Time, sex string) Problems {
	p := Problems{}
	if id.Number == "" {
		return p
	}
	if !birth.IsZero() {
		// Compare calendar days, each in its own zone: a record may hold local midnight.
		y, m, d := birth.Date()
		ny, nm, nd := id.BirthDate.Date()
		if y != ny || m != nm || d != nd {
			p.Add("birth_date", "identity.birth_date_mismatch")
		}
	}
	if sex != "" && sex != id.Sex {
		p.Add("sex", "identity.sex_mismatch")
	}
	return p
}
