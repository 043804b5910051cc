package birge

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"time"
)

// Application is a woman's application to a call (decision 0035): a draft she comes back
// to through her private link, until she submits it; then checked against the call's
// rules (eligible or ineligible, with the reasons), and read by the call's staff.
type Application struct {
	ID        int64     `json:"id"`
	CallID    int64     `json:"call_id"`
	Reference string    `json:"reference"` // what she is told; the API's name for it outside Birge
	PersonID  int64     `json:"person_id"` // her record, once she submitted; 0 for a draft
	Status    string    `json:"status"`
	Language  string    `json:"language"`
	Applicant Applicant `json:"applicant"`
	// Answers are keyed by the form's field codes: a string for text, longtext, choice and
	// date, a whole number for number, a Money for money; files are in Files.
	Answers            map[string]any      `json:"answers"`
	Files              []ApplicationFile   `json:"files"`
	Region             string              `json:"region"`
	District           string              `json:"district"`
	Rural              bool                `json:"rural"`
	EligibilityReasons []EligibilityReason `json:"eligibility_reasons"`
	OverrideReason     string              `json:"override_reason"`
	OverriddenBy       int64               `json:"overridden_by"`
	SubmittedAt        *time.Time          `json:"submitted_at"`
	CreatedAt          time.Time           `json:"created_at"`
	UpdatedAt          time.Time           `json:"updated_at"`
}

// Applicant is who she says she is: the registry's person fields and what the call's
// rules ask of her household. Categories are those of the call's rules she says she is
// in.
type Applicant struct {
	FamilyName       string   `json:"family_name"`
	GivenName        string   `json:"given_name"`
	Patronymic       string   `json:"patronymic"`
	BirthDate        string   `json:"birth_date"`
	IIN              string   `json:"iin"`
	Phones           []string `json:"phones"`
	Email            string   `json:"email"`
	Region           string   `json:"region"`
	District         string   `json:"district"`
	Settlement       string   `json:"settlement"`
	Rural            bool     `json:"rural"`
	HouseholdIncome  *Money   `json:"household_income"` // a month's, in the call's currency
	HouseholdMembers int      `json:"household_members"`
	Categories       []string `json:"categories"`
}

// ApplicationFile is an attachment to one of the form's file fields, as uploaded (its
// content is sealed and read apart).
type ApplicationFile struct {
	ID    int64  `json:"id"`
	Field string `json:"field"`
	Name  string `json:"name"`
	Type  string `json:"type"`
	Size  int64  `json:"size"`
}

// Application statuses: a draft until she submits; submitted only for an instant, as
// the rules are checked on submitting; the rest are decided later by the officers.
const (
	AppDraft       = "draft"
	AppSubmitted   = "submitted"
	AppIneligible  = "ineligible"
	AppEligible    = "eligible"
	AppShortlisted = "shortlisted"
	AppAwarded     = "awarded"
	AppRejected    = "rejected"
)

// ApplicationStatuses are every status, in the order an application goes through them.
var ApplicationStatuses = []string{AppDraft, AppSubmitted, AppIneligible, AppEligible, AppShortlisted, AppAwarded, AppRejected}

// MaxApplicationFiles bounds the attachments of one application: a handful of photos and
// certificates, not an archive. Each is at most MaxEvidenceBytes.
const MaxApplicationFiles = 10

// MaxAnswerNumber bounds a number answer (jobs, a grade, household members).
const MaxAnswerNumber = 1_000_000

// refAlphabet has no letters that read as digits (I, O) or each other on a phone's screen.
const refAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// NewReference makes a reference to tell her, such as "BG-7K3Q-XP9M": the call's kind,
// then eight random characters (40 bits), easy to read out over the phone.
func NewReference(kind string) string {
	prefix := map[string]string{"business_grant": "BG", "scholarship": "SC"}[kind]
	if prefix == "" {
		prefix = "AP"
	}
	b := make([]byte, 8)
	rand.Read(b)
	out := []byte(prefix + "-")
	for i, c := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, refAlphabet[int(c)%len(refAlphabet)])
	}
	return string(out)
}

