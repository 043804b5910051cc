package birge

import (
	"net/url"
	"strings"
)

// CheckURL accepts an empty string or an absolute http(s) address; anything else (a
// javascript: link in particular) would be dangerous to render as a link.
func CheckURL(s string) string {
	if s == "" {
		return ""
	}
	if key := CheckText(s, false, MaxShort*5, false); key != "" {
		return key
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(s, " <>\"") {
		return "field.url"
	}
	return ""
}
