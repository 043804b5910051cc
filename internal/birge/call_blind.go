package birge

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// StaffApplication is what review reads of an application — its call, status, place and
// answers — to make the blind view, rank and decide. Staff read an application whole as
// Application (the store's Applications.Get); her person fields are in the registry.
type StaffApplication struct {
	ID                 int64                      `json:"id"`
	CallID             int64                      `json:"call_id"`
	Reference          string                     `json:"reference"`
	Status             string                     `json:"status"`
	Language           string                     `json:"language"`
	PersonID           *int64                     `json:"person_id"`
	Region             string                     `json:"region"`
	District           string                     `json:"district"`
	Rural              bool                       `json:"rural"`
	Answers            map[string]json.RawMessage `json:"answers"`
	EligibilityReasons json.RawMessage            `json:"eligibility_reasons"`
	SubmittedAt        *time.Time                 `json:"submitted_at"`
}

// BlindApplication is an application as a reviewer reads it: the call, the region and
// whether she lives in a village, the form's fields that do not identify her and her
// answers to them with identifying words blacked out, the criteria to score and the
// reviewer's own review if she has scored it. No reference, person, district, language,
// date or status: nothing that names or finds her.
type BlindApplication struct {
	ID     int64 `json:"id"`
	CallID int64 `json:"call_id"`
	CallTitles
	Region   string                     `json:"region"`
	Rural    bool                       `json:"rural"`
	Form     []CallField                `json:"form"`
	Answers  map[string]json.RawMessage `json:"answers"`
	Criteria []CallCriterion            `json:"criteria"`
	Review   *Review                    `json:"review"`
}

// A reviewer reads an application blind (decision 0036): the form's fields that identify
// are left out, and what identifies her in the answers she typed is blacked out.

// identifyingCodes are form fields that name or locate a person whatever the form calls
// them; identifyingSuffixes catch the same in fields an officer adds ("mother_name").
var (
	identifyingCodes    = []string{"name", "full_name", "iin", "pin", "phone", "email", "address", "birth_date", "school", "photo", "photos"}
	identifyingSuffixes = []string{"_name", "_iin", "_pin", "_phone", "_email", "_address", "_birth_date", "_school", "_photo", "_photos"}
)

// Identifying reports whether a form field identifies the applicant or a member of her
// family, and so is never shown to a reviewer: every file (photos of people, scans of
// documents), and a field whose code is, or ends with, a name, an identity number, a
// phone, an email, an address, a birth date or a school.
func (f CallField) Identifying() bool {
	if f.Type == "file" || slices.Contains(identifyingCodes, f.Code) {
		return true
	}
	for _, s := range identifyingSuffixes {
		if strings.HasSuffix(f.Code, s) {
			return true
		}
	}
	return false
}

// Redacted is what stands in a reviewer's text where something identifying was.
const Redacted = "███"

var (
	// emails and runs of 10 to 15 digits (phones, identity numbers), spaces, dots,
	// dashes and brackets between the digits allowed; sums of money have fewer digits.
	emailPattern  = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}.\-]+\.\p{L}{2,}`)
	digitsPattern = regexp.MustCompile(`\+?\(?\d(?:[\s.\-()]{0,2}\d){9,14}`)
)

// Scrub blacks out of a text every email address, every phone or identity number, and
// every occurrence of the applicant's identifying words (her names, her district, her
// settlement): compared ignoring case, as whole words, a word of four letters or more
// also with any ending (Kazakh and Kyrgyz add them: Айжанның, Жұмабаеваға), words of two
// letters or fewer never, so that no common syllable is lost.
func Scrub(text string, words []string) string {
	text = emailPattern.ReplaceAllString(text, Redacted)
	text = digitsPattern.ReplaceAllString(text, Redacted)
	var short, long []string
	for _, w := range words {
		for _, part := range strings.Fields(w) {
			n, q := utf8.RuneCountInString(part), regexp.QuoteMeta(part)
			switch {
			case n >= 4 && !slices.Contains(long, q):
				long = append(long, q)
			case n == 3 && !slices.Contains(short, q):
				short = append(short, q)
			}
		}
	}
	// \b is ASCII-only in Go; letters and digits of any script bound a word here.
	for _, alt := range []string{strings.Join(long, "|") + `)[\p{L}\p{M}]*(`, strings.Join(short, "|") + `)(`} {
		if strings.HasPrefix(alt, ")") {
			continue
		}
		re := regexp.MustCompile(`(?i)(^|[^\p{L}\p{N}])(` + alt + `[^\p{L}\p{N}]|$)`)
		for { // adjacent words share a separator: repeat until none is left
			out := re.ReplaceAllString(text, "${1}"+Redacted+"${3}")
			if out == text {
				break
			}
			text = out
		}
	}
	return text
}

// BlindAnswers returns the form a reviewer sees and her answers to it: the identifying
// fields left out, every text answer scrubbed of the identifying words.
func BlindAnswers(form []CallField, answers map[string]json.RawMessage, words []string) ([]CallField, map[string]json.RawMessage) {
	shown := []CallField{}
	out := map[string]json.RawMessage{}
	for _, f := range form {
		if f.Identifying() {
			continue
		}
		shown = append(shown, f)
		raw, ok := answers[f.Code]
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) == nil {
			b, _ := json.Marshal(Scrub(s, words))
			raw = b
		}
		out[f.Code] = raw
	}
	return shown, out
}