// CleanReference is a reference as typed (lower case, spaces around), as it is kept.
func CleanReference(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// Person is the registry's record the applicant's fields make, at a centre.
func (a Applicant) Person(centerID int64) Person {
	return Person{CenterID: centerID, FamilyName: a.FamilyName, GivenName: a.GivenName, Patronymic: a.Patronymic,
		BirthDate: a.BirthDate, IIN: a.IIN, Phones: a.Phones, Email: a.Email, Region: a.Region,
		District: a.District, Settlement: a.Settlement, Rural: a.Rural, Categories: []string{}}
}

// Check checks what she says of herself against the registry's rules for a
// person (in the country of the call's organisation) and the call's: her household and
// the categories the rules name. A draft may leave anything out (submit false); what
// she did write must be right either way. It normalises phones and the identity number.
func (a *Applicant) Check(c Call, country string, today time.Time, submit bool) Problems {
	p := a.Person(0)
	p.Country = country
	pr := Problems{}
	if err := p.Validate(today); err != nil {
		for f, key := range AsError(err).Fields {
			if submit || key != "field.required" {
				pr.Add("applicant."+f, key)
			}
		}
	}
	// Validate wrote what it normalised (any problem refuses the whole save).
	a.Phones, a.IIN, a.Email, a.BirthDate = p.Phones, p.IIN, p.Email, p.BirthDate
	if a.Phones == nil {
		a.Phones = []string{}
	}
	if submit && len(a.Phones) == 0 {
		pr.Add("applicant.phones", "application.phone_required")
	}
	if a.HouseholdMembers < 0 || a.HouseholdMembers > MaxHousehold {
		pr.Add("applicant.household_members", "field.range")
	}
	if m := a.HouseholdIncome; m != nil {
		switch {
		case m.Currency != c.Budget.Currency:
			pr.Add("applicant.household_income.currency", "call.currency_other")
		case m.Amount < 0 || m.Amount > MaxMinorUnits:
			pr.Add("applicant.household_income.amount", "delivery.amount_range")
		}
	}
	if a.Categories == nil {
		a.Categories = []string{}
	}
	for _, cat := range a.Categories {
		if !slices.Contains(c.Eligibility.Categories, cat) {
			pr.Add("applicant.categories", "field.choose")
		}
	}
	a.Categories = sortedUnique(a.Categories)
	return pr
}

// CheckAnswers reads her answers to a call's form, each by its field's type, and returns
// them as they are kept. A draft may leave any out; on submitting (submit true) the
// required ones must be there, a file field's by an attachment (files counts them by
// field). Problems are named answers.<code>.
func CheckAnswers(c Call, raw map[string]json.RawMessage, files map[string]int, submit bool) (map[string]any, Problems) {
	pr := Problems{}
	out := map[string]any{}
	fields := map[string]CallField{}
	for _, f := range c.Form {
		fields[f.Code] = f
	}
	for code, v := range raw {
		f, ok := fields[code]
		at := "answers." + code
		switch {
		case !ok:
			pr.Add("answers", "application.unknown_field")
			continue
		case f.Type == "file":
			pr.Add(at, "application.file_apart")
			continue
		case isNull(v):
			continue
		}
		val, key := answerOf(f, v, c.Budget.Currency)
		if key != "" {
			pr.Add(at, key)
			continue
		}
		if val != nil {
			out[code] = val
		}
	}
	if submit {
		for _, f := range c.Form {
			_, answered := out[f.Code]
			if f.Required && !answered && !(f.Type == "file" && files[f.Code] > 0) {
				pr.Add("answers."+f.Code, "field.required")
			}
		}
	}
	return out, pr
}

func isNull(v json.RawMessage) bool {
	return len(bytes.TrimSpace(v)) == 0 || string(bytes.TrimSpace(v)) == "null"
}

// answerOf reads one answer by its field's type: the value to keep (nil for one left
// blank) or the catalog key of what is wrong with it.
func answerOf(f CallField, v json.RawMessage, currency string) (any, string) {
	switch f.Type {
	case "text", "longtext", "choice", "date":
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, "field.type"
		}
		if f.Type == "longtext" {
			if key := CheckText(s, false, MaxLong, true); key != "" {
				return nil, key
			}
		} else if key := CheckText(s, false, MaxName, false); key != "" {
			return nil, key
		}
		if Invisible(s) {
			return nil, ""
		}
		switch f.Type {
		case "choice":
			if !slices.ContainsFunc(f.Options, func(o CallOption) bool { return o.Code == s }) {
				return nil, "field.choose"
			}
		case "date":
			if _, err := time.Parse(time.DateOnly, s); err != nil {
				return nil, "field.date"
			}
		}
		return s, ""
	case "number":
		var n float64
		if err := json.Unmarshal(v, &n); err != nil {
			return nil, "field.type"
		}
		if n != math.Trunc(n) || n < 0 || n > MaxAnswerNumber {
			return nil, "field.range"
		}
		return int64(n), ""
	case "money":
		var m Money
		if err := json.Unmarshal(v, &m); err != nil {
			return nil, "field.type"
		}
		if m.Currency != currency {
			return nil, "call.currency_other"
		}
		if m.Amount < 0 || m.Amount > MaxMinorUnits {
			return nil, "delivery.amount_range"
		}
		return m, ""
	}
	return nil, "field.type"
}

// Facts are what the call's rules look at in an application: her birth date (from her
// identity number when she gave no date), her place and household, the categories she
// named (with those of her record, categories), and whether an earlier award was hers.
func (a Application) Facts(categories []string, earlierAward bool) ApplicantFacts {
	birth := a.Applicant.BirthDate
	if birth == "" && a.Applicant.IIN != "" {
		if id, key := ParseIIN(a.Applicant.IIN); key == "" {
			birth = id.BirthDate.Format(time.DateOnly)
		}
	}
	return ApplicantFacts{BirthDate: birth, Region: a.Applicant.Region, Rural: a.Applicant.Rural,
		Categories:      sortedUnique(append(append([]string{}, a.Applicant.Categories...), categories...)),
		HouseholdIncome: a.Applicant.HouseholdIncome, HouseholdMembers: a.Applicant.HouseholdMembers,
		EarlierAward: earlierAward}
}

// EligibilityStatus is the status the reasons give: eligible with none.
func EligibilityStatus(reasons []EligibilityReason) string {
	if len(reasons) == 0 {
		return AppEligible
	}
	return AppIneligible
}
