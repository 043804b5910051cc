package birge

import (
	"fmt"
	"testing"
	"time"
)

// withCheckDigit completes 11 digits of an IIN with its check digit, computed straight from
// the README rather than with the code under test, to build dates no README vector covers.
func withCheckDigit(t *testing.T, first11 string) string {
	t.Helper()
	for _, w := range [][]int{{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2}} {
		sum := 0
		for i, c := range first11 {
			sum += w[i] * int(c-'0')
		}
		if sum%11 != 10 {
			return fmt.Sprintf("%s%d", first11, sum%11)
		}
	}
	t.Fatalf("%s can never be issued; pick another serial", first11)
	return ""
}

func utcDate(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseIINValid(t *testing.T) {
	for _, c := range []struct {
		in, number string
		birth      time.Time
		sex        string
	}{
		// The README's vectors.
		{"850315401231", "850315401231", utcDate(1985, 3, 15), "female"},
		{"921107404560", "921107404560", utcDate(1992, 11, 7), "female"},
		{"031215502343", "031215502343", utcDate(2003, 12, 15), "male"},
		{"850315400608", "850315400608", utcDate(1985, 3, 15), "female"}, // needs the second pass
		{"061211600012", "061211600012", utcDate(2006, 12, 11), "female"},
		{"791028302728", "791028302728", utcDate(1979, 10, 28), "male"},
		// As people copy them.
		{"8503 1540 1231", "850315401231", utcDate(1985, 3, 15), "female"},
		{" 850315401231 ", "850315401231", utcDate(1985, 3, 15), "female"},
		{"850315-401231", "850315401231", utcDate(1985, 3, 15), "female"},
		{"\t850315 40 12 31\n", "850315401231", utcDate(1985, 3, 15), "female"},
		// The other centuries, and a leap day.
		{withCheckDigit(t, "99123110001"), "", utcDate(1899, 12, 31), "male"},
		{withCheckDigit(t, "00022960001"), "", utcDate(2000, 2, 29), "female"},
	} {
		id, key := ParseIIN(c.in)
		if key != "" {
			t.Errorf("ParseIIN(%q): %s", c.in, key)
			continue
		}
		if c.number == "" {
			c.number = c.in
		}
		if id.Kind != IdentityIIN || id.Number != c.number || !id.BirthDate.Equal(c.birth) || id.Sex != c.sex {
			t.Errorf("ParseIIN(%q) = %+v, want %s %s %s", c.in, id, c.number, c.birth.Format(time.DateOnly), c.sex)
		}
	}
}

func TestParseIINInvalid(t *testing.T) {
	cases := map[string]string{
		// The README's invalid vectors.
		"850315401232": "iin.checksum",
		"850315401213": "iin.checksum",
		// BINs: a registration month and a type digit, not a birth date and a century.
		"940140000385": "iin.date",
		"990140004654": "iin.date",
		// Format.
		"":               "iin.format",
		"   ":            "iin.format",
		"85031540123":    "iin.format",
		"8503154012310":  "iin.format",
		"85031540123a":   "iin.format",
		"８５０３１５４０１２３１":   "iin.format", // full-width digits
		"850315_401231":  "iin.format",
		"+850315401231":  "iin.format",
		"8503154012311 ": "iin.format",
		// Dates: no 30 February, no 29 February outside a leap year, no month 13, century
		// digits only 1–6. (A birth after the user's today is Person.Validate's to refuse:
		// TestIINBornToday.)
		withCheckDigit(t, "85023040123"): "iin.date",
		withCheckDigit(t, "01022950001"): "iin.date",
		withCheckDigit(t, "85130140123"): "iin.date",
		withCheckDigit(t, "85031570123"): "iin.date",
		withCheckDigit(t, "85031500123"): "iin.date",
	}
	// Every 85031540061x: both passes give 10, so the number is never issued.
	for x := 0; x <= 9; x++ {
		cases[fmt.Sprintf("85031540061%d", x)] = "iin.checksum"
	}
	for in, want := range cases {
		if id, key := ParseIIN(in); key != want || id != (Identity{}) {
			t.Errorf("ParseIIN(%q) = %+v, %q; want %q", in, id, key, want)
		}
	}
}

// TestIINBornToday: a child born today in Almaty can be registered at 00:30 there (19:30
// UTC the day before), but a birth date later than the user's today cannot.
func TestIINBornToday(t *testing.T) {
	born := withCheckDigit(t, "24060260001") // 2 June 2024
	almaty := &Actor{Zone: "Asia/Almaty"}
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2024, 6, 1, 19, 30, 0, 0, time.UTC), ""}, // 00:30 on 2 June in Almaty
		{time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC), "iin.date"},
	} {
		p := Person{GivenName: "Айару", IIN: born, Country: "KZ"}
		if got := problemOf(p.Validate(almaty.Today(c.at)), "iin"); got != c.want {
			t.Errorf("IIN at %v: %q, want %q", c.at, got, c.want)
		}
	}
	// A Kyrgyz PIN of 31 December 2099 alike.
	p := Person{GivenName: "Айпери", PIN: "13112209912345", Country: "KG"}
	if got := problemOf(p.Validate(almaty.Today(time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC))), "pin"); got != "pin.date" {
		t.Errorf("PIN born in 2099: %q, want pin.date", got)
	}
}

