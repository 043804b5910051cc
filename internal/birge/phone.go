package birge

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// NormalizePhone parses a phone number as people write it in Kazakhstan or Kyrgyzstan
// ("8 701 123 45 67", "+7 (701) 1234567", "0555 123 456") and returns it in E.164.
// country is where a number without a country code is assumed to be (KZ or KG).
func NormalizePhone(s, country string) (string, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", ""
	}
	if key := CheckText(s, false, 40, false); key != "" {
		return "", key
	}
	if country == "" {
		country = "KZ"
	}
	num, err := phonenumbers.Parse(s, country)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", "field.phone"
	}
	return phonenumbers.Format(num, phonenumbers.E164), ""
}
