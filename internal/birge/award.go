package birge

import (
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Award is what an awarded application is given: an amount in the call's currency,
// agreed on a day, paid in tranches, each paid when its evidence (if it needs any) is
// approved, and followed up 6 and 12 months after the agreement (decision 0037). A
// scholarship is given an award per academic period, the next made by renewing the last.
type Award struct {
	ID            int64  `json:"id"`
	OrgID         int64  `json:"organization_id"`
	CallID        int64  `json:"call_id"`
	ApplicationID int64  `json:"application_id"`
	Reference     string `json:"reference"` // the application's, read only
	PersonID      int64  `json:"person_id"` // the application's, read only
	Amount        Money  `json:"amount"`
	AgreedOn      string `json:"agreed_on"`    // YYYY-MM-DD
	Period        string `json:"period"`       // a scholarship's academic period; "" for a grant
	RenewedFrom   *int64 `json:"renewed_from"` // the award of the period before, for a renewal
	// Tranches are the parts it is paid in, in order. Written with a share (per cent) or
	// an amount each; read with both.
	Tranches  []AwardTranche  `json:"tranches"`
	Payments  []AwardPayment  `json:"payments"`
	FollowUps []AwardFollowUp `json:"follow_ups"`
	Paid      Money           `json:"paid"` // what its payments came to, in its currency
	CreatedBy int64           `json:"created_by"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// AwardTranche is a part of an award.
type AwardTranche struct {
	ID       int64 `json:"id"`
	Position int   `json:"position"` // 1, 2, … in the order they are paid
	// Share is its per cent of the award, when written so; Amount its minor units.
	Share         int             `json:"share,omitempty"`
	Amount        int64           `json:"amount"`
	NeedsEvidence bool            `json:"needs_evidence"`
	Evidence      []AwardEvidence `json:"evidence"`
	ApprovedAt    *time.Time      `json:"approved_at"` // its evidence approved
	ApprovedBy    int64           `json:"approved_by,omitempty"`
	Paid          int64           `json:"paid"` // minor units of the award's currency
}

// Payable says why the tranche cannot be paid yet, or "" when it can.
func (t AwardTranche) Payable() string {
	switch {
	case t.NeedsEvidence && len(t.Evidence) == 0:
		return "award.evidence_missing"
	case t.NeedsEvidence && t.ApprovedAt == nil:
		return "award.evidence_not_approved"
	case t.Paid >= t.Amount:
		return "award.tranche_paid"
	}
	return ""
}

// AwardEvidence is a receipt or a photo uploaded for a tranche; its content is sealed
// with her key.
type AwardEvidence struct {
	ID int64 `json:"id"`
	EvidenceFile
	UploadedBy int64     `json:"uploaded_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// AwardPayment is a payment of a tranche. Amount is what was paid, in the currency it
// was paid in; with another currency than the award's, ExchangeRate says how many units
// of it one unit of the award's currency bought ("470.25" tenge to the dollar), and
// AwardAmount what it came to in the award's currency.
type AwardPayment struct {
	ID           int64     `json:"id"`
	Tranche      int       `json:"tranche"` // the tranche's position
	Date         string    `json:"date"`
	Amount       Money     `json:"amount"`
	ExchangeRate string    `json:"exchange_rate,omitempty"`
	AwardAmount  int64     `json:"award_amount"`
	DeliveryID   int64     `json:"delivery_id"`
	RecordedBy   int64     `json:"recorded_by"`
	CreatedAt    time.Time `json:"created_at"`
}

// AwardFollowUp is a report 6 or 12 months after the agreement: is the business
// operating, its monthly income, the jobs it created. Each fact is one of her outcomes too.
type AwardFollowUp struct {
	ID         int64     `json:"id"`
	Months     int       `json:"months"` // 6 or 12
	Date       string    `json:"date"`
	Operating  bool      `json:"operating"`
	Income     *Money    `json:"income"` // monthly, in the award's currency; nil when not told
	Jobs       int       `json:"jobs"`
	Note       string    `json:"note"`
	RecordedBy int64     `json:"recorded_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// FollowUpMonths are when an award is followed up, in months after its agreement.
var FollowUpMonths = []int{6, 12}

// MaxTranches bounds an award's tranches; MaxFollowUpJobs a follow-up's jobs.
const (
	MaxTranches     = 10
	MaxFollowUpJobs = 10_000
)

// FollowUpDue is the day a follow-up falls due: months after the agreement.
func FollowUpDue(agreedOn string, months int) string {
	d, err := time.Parse(time.DateOnly, agreedOn)
	if err != nil {
		return ""
	}
	return d.AddDate(0, months, 0).Format(time.DateOnly)
}

// Validate checks an award against its call, today (the user's day): an amount in the
// call's currency within award_min … award_amount, an agreement day not after today, a
// period for a scholarship's award and none for another, and tranches that add up to the
// award — all by shares summing to 100 or all by amounts summing to it. Shares become
// amounts, the last taking what rounding leaves.
func (a *Award) Validate(call Call, today time.Time) error {
	pr := Problems{}
	least := call.AwardAmount.Amount
	if call.AwardMin != nil {
		least = call.AwardMin.Amount
	}
	switch {
	case a.Amount.Currency != call.AwardAmount.Currency:
		pr.Add("amount.currency", "award.currency_of_call")
	case a.Amount.Amount < least || a.Amount.Amount > call.AwardAmount.Amount:
		pr.Add("amount.amount", "award.amount_range")
	}
	pr.Add("agreed_on", CheckPastDate(a.AgreedOn, today))
	if call.Kind == "scholarship" {
		pr.Add("period", CheckText(a.Period, true, MaxShort, false))
	} else if a.Period != "" {
		pr.Add("period", "award.period_scholarship")
	}
	if _, bad := pr["amount.amount"]; !bad {
		a.planTranches(pr)
	}
	return pr.Err()
}

// planTranches checks the tranches and fills their amounts and positions.
func (a *Award) planTranches(pr Problems) {
	if len(a.Tranches) == 0 || len(a.Tranches) > MaxTranches {
		pr.Add("tranches", "award.tranches_count")
		return
	}
	byShare := a.Tranches[0].Share > 0
	var sum int64
	for i := range a.Tranches {
		t := &a.Tranches[i]
		t.Position = i + 1
		at := "tranches[" + strconv.Itoa(i) + "]."
		switch {
		case byShare && (t.Share < 1 || t.Share > 100):
			pr.Add(at+"share", "award.share_range")
		case byShare:
			sum += int64(t.Share)
		case t.Share != 0 || t.Amount < 1 || t.Amount > a.Amount.Amount:
			pr.Add(at+"amount", "award.tranche_amount")
		default:
			sum += t.Amount
		}
	}
	if len(pr) > 0 {
		return
	}
	if byShare {
		if sum != 100 {
			pr.Add("tranches", "award.shares_sum")
			return
		}
		left := a.Amount.Amount
		for i := range a.Tranches {
			t := &a.Tranches[i]
			t.Amount = a.Amount.Amount * int64(t.Share) / 100
			if i == len(a.Tranches)-1 {
				t.Amount = left
			}
			left -= t.Amount
		}
		return
	}
	if sum != a.Amount.Amount {
		pr.Add("tranches", "award.amounts_sum")
		return
	}
	for i := range a.Tranches {
		a.Tranches[i].Share = int(a.Tranches[i].Amount * 100 / a.Amount.Amount)
	}
}

// ParseRate reads an exchange rate written as a decimal ("470.25", at most six places)
// as millionths; false for anything else, zero or negative.
func ParseRate(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 6 || len(whole) > 9 {
		return 0, false
	}
	for _, part := range []string{whole, frac} {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, false
			}
		}
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt((frac + "000000")[:6], 10, 64)
	micros := w*1_000_000 + f
	return micros, micros > 0
}

// FormatRate writes millionths as the decimal they were typed as, without trailing zeros.
func FormatRate(micros int64) string {
	s := strconv.FormatInt(micros/1_000_000, 10)
	if f := micros % 1_000_000; f != 0 {
		s += "." + strings.TrimRight(strconv.FormatInt(1_000_000+f, 10)[1:], "0")
	}
	return s
}

// Convert is an amount paid in another currency in the award's: amount ÷ rate, rounded
// to the nearest minor unit, computed exactly (no amount wraps round).
func Convert(amount, rateMicros int64) int64 {
	n := new(big.Int).Mul(big.NewInt(amount), big.NewInt(1_000_000))
	n.Add(n, big.NewInt(rateMicros/2))
	n.Quo(n, big.NewInt(rateMicros))
	if !n.IsInt64() {
		return MaxMinorUnits + 1
	}
	return n.Int64()
}

// Check validates a payment of one of an award's tranches, today: a day not after today
// nor before the agreement, a positive amount of a known currency, an exchange rate
// exactly when it is paid in another currency than the award's, and no more than what
// is left of the tranche. It returns the rate's millionths (0 without one) and fills
// AwardAmount.
func (p *AwardPayment) Check(a Award, today time.Time) (int64, error) {
	pr := Problems{}
	pr.Add("date", CheckPastDate(p.Date, today))
	if p.Date != "" && p.Date < a.AgreedOn {
		pr.Add("date", "award.before_agreement")
	}
	if p.Tranche < 1 || p.Tranche > len(a.Tranches) {
		pr.Add("tranche", "field.choose")
	}
	var rate int64
	switch {
	case !oneOf(p.Amount.Currency, Currencies):
		pr.Add("amount.currency", "field.choose")
	case p.Amount.Amount < 1 || p.Amount.Amount > MaxMinorUnits:
		pr.Add("amount.amount", "delivery.amount_range")
	case p.Amount.Currency == a.Amount.Currency && strings.TrimSpace(p.ExchangeRate) != "":
		pr.Add("exchange_rate", "award.rate_same_currency")
	case p.Amount.Currency == a.Amount.Currency:
		p.AwardAmount = p.Amount.Amount
	default:
		var ok bool
		if rate, ok = ParseRate(p.ExchangeRate); !ok {
			key := "award.rate_required"
			if strings.TrimSpace(p.ExchangeRate) != "" {
				key = "award.rate_format"
			}
			pr.Add("exchange_rate", key)
		} else {
			p.AwardAmount, p.ExchangeRate = Convert(p.Amount.Amount, rate), FormatRate(rate)
		}
	}
	if err := pr.Err(); err != nil {
		return 0, err
	}
	t := a.Tranches[p.Tranche-1]
	if why := t.Payable(); why != "" {
		return 0, &Error{Kind: KindConflict, Key: why, Fields: Problems{"tranche": why}}
	}
	if p.AwardAmount < 1 || t.Paid+p.AwardAmount > t.Amount {
		return 0, &Error{Kind: KindInvalid, Key: "award.over_tranche", Fields: Problems{"amount.amount": "award.over_tranche"}}
	}
	return rate, nil
}

// Validate checks a follow-up of an award, today: one of the follow-up months not yet
// reported, a day not after today nor before the agreement, income as money of the
// award's currency, jobs and a note.
func (f *AwardFollowUp) Validate(a Award, today time.Time) error {
	pr := Problems{}
	if !slices.Contains(FollowUpMonths, f.Months) {
		pr.Add("months", "field.choose")
	}
	for _, had := range a.FollowUps {
		if had.Months == f.Months {
			pr.Add("months", "award.followup_done")
		}
	}
	pr.Add("date", CheckPastDate(f.Date, today))
	if f.Date != "" && f.Date < a.AgreedOn {
		pr.Add("date", "award.before_agreement")
	}
	if f.Income != nil {
		switch {
		case f.Income.Currency != a.Amount.Currency:
			pr.Add("income.currency", "award.currency_of_call")
		case f.Income.Amount < 0 || f.Income.Amount > MaxMinorUnits:
			pr.Add("income.amount", "delivery.amount_range")
		}
	}
	if f.Jobs < 0 || f.Jobs > MaxFollowUpJobs {
		pr.Add("jobs", "award.jobs_range")
	}
	pr.Add("note", CheckText(f.Note, false, MaxLong, true))
	return pr.Err()
}
