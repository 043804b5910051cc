package birge

import (
	"slices"
	"time"
)

// Case is a family that came to a family centre for counselling or mediation (issue 11,
// decision 0023): one or two partners and their children from the registry, at a centre,
// with why and how they came, whether a divorce application is filed, and who works
// with them. Risk is the highest result of the partners' safety screenings
// (screening.go); any above none flags the case until the flag is lifted.
type Case struct {
	ID             int64         `json:"id"`
	OrgID          int64         `json:"organization_id"`
	CenterID       int64         `json:"center_id"`
	PartnerIDs     []int64       `json:"partner_ids"`
	ChildIDs       []int64       `json:"child_ids"`
	IntakeDate     string        `json:"intake_date"` // YYYY-MM-DD
	Reasons        []string      `json:"reasons"`     // codes of the organisation's list
	CameFrom       string        `json:"came_from"`
	DivorceFiled   bool          `json:"divorce_filed"`
	DivorceFiledOn string        `json:"divorce_filed_on"` // YYYY-MM-DD, or empty
	DivorceCourt   string        `json:"divorce_court"`
	Status         string        `json:"status"`
	PsychologistID int64         `json:"psychologist_id"` // 0: none assigned
	MediatorID     int64         `json:"mediator_id"`
	WorkerIDs      []int64       `json:"worker_ids"`     // read-only: the psychologist and the mediator
	Flagged        bool          `json:"flagged"`        // read-only: risk above none, not lifted
	Risk           string        `json:"risk,omitempty"` // read-only: the highest screening result; left out of a dossier
	Override       *CaseOverride `json:"override"`       // read-only: the flag lifted, or nil
	ReviewedBy     int64         `json:"reviewed_by"`    // read-only: the supervisor who reviewed a danger case
	NeedsReview    bool          `json:"needs_review"`   // read-only: danger, not reviewed yet
	ScreenedIDs    []int64       `json:"screened_ids"`   // read-only: the partners screened in this case
	Outcome        string        `json:"outcome"`        // read-only: how it ended, while closed (case_close.go)
	ClosedOn       string        `json:"closed_on"`      // read-only: YYYY-MM-DD, while closed
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
}

// CaseCameFrom are how a family came, in display order.
var CaseCameFrom = []string{"self", "court", "akimat", "police", "service", "center"}

// Case statuses, in their order.
const (
	CaseIntake    = "intake"
	CaseScreening = "screening"
	CaseActive    = "active"
	CaseClosed    = "closed"
)

// CaseStatuses are every status; CaseOpenStatuses those an edit moves a case between
// (a case is closed, with an outcome, and reopened on their own: case_close.go).
var (
	CaseStatuses     = []string{CaseIntake, CaseScreening, CaseActive, CaseClosed}
	CaseOpenStatuses = []string{CaseIntake, CaseScreening, CaseActive}
)

// DefaultCaseReasons are every organisation's reasons to begin with; their names are the
// catalog's case.reason.<code>.
var DefaultCaseReasons = []string{"communication", "finances", "in_laws", "infidelity", "alcohol_drugs",
	"violence", "children", "housing", "other"}

// CaseReasonViolence is the reason that says she lives with violence: a request that
// gives it is screened with her alone before anything else (issue 11).
const CaseReasonViolence = "violence"

// MaxCaseChildren bounds the children of one family.
const MaxCaseChildren = 20

// Validate checks a case's own fields against the organisation's reasons: partners,
// children, the day of intake not after today (the user's, Actor.Today), the reasons,
// how they came, the divorce application, the status. Whether the people and workers
// exist and may be seen is the store's to check.
func (c *Case) Validate(reasons KindList, today time.Time) error {
	pr := Problems{}
	switch {
	case len(c.PartnerIDs) < 1 || len(c.PartnerIDs) > 2:
		pr.Add("partner_ids", "case.partners_count")
	case len(c.PartnerIDs) == 2 && c.PartnerIDs[0] == c.PartnerIDs[1]:
		pr.Add("partner_ids", "case.same_person")
	}
	if len(c.ChildIDs) > MaxCaseChildren {
		pr.Add("child_ids", "case.children_count")
	}
	for i, id := range c.ChildIDs {
		if slices.Contains(c.PartnerIDs, id) || slices.Contains(c.ChildIDs[:i], id) {
			pr.Add("child_ids", "case.same_person")
		}
	}
	pr.Add("intake_date", CheckPastDate(c.IntakeDate, today))
	if len(c.Reasons) == 0 {
		pr.Add("reasons", "field.required")
	}
	for i, code := range c.Reasons {
		if k, ok := reasons.Lookup(code); !ok || k.Retired || slices.Contains(c.Reasons[:i], code) {
			pr.Add("reasons", "field.choose")
		}
	}
	if !oneOf(c.CameFrom, CaseCameFrom) {
		pr.Add("came_from", "field.choose")
	}
	if c.DivorceFiled {
		if c.DivorceFiledOn != "" {
			pr.Add("divorce_filed_on", CheckPastDate(c.DivorceFiledOn, today))
		}
		pr.Add("divorce_court", CheckText(c.DivorceCourt, false, MaxShort, false))
	} else if c.DivorceFiledOn != "" || c.DivorceCourt != "" {
		pr.Add("divorce_filed", "case.divorce_not_filed")
	}
	if !oneOf(c.Status, CaseOpenStatuses) {
		pr.Add("status", "case.status_open")
	}
	return pr.Err()
}

// Assigned are the users assigned to the case.
func (c Case) Assigned() []int64 {
	var out []int64
	for _, id := range []int64{c.PsychologistID, c.MediatorID} {
		if id != 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
