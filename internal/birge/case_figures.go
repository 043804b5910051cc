package birge

import (
	"math"
	"slices"
	"time"
)

// CaseFigures are a centre's figures for a period (issue 11, decision 0027): counts, never
// names. A family belongs to the period of its day of intake, and so do its sessions.
type CaseFigures struct {
	CenterID int64  `json:"center_id"`
	From     string `json:"from"` // YYYY-MM-DD, or empty: from the first
	To       string `json:"to"`   // YYYY-MM-DD, or empty: to the last
	Families int    `json:"families"`
	Closed   int    `json:"closed"`
	// Withdrawn are the families who withdrew their divorce application, as a success:
	// never one at risk (AtRisk), which WithdrawnAtRisk counts apart.
	Withdrawn       int `json:"withdrawn"`
	WithdrawnAtRisk int `json:"withdrawn_at_risk"`
	// WithdrawnShare is Withdrawn in per cent of Families, to one decimal.
	WithdrawnShare float64 `json:"withdrawn_share"`
	// Flagged are the families whose screening found more than none, lifted or not.
	Flagged int `json:"flagged"`
	// Of them, those with a safety plan for a partner, and those referred on from the case.
	FlaggedWithPlan     int            `json:"flagged_with_plan"`
	FlaggedWithReferral int            `json:"flagged_with_referral"`
	Outcomes            map[string]int `json:"outcomes"` // closed families by outcome
	// SessionsByType counts the sessions the families came to, by type.
	SessionsByType map[string]int `json:"sessions_by_type"`
	// MedianWaitDays is the median of days from intake to a family's first session it
	// came to, over the families that have had one; nil when none has.
	MedianWaitDays *float64 `json:"median_wait_days"`
	Waited         int      `json:"waited"` // the families MedianWaitDays is the median of
	// Caseload is each assigned worker's families of the period, by worker.
	Caseload []WorkerCaseload `json:"caseload"`
}

// WorkerCaseload is one worker's part of a period's families.
type WorkerCaseload struct {
	WorkerID int64 `json:"worker_id"`
	Families int   `json:"families"`
	Open     int   `json:"open"` // not closed
}

// ValidatePeriod checks a period's days: each empty or a day, from not after to.
func ValidatePeriod(from, to string) error {
	pr := Problems{}
	for field, day := range map[string]string{"from": from, "to": to} {
		if _, err := time.Parse(time.DateOnly, day); day != "" && err != nil {
			pr.Add(field, "field.date")
		}
	}
	if len(pr) == 0 && from != "" && to != "" && from > to {
		pr.Add("to", "case.period_order")
	}
	return pr.Err()
}

// Share is part in per cent of whole, to one decimal; 0 of nothing.
func Share(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return math.Round(float64(part)*1000/float64(whole)) / 10
}

// Median is the median of the days, to one decimal (half way between the middle two of
// an even count); nil of none.
func Median(days []int) *float64 {
	if len(days) == 0 {
		return nil
	}
	days = slices.Clone(days)
	slices.Sort(days)
	m := float64(days[len(days)/2])
	if len(days)%2 == 0 {
		m = float64(days[len(days)/2-1]+days[len(days)/2]) / 2
	}
	return &m
}