// problemOf is the message key of a validation error on field, "" without one.
func problemOf(err error, field string) string {
	if err == nil {
		return ""
	}
	return AsError(err).Fields[field]
}

func TestParsePIN(t *testing.T) {
	for _, c := range []struct {
		in    string
		birth time.Time
		sex   string
	}{
		{"11503198512345", utcDate(1985, 3, 15), "female"},
		{"21503198512345", utcDate(1985, 3, 15), "male"},
		{" 1 15031985 12345 ", utcDate(1985, 3, 15), "female"},
		{"2-01011900-00001", utcDate(1900, 1, 1), "male"},
		{"12902200000001", utcDate(2000, 2, 29), "female"},
	} {
		id, key := ParsePIN(c.in)
		if key != "" || id.Kind != IdentityPIN || len(id.Number) != 14 || !id.BirthDate.Equal(c.birth) || id.Sex != c.sex {
			t.Errorf("ParsePIN(%q) = %+v, %q", c.in, id, key)
		}
	}
	for in, want := range map[string]string{
		"":                "pin.format",
		"1150319851234":   "pin.format",
		"115031985123456": "pin.format",
		"1150319851234x":  "pin.format",
		"850315401231":    "pin.format", // an IIN
		"01503198512345":  "pin.sex",
		"31503198512345":  "pin.sex",
		"91503198512345":  "pin.sex",
		"13002198512345":  "pin.date", // 30 February
		"12902190112345":  "pin.date", // 1901 was not a leap year
		"11515198512345":  "pin.date", // month 15
		"10003198512345":  "pin.date", // day 0
		"13112189912345":  "pin.date", // before 1900
	} {
		if id, key := ParsePIN(in); key != want || id != (Identity{}) {
			t.Errorf("ParsePIN(%q) = %+v, %q; want %q", in, id, key, want)
		}
	}
}

func TestIdentityMasked(t *testing.T) {
	iin, _ := ParseIIN("850315401231")
	pin, _ := ParsePIN("11503198512345")
	for _, c := range []struct {
		id   Identity
		want string
	}{
		{iin, "8503••••1231"},
		{pin, "1150••••••2345"},
		{Identity{}, ""},
		{Identity{Number: "1234"}, "••••"},
	} {
		if got := c.id.Masked(); got != c.want {
			t.Errorf("%q masked = %q, want %q", c.id.Number, got, c.want)
		}
	}
}

func TestIdentityCheckAgainst(t *testing.T) {
	iin, _ := ParseIIN("850315401231") // female, 15 March 1985
	almaty := time.FixedZone("Asia/Almaty", 5*3600)
	for _, c := range []struct {
		id    Identity
		birth time.Time
		sex   string
		want  Problems
	}{
		{iin, utcDate(1985, 3, 15), "female", Problems{}},
		{iin, time.Date(1985, 3, 15, 0, 0, 0, 0, almaty), "female", Problems{}}, // same day, other zone
		{iin, time.Time{}, "", Problems{}},                                      // nothing known
		{iin, utcDate(1985, 3, 16), "female", Problems{"birth_date": "identity.birth_date_mismatch"}},
		{iin, utcDate(1985, 3, 15), "male", Problems{"sex": "identity.sex_mismatch"}},
		{iin, utcDate(1958, 3, 15), "male", Problems{
			"birth_date": "identity.birth_date_mismatch", "sex": "identity.sex_mismatch"}},
		{Identity{}, utcDate(1985, 3, 16), "male", Problems{}}, // no number, nothing to check
	} {
		got := c.id.CheckAgainst(c.birth, c.sex)
		if got == nil || fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s against %s %q = %v, want %v", c.id.Number, c.birth.Format(time.DateOnly), c.sex, got, c.want)
		}
	}
}

func TestMakeIIN(t *testing.T) {
	birth := time.Date(1985, 3, 15, 0, 0, 0, 0, time.UTC)
	made := 0
	for serial := range 200 {
		n, ok := MakeIIN(birth, "female", serial)
		if !ok {
			continue
		}
		made++
		id, key := ParseIIN(n)
		if key != "" || !id.BirthDate.Equal(birth) || id.Sex != "female" {
			t.Fatalf("MakeIIN gave %s: %q, %v %q", n, key, id.BirthDate, id.Sex)
		}
	}
	if n, _ := MakeIIN(birth, "female", 123); n != "850315401231" {
		t.Errorf("MakeIIN(1985-03-15, female, 123) = %s, want the README's 850315401231", n)
	}
	if made < 180 {
		t.Errorf("only %d of 200 serials made a number", made)
	}
}
