package birge

import (
	"net/mail"
	"strings"
	"time"
)

// User is a member of staff, a volunteer or an external reviewer who signs in.
type User struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Lang      string    `json:"language"`
	TimeZone  string    `json:"time_zone"`                 // where the user's times are shown; "" keeps the current one
	OrgID     int64     `json:"organization_id,omitempty"` // home organisation; 0 for installation staff
	Disabled  bool      `json:"disabled"`
	Grants    []Grant   `json:"roles"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// NormalizeEmail lower-cases and trims an address so that sign-in ignores case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks a user's own fields (not their roles) before saving.
func (u *User) Validate() error {
	p := Problems{}
	u.Email = NormalizeEmail(u.Email)
	p.Add("email", CheckEmail(u.Email))
	p.Add("name", CheckText(u.Name, true, MaxName, false))
	if !ValidLang(u.Lang) {
		p.Add("language", "field.choose")
	}
	if u.TimeZone != "" && !oneOf(u.TimeZone, UserTimeZones) {
		p.Add("time_zone", "field.choose")
	}
	return p.Err()
}

// CheckEmail accepts a plain address (no display name), as used to sign in.
func CheckEmail(s string) string {
	if key := CheckText(s, true, 254, false); key != "" {
		return key
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "field.email"
	}
	return ""
}

// CheckGrant validates a grant's role; the store checks that its scope exists.
func CheckGrant(g Grant) error {
	p := Problems{}
	if !g.Role.Valid() {
		p.Add("role", "field.choose")
	}
	if g.CenterID != 0 && g.OrgID == 0 {
		p.Add("center_id", "field.choose")
	}
	return p.Err()
}
