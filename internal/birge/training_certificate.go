package birge

import (
	"crypto/rand"
	"strings"
	"time"
)

// Certificates of a training (issue 12, decision 0032): one for each woman who
// completed a cohort, with a code anyone may check on the public site.

// Certificate is what a woman who completed a cohort is given. Her name, the course and
// the dates are read from her record and the cohort when it is shown (never copied), so
// a corrected name prints corrected and an anonymised one prints nowhere.
type Certificate struct {
	ID           int64      `json:"id"`
	OrgID        int64      `json:"organization_id"`
	EnrollmentID int64      `json:"enrollment_id"`
	CohortID     int64      `json:"cohort_id"`
	PersonID     int64      `json:"person_id"`
	Code         string     `json:"code"` // as printed: XXXXX-XXXXX
	IssuedOn     string     `json:"issued_on"`
	RevokedAt    *time.Time `json:"revoked_at"`
	RevokeReason string     `json:"revoke_reason"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// CertificateText is what a certificate says, in the cohort's language: her name as
// typed, the course, its hours, the cohort's dates, the day she completed it, and where
// (the centre, or the village venue).
type CertificateText struct {
	Certificate
	Name        string
	Course      Names
	Language    string
	Hours       int
	StartsOn    string
	EndsOn      string
	CompletedOn string // the completion rule's day, else the cohort's last day
	Place       string // the centre's name in the cohort's language, and the venue
}

// The verification code: CodeLength symbols of Crockford's base 32, which has no I, L,
// O or U, so that nothing typed from paper is ambiguous. Fifty random bits: with the
// lookup throttled, guessing a valid code among even a million certificates takes ~10⁹
// tries.
const (
	CodeLength   = 10
	codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
)

// NewCertificateCode returns a fresh random code, as stored (no dash).
func NewCertificateCode() string {
	b := make([]byte, CodeLength)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on a supported system
	}
	for i := range b {
		b[i] = codeAlphabet[b[i]&31]
	}
	return string(b)
}

// NormalizeCertificateCode reads a code as a person types it: any case, with spaces or
// dashes, the letters O, I and L for the digits they look like. It returns the stored
// form, or false for anything that cannot be a code (which is then not found, never an
// error: the lookup says no more about a wrong code than about an unknown one).
func NormalizeCertificateCode(s string) (string, bool) {
	if len(s) > 4*CodeLength {
		return "", false
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case ' ', '-', '\t':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		if r > 0x7f || !strings.ContainsRune(codeAlphabet, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != CodeLength {
		return "", false
	}
	return b.String(), true
}

// PrintedCode is a stored code as printed and typed: two groups of five.
func PrintedCode(code string) string {
	if len(code) != CodeLength {
		return code
	}
	return code[:5] + "-" + code[5:]
}

// ValidateRevokeReason checks why a certificate is revoked: required, one paragraph.
func ValidateRevokeReason(reason string) error {
	pr := Problems{}
	pr.Add("reason", CheckText(reason, true, MaxLong, true))
	return pr.Err()
}

// VerifyWait is how long an address that looked up codes that were not found must
// wait before its next lookup: the sign-in throttle's address counter, so a guesser pays
// as much here as at the sign-in form, and a person who mistypes a few times pays nothing.
func VerifyWait(now time.Time, misses Failures) time.Duration {
	return misses.wait(now, FreeFailuresAddress)
}
