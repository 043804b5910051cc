package birge

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Outcome is one result in a woman's life that a service helped bring about: a job
// found, a business started, a divorce application withdrawn. Like deliveries, it is the
// one record every module writes, so that every report counts outcomes from one table
// (decision 0020).
type Outcome struct {
	ID        int64  `json:"id"`
	OrgID     int64  `json:"organization_id"`
	CenterID  int64  `json:"center_id"` // her centre when it was recorded
	PersonID  int64  `json:"person_id"`
	ProgramID *int64 `json:"program_id"` // the programme it came of, if any
	Kind      string `json:"kind"`       // a code of the organisation's outcome kinds
	Date      string `json:"date"`       // YYYY-MM-DD
	// Value is what it measured, if anything: a number (a salary's rise in per cent,
	// people employed) or money.
	Value    *OutcomeValue `json:"value"`
	Evidence string        `json:"evidence"` // how it is known: a contract, a call
	// File is the evidence attached, if any (read only: files are uploaded on her page);
	// its content is sealed with her key and erased with her identity.
	File *EvidenceFile `json:"evidence_file"`
	// Upload is a new file to attach, from a form; never read from JSON.
	Upload *EvidenceUpload `json:"-"`
	// DropFile removes the attached file on an update; never read from JSON.
	DropFile   bool  `json:"-"`
	RecordedBy int64 `json:"recorded_by"`
	// Source is "manual" for one recorded by hand, else the module that wrote it, whose
	// record is SourceID; only manual ones are edited or deleted as outcomes.
	Source    string    `json:"source"`
	SourceID  int64     `json:"source_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// OutcomeValue is an outcome's measure: a plain whole number when Currency is empty,
// else money in minor units. In JSON it is a number (3) or money's object
// ({"amount": 1887000, "currency": "USD"}), so that a client writes what it means.
type OutcomeValue struct {
	Amount   int64
	Currency string
}

// MarshalJSON writes a number or money.
func (v OutcomeValue) MarshalJSON() ([]byte, error) {
	if v.Currency == "" {
		return json.Marshal(v.Amount)
	}
	return json.Marshal(Money(v))
}

// noCurrency marks money read without a currency: no currency's code, so refused.
const noCurrency = "?"

// UnmarshalJSON reads a number or money; anything else is refused.
func (v *OutcomeValue) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var m Money
		if err := json.Unmarshal(b, &m); err != nil {
			return err
		}
		*v = OutcomeValue(m)
		if v.Currency == "" {
			// Money without its currency is a mistake of the value's currency, said by
			// Validate (422 on value.currency), not a body that is not JSON.
			v.Currency = noCurrency
		}
		return nil
	}
	v.Currency = ""
	return json.Unmarshal(b, &v.Amount)
}

// EvidenceFile describes an attached file: its name as uploaded, its sniffed type and
// its size in bytes.
type EvidenceFile struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Size int64  `json:"size"`
}

// EvidenceUpload is a file to attach as evidence.
type EvidenceUpload struct {
	Name    string
	Content []byte
}

// MaxEvidenceBytes bounds an evidence file: a scanned contract or a photographed
// letter, not an archive.
const MaxEvidenceBytes = 5 << 20

// EvidenceTypes are the types of file accepted as evidence, sniffed from the content.
var EvidenceTypes = []string{"application/pdf", "image/jpeg", "image/png"}

// EvidenceType is an upload's type read from its first bytes, never from its name (a
// renamed program is still a program), and the problem with it, if any.
func (u EvidenceUpload) EvidenceType() (string, string) {
	switch {
	case len(u.Content) == 0:
		return "", "outcome.file_empty"
	case len(u.Content) > MaxEvidenceBytes:
		return "", "outcome.file_too_large"
	}
	t := http.DetectContentType(u.Content)
	if !oneOf(t, EvidenceTypes) {
		return "", "outcome.file_type"
	}
	return t, ""
}

// CleanName is the name a file is kept under: what it was uploaded as, without folders
// or characters that cannot be shown or that disguise it, and not longer than a short
// text.
func (u EvidenceUpload) CleanName() string {
	name := u.Name
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		// Format characters too: a right-to-left override makes "fdp.exe" read as
		// "exe.pdf".
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	if r := []rune(name); len(r) > MaxShort {
		name = string(r[:MaxShort])
	}
	if strings.TrimSpace(name) == "" {
		return "evidence"
	}
	return name
}

// Describe is what an outcome says of the file it is given; nil for no file.
func (u *EvidenceUpload) Describe() *EvidenceFile {
	if u == nil {
		return nil
	}
	t, _ := u.EvidenceType()
	return &EvidenceFile{Name: u.CleanName(), Type: t, Size: int64(len(u.Content))}
}

// MaxOutcomeNumber bounds a plain value.
const MaxOutcomeNumber = 1_000_000_000

// Validate checks an outcome against its organisation's kinds: a day not after today
// (the user's day), a value that is a whole number or a positive amount of a known
// currency, evidence text and an acceptable file.
func (o *Outcome) Validate(kinds KindList, today time.Time) error {
	pr := Problems{}
	if k, ok := kinds.Lookup(o.Kind); !ok || k.Retired {
		pr.Add("kind", "field.choose")
	}
	pr.Add("date", CheckPastDate(o.Date, today))
	if v := o.Value; v != nil {
		switch {
		case v.Currency == "" && (v.Amount < 0 || v.Amount > MaxOutcomeNumber):
			pr.Add("value", "outcome.value_range")
		case v.Currency != "" && !oneOf(v.Currency, Currencies):
			pr.Add("value.currency", "field.choose")
		case v.Currency != "" && (v.Amount < 1 || v.Amount > MaxMinorUnits):
			pr.Add("value.amount", "delivery.amount_range")
		}
	}
	pr.Add("evidence", CheckText(o.Evidence, false, MaxLong, true))
	if o.Upload != nil {
		_, problem := o.Upload.EvidenceType()
		pr.Add("evidence_file", problem)
	}
	return pr.Err()
}

// Manual reports whether it was recorded by hand, and so is edited as an outcome.
func (o Outcome) Manual() bool { return o.Source == SourceManual }

// DefaultOutcomeKinds are every organisation's kinds of outcome to begin with; their
// names are the catalog's outcome.kind.<code>.
var DefaultOutcomeKinds = []string{"employed", "self_employed", "business_started", "income_increased",
	"divorce_application_withdrawn", "reconciled", "scholarship_renewed",
	// What closing a family case records (case_close.go); seeded by migration 0031.
	"separation_agreed", "referred_elsewhere", "stopped_coming", "divorce_withdrawn_at_risk",
	// What an award's follow-up records (award.go); seeded by migration 0043.
	"business_operating", "business_income", "jobs_created"}

// KindList is an organisation's list of kinds of one record (services, outcomes).
type KindList = DeliveryKindList
