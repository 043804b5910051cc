package birge

import "time"

// How a family case ends (issue 11, decision 0027).
const (
	CaseReconciledWithdrawn = "reconciled_withdrawn" // reconciled, and the divorce application withdrawn
	CaseReconciled          = "reconciled"           // reconciled; no application was filed
	CaseAgreedSeparation    = "agreed_separation"    // separated with a mediated agreement on children and property
	CaseReferred            = "referred"             // referred elsewhere
	CaseStoppedComing       = "stopped_coming"
)

// CaseOutcomes are the ways a case ends, in display order.
var CaseOutcomes = []string{CaseReconciledWithdrawn, CaseReconciled, CaseAgreedSeparation, CaseReferred, CaseStoppedComing}

// Closing actions: a case's history is every closing and reopening.
const (
	ActionCaseClose  = "close"
	ActionCaseReopen = "reopen"
)

// The bounds of the optional satisfaction with the help received.
const (
	MinSatisfaction = 1
	MaxSatisfaction = 5
)

// CaseClosing is one closing of a case, with its outcome, or one reopening, with its
// reason. Agreement and Reason may name people: the store seals them with the first
// partner's key.
type CaseClosing struct {
	ID           int64     `json:"id"`
	Action       string    `json:"action"` // close or reopen
	Outcome      string    `json:"outcome,omitempty"`
	ClosedOn     string    `json:"closed_on,omitempty"` // YYYY-MM-DD
	Satisfaction *int      `json:"satisfaction,omitempty"`
	Agreement    string    `json:"agreement,omitempty"` // the mediated agreement, for an agreed separation
	Reason       string    `json:"reason,omitempty"`    // why it was reopened
	By           int64     `json:"by"`
	At           time.Time `json:"at"`
}

// ValidateClose checks a closing of case k: its outcome (withdrawn only where an
// application was filed), its day (not after today, the user's, nor before the intake),
// the satisfaction, and the agreement, which an agreed separation needs and no other
// outcome takes.
func (cl *CaseClosing) ValidateClose(k Case, today time.Time) error {
	pr := Problems{}
	switch {
	case !oneOf(cl.Outcome, CaseOutcomes):
		pr.Add("outcome", "field.choose")
	case cl.Outcome == CaseReconciledWithdrawn && !k.DivorceFiled:
		// No application filed, none withdrawn: counted, it would be a success that never was.
		pr.Add("outcome", "case.withdrawn_not_filed")
	}
	if p := CheckPastDate(cl.ClosedOn, today); p != "" {
		pr.Add("closed_on", p)
	} else if cl.ClosedOn < k.IntakeDate {
		pr.Add("closed_on", "case.closed_before_intake")
	}
	if s := cl.Satisfaction; s != nil && (*s < MinSatisfaction || *s > MaxSatisfaction) {
		pr.Add("satisfaction", "case.satisfaction_range")
	}
	switch {
	case cl.Outcome == CaseAgreedSeparation:
		pr.Add("agreement", CheckText(cl.Agreement, true, MaxLong, true))
	case cl.Agreement != "":
		pr.Add("agreement", "case.agreement_only_separation")
	}
	return pr.Err()
}

// ValidateReopen checks the reason a closed case is reopened: it is required.
func (cl *CaseClosing) ValidateReopen() error {
	pr := Problems{}
	pr.Add("reason", CheckText(cl.Reason, true, MaxLong, true))
	return pr.Err()
}

// AtRisk reports whether any screening of the case found more than none, whether or not
// the flag was lifted since: such a case's withdrawn divorce application is recorded but
// never counted as a success (issue 11).
func (c Case) AtRisk() bool { return c.Risk != "" && c.Risk != RiskNone }

// CaseOutcomeKind is the kind of outcome a closing records in each partner's life. A
// divorce application withdrawn on a case at risk is a kind of its own, so that no
// indicator counting withdrawals as a success counts it.
func CaseOutcomeKind(outcome string, atRisk bool) string {
	switch outcome {
	case CaseReconciledWithdrawn:
		if atRisk {
			return "divorce_withdrawn_at_risk"
		}
		return "divorce_application_withdrawn"
	case CaseReconciled:
		return "reconciled"
	case CaseAgreedSeparation:
		return "separation_agreed"
	case CaseReferred:
		return "referred_elsewhere"
	}
	return "stopped_coming"
}
