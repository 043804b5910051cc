package birge

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Training follow-ups (issue 12, decision 0033): months after a woman completes a course,
// someone asks what became of her — a job, a business, her income, whether the training
// helped. Staff record it after a call, or she answers herself through a one-time link.

// DefaultFollowupMonths are when a course's follow-ups fall due unless it says otherwise:
// three, six and twelve months after completion.
var DefaultFollowupMonths = []int{3, 6, 12}

// FigureMonths is the follow-up the figures count jobs and businesses at.
const FigureMonths = 6

// MaxFollowupMonths bounds a course's latest follow-up (three years).
const MaxFollowupMonths = 36

// FollowupGraceDays is how long a follow-up stays due after its day before it is
// overdue: a month to reach her.
const FollowupGraceDays = 30

// FollowupLinkDays is how long a one-time link works.
const FollowupLinkDays = 30

// Employment statuses a follow-up records.
var FollowupEmployments = []string{"employed", "self_employed", "unemployed", "studying", "on_leave"}

// FollowupIncomeBands are her monthly income, as bands: none, then the registry's bands.
var FollowupIncomeBands = append([]string{"none"}, IncomeBands...)

// FollowupHelped are the answers to whether the training helped.
var FollowupHelped = []string{"yes", "partly", "no"}

// How a follow-up was recorded: by staff after a call, or by her through a link.
const (
	FollowupViaCall = "call"
	FollowupViaLink = "link"
)

// SourceFollowup is the outcomes' source of a follow-up's results.
const SourceFollowup = "training_followup"

// CheckFollowupMonths checks a course's months of follow-up: each 1 to 36, rising, none
// twice. An empty list means the course has no follow-ups.
func CheckFollowupMonths(months []int) string {
	for i, m := range months {
		if m < 1 || m > MaxFollowupMonths || (i > 0 && m <= months[i-1]) {
			return "followup.months_range"
		}
	}
	return ""
}

// FormatMonths writes months as the list a form shows and a column keeps: "3,6,12".
func FormatMonths(months []int) string {
	s := make([]string, len(months))
	for i, m := range months {
		s[i] = strconv.Itoa(m)
	}
	return strings.Join(s, ",")
}

// ParseMonths reads "3, 6, 12"; ok is false when a part is not a whole number.
func ParseMonths(s string) ([]int, bool) {
	out := []int{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		m, err := strconv.Atoi(part)
		if err != nil {
			return nil, false
		}
		out = append(out, m)
	}
	return out, true
}

// AddMonths is the day months after day (YYYY-MM-DD), kept within its month: 31 August
// and six months is the last day of February, not the 3rd of March.
func AddMonths(day string, months int) (string, bool) {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return "", false
	}
	first := time.Date(d.Year(), d.Month()+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d.Day(), last), 0, 0, 0, 0, time.UTC).Format(time.DateOnly), true
}

// Follow-up states on a day: not yet due, due (from its day for FollowupGraceDays),
// overdue after that, and recorded.
const (
	FollowupUpcoming = "upcoming"
	FollowupDue      = "due"
	FollowupOverdue  = "overdue"
	FollowupRecorded = "recorded"
)

// FollowupState is the state on today of a follow-up due on dueOn, not yet recorded.
func FollowupState(dueOn string, today time.Time) string {
	t := today.Format(time.DateOnly)
	switch {
	case t < dueOn:
		return FollowupUpcoming
	case dueOn >= today.AddDate(0, 0, -FollowupGraceDays).Format(time.DateOnly):
		return FollowupDue
	default:
		return FollowupOverdue
	}
}

// Followup is one follow-up of a woman who completed a course: when it is due and, once
// recorded, her answers.
type Followup struct {
	ID           int64  `json:"id"` // 0 while not recorded
	OrgID        int64  `json:"organization_id"`
	CenterID     int64  `json:"center_id"` // the cohort's, 0 for a village venue
	EnrollmentID int64  `json:"enrollment_id"`
	CohortID     int64  `json:"cohort_id"`
	CourseID     int64  `json:"course_id"`
	PersonID     int64  `json:"person_id"`
	PersonName   string `json:"person_name"` // read-only
	Months       int    `json:"months"`
	DueOn        string `json:"due_on"` // read-only: her completion (else the cohort's last day) and Months
	State        string `json:"state"`  // read-only: upcoming, due, overdue or recorded
	FollowupAnswers
	Via        string    `json:"via,omitempty"`         // read-only: call or link
	RecordedOn string    `json:"recorded_on,omitempty"` // read-only
	RecordedBy int64     `json:"recorded_by,omitempty"` // read-only: 0 when she answered herself
	Outcomes   []int64   `json:"outcome_ids,omitempty"` // read-only: the outcomes it wrote
	CreatedAt  time.Time `json:"created_at,omitzero"`   // absent while not recorded
}

// FollowupAnswers are what she says: her work, the business she started, her income,
// whether the training helped, and anything else in her words.
type FollowupAnswers struct {
	Employment         string `json:"employment"`
	Business           bool   `json:"business_started"`
	BusinessKind       string `json:"business_kind"`
	BusinessRegistered bool   `json:"business_registered"` // as an individual entrepreneur
	BusinessEmployees  int    `json:"business_employees"`
	IncomeBand         string `json:"income_band"`
	Helped             string `json:"helped"`
	Comment            string `json:"comment"`
}

// MaxBusinessEmployees bounds the employees of a business she started.
const MaxBusinessEmployees = 10000

// Validate checks the answers, each by its field: a business's details only with a
// business, its kind then required.
func (f *FollowupAnswers) Validate() error {
	pr := Problems{}
	if !oneOf(f.Employment, FollowupEmployments) {
		pr.Add("employment", "field.choose")
	}
	if f.Business {
		pr.Add("business_kind", CheckText(f.BusinessKind, true, MaxShort, false))
		if f.BusinessEmployees < 0 || f.BusinessEmployees > MaxBusinessEmployees {
			pr.Add("business_employees", "followup.employees_range")
		}
	} else if f.BusinessKind != "" || f.BusinessRegistered || f.BusinessEmployees != 0 {
		pr.Add("business_kind", "followup.business_only")
	}
	if f.IncomeBand != "" && !oneOf(f.IncomeBand, FollowupIncomeBands) {
		pr.Add("income_band", "field.choose")
	}
	if !oneOf(f.Helped, FollowupHelped) {
		pr.Add("helped", "field.choose")
	}
	pr.Add("comment", CheckText(f.Comment, false, MaxLong, true))
	return pr.Err()
}

// OutcomeKinds are the outcomes her answers are: employed or self-employed, and a
// business started.
func (f FollowupAnswers) OutcomeKinds() []string {
	var out []string
	if f.Employment == "employed" || f.Employment == "self_employed" {
		out = append(out, f.Employment)
	}
	if f.Business {
		out = append(out, "business_started")
	}
	return out
}

// WorkOutcomes are the kinds of outcome the figures count as a job or a business.
var WorkOutcomes = []string{"employed", "self_employed", "business_started"}

// IsWorkOutcome reports whether an outcome kind is a job or a business.
func IsWorkOutcome(kind string) bool { return slices.Contains(WorkOutcomes, kind) }
