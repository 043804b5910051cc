package birge

import (
	"math"
	"slices"
	"time"
)

// Indicator is a figure a programme promised and how it is counted: the women it
// reached, the services it gave, the women who found a job, the hours of training, the
// share of trained women who started a business. Its actual is always counted from the
// deliveries and outcomes of the programme, never typed in (decision 0022).
type Indicator struct {
	ID        int64 `json:"id"`
	OrgID     int64 `json:"organization_id"`
	ProgramID int64 `json:"program_id"`
	Names
	Measure string `json:"measure"`
	// DeliveryKinds narrow the deliveries counted (none: every kind); OutcomeKinds are the
	// outcomes counted by people_with_outcome and by a share's numerator.
	DeliveryKinds []string `json:"delivery_kinds"`
	OutcomeKinds  []string `json:"outcome_kinds"`
	// Unit is what quantity_sum adds up (hours, sessions or money, in Currency).
	Unit     string `json:"unit"`
	Currency string `json:"currency"`
	// Of is, for a share, the indicator whose people are the whole: the share counts
	// those of them who are also counted by this one's kinds.
	Of *int64 `json:"of"`
	// Target is people, deliveries, hours or sessions, minor units of money, or for a
	// share a percentage.
	Target int64 `json:"target"`
	// From and To bound the period counted (YYYY-MM-DD, inclusive); empty: open.
	From      string    `json:"from"`
	To        string    `json:"to"`
	CreatedAt time.Time `json:"created_at"`
}

// The measures an indicator counts by.
const (
	MeasurePeopleReached     = "people_reached"      // distinct women with a delivery
	MeasureDeliveries        = "deliveries"          // deliveries
	MeasurePeopleWithOutcome = "people_with_outcome" // distinct women with an outcome of its kinds
	MeasureQuantitySum       = "quantity_sum"        // hours, sessions or money delivered
	MeasureShare             = "share"               // of the women of another indicator, those counted by this one
)

// Measures lists them in display order.
var Measures = []string{MeasurePeopleReached, MeasureDeliveries, MeasurePeopleWithOutcome,
	MeasureQuantitySum, MeasureShare}

// CountsPeople reports whether the measure counts distinct women, so that a share may
// divide by it.
func CountsPeople(measure string) bool {
	return measure == MeasurePeopleReached || measure == MeasurePeopleWithOutcome
}

// MaxTarget bounds a target, like MaxMinorUnits bounds a payment.
const MaxTarget = MaxMinorUnits

// Validate checks an indicator against its organisation's kinds of service and outcome
// and, for a share, the indicator it divides by (of; nil when none was found in the same
// programme). It puts its lists in a stable order.
func (in *Indicator) Validate(deliveryKinds, outcomeKinds []string, of *Indicator) error {
	pr := Problems{}
	in.Names.check(pr)
	if !oneOf(in.Measure, Measures) {
		pr.Add("measure", "field.choose")
	}
	in.DeliveryKinds, in.OutcomeKinds = sortedUnique(in.DeliveryKinds), sortedUnique(in.OutcomeKinds)
	for _, k := range in.DeliveryKinds {
		if !slices.Contains(deliveryKinds, k) {
			pr.Add("delivery_kinds", "field.choose")
		}
	}
	for _, k := range in.OutcomeKinds {
		if !slices.Contains(outcomeKinds, k) {
			pr.Add("outcome_kinds", "field.choose")
		}
	}
	if in.Measure != MeasureQuantitySum {
		in.Unit, in.Currency = "", ""
	}
	if in.Measure != MeasureShare {
		in.Of = nil
	}
	switch in.Measure {
	case MeasurePeopleWithOutcome:
		if len(in.OutcomeKinds) == 0 {
			pr.Add("outcome_kinds", "field.required")
		}
	case MeasureQuantitySum:
		if !oneOf(in.Unit, DeliveryUnits) {
			pr.Add("unit", "field.choose")
		}
		if in.Unit != "money" {
			in.Currency = ""
		} else if !oneOf(in.Currency, Currencies) {
			pr.Add("currency", "field.choose")
		}
	case MeasureShare:
		if len(in.OutcomeKinds) == 0 && len(in.DeliveryKinds) == 0 {
			pr.Add("outcome_kinds", "indicator.share_kinds")
		}
		if of == nil || !CountsPeople(of.Measure) {
			pr.Add("of", "indicator.share_of")
		}
	}
	limit := int64(MaxTarget)
	if in.Measure == MeasureShare {
		limit = 100
	}
	if in.Target < 1 || in.Target > limit {
		pr.Add("target", "indicator.target_range")
	}
	from, errFrom := time.Parse(time.DateOnly, in.From)
	if in.From != "" && errFrom != nil {
		pr.Add("from", "field.date")
	}
	to, errTo := time.Parse(time.DateOnly, in.To)
	switch {
	case in.To != "" && errTo != nil:
		pr.Add("to", "field.date")
	case in.From != "" && in.To != "" && errFrom == nil && to.Before(from):
		pr.Add("to", "indicator.to_before_from")
	}
	return pr.Err()
}

// Figure is an indicator's actual, counted from the records. For a share, Actual is the
// numerator, Whole the women of the indicator it divides by.
type Figure struct {
	Actual int64
	Whole  int64
}

// Percent is a share's actual as a percentage with one decimal (0 when there is no
// one to count yet), or another figure's progress towards its target.
func (f Figure) Percent(in Indicator) float64 {
	whole := f.Whole
	if in.Measure != MeasureShare {
		whole = in.Target
	}
	if whole <= 0 {
		return 0
	}
	// In floating point, which never wraps round at sums of money near what an int64
	// holds; rounded to one decimal.
	return math.Round(float64(f.Actual)*1000/float64(whole)) / 10
}

// Met reports whether the target is reached.
func (f Figure) Met(in Indicator) bool {
	if in.Measure == MeasureShare {
		return f.Whole > 0 && f.Actual*100 >= in.Target*f.Whole
	}
	return f.Actual >= in.Target
}
