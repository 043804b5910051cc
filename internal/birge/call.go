package birge

import (
	"regexp"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/geo"
)

// Call is a competition an organisation announces: the Belesteri call for rural business
// grants, a round of Erke scholarships. It says who may apply (Eligibility), what she
// fills in (Form), how applications are scored (Criteria) and how much is given
// (decision 0030). Applications, reviews and awards hang from it.
type Call struct {
	ID        int64  `json:"id"`
	OrgID     int64  `json:"organization_id"`
	Kind      string `json:"kind"`
	ProgramID int64  `json:"program_id"`
	CallTitles
	CallTexts
	OpensAt  time.Time `json:"opens_at"`
	ClosesAt time.Time `json:"closes_at"`
	Regions  []string  `json:"regions"` // where applicants may live; none: anywhere
	Budget   Money     `json:"budget"`
	// AwardAmount is what each award gives; with AwardMin it is the most an award may give
	// and AwardMin the least (an amount per award or a range, in the budget's currency).
	AwardAmount Money           `json:"award_amount"`
	AwardMin    *Money          `json:"award_min"`
	Awards      int             `json:"awards"` // how many awards are planned
	Criteria    []CallCriterion `json:"criteria"`
	Eligibility CallEligibility `json:"eligibility"`
	Form        []CallField     `json:"form"`
	// Status is draft, scheduled, open or closed: draft until an officer opens the call
	// (Published), then told by the clock from OpensAt and ClosesAt (CallStatus).
	Status    string    `json:"status"`
	Published bool      `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// CallTitles is a call's title in each of the four languages.
type CallTitles struct {
	KK string `json:"title_kk"`
	RU string `json:"title_ru"`
	KY string `json:"title_ky"`
	EN string `json:"title_en"`
}

// In returns the title in lang, with the fallbacks of Names.In.
func (t CallTitles) In(lang string) string { return Names(t).In(lang) }

// CallTexts is what a call announces, in each of the four languages.
type CallTexts struct {
	KK string `json:"text_kk"`
	RU string `json:"text_ru"`
	KY string `json:"text_ky"`
	EN string `json:"text_en"`
}

// In returns the text in lang, with the fallbacks of Names.In.
func (t CallTexts) In(lang string) string { return Names(t).In(lang) }

// CallCriterion is one thing reviewers score: "solves a problem of rural residents", 30 %
// of the total, on a scale from 0 to Max.
type CallCriterion struct {
	Code string `json:"code"`
	CallCriterionNames
	Weight int `json:"weight"` // percent; a call's weights sum to 100
	Max    int `json:"max"`    // the top of the score scale
}

// CallCriterionNames is a criterion's name in each of the four languages.
type CallCriterionNames struct {
	KK string `json:"name_kk"`
	RU string `json:"name_ru"`
	KY string `json:"name_ky"`
	EN string `json:"name_en"`
}

// In returns the name in lang, with the fallbacks of Names.In.
func (n CallCriterionNames) In(lang string) string { return Names(n).In(lang) }

// CallKinds are the kinds of call, in display order.
var CallKinds = []string{"business_grant", "scholarship", "other"}

// CallCurrencies are those a call's budget and awards are in.
var CallCurrencies = []string{"KZT", "KGS", "USD"}

// Call statuses: the first is written, the others are told by the clock.
const (
	CallDraft     = "draft"
	CallScheduled = "scheduled"
	CallOpen      = "open"
	CallClosed    = "closed"
)

// CallStatuses are a call's states, in display order.
var CallStatuses = []string{CallDraft, CallScheduled, CallOpen, CallClosed}

// MaxCriteria and MaxCallFields bound a call: reviewers score a handful of criteria, and a
// form of hundreds of fields is one nobody in a village finishes.
const (
	MaxCriteria     = 20
	MaxCallFields   = 100
	MaxCallAwards   = 100_000
	MaxCriterionMax = 100
)

// code is what a criterion, a field or an option is called in the API and in answers.
var code = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// CallStatus tells a published call's state at now: scheduled before it opens, open until
// it closes, closed from then on. An unpublished call is a draft whatever the clock says.
func CallStatus(published bool, opensAt, closesAt, now time.Time) string {
	switch {
	case !published:
		return CallDraft
	case now.Before(opensAt):
		return CallScheduled
	case now.Before(closesAt):
		return CallOpen
	}
	return CallClosed
}

// Started reports whether applications may have come in: the call is published and its
// opening time has passed. From then on what an applicant was told stands (Locked).
func (c Call) Started(now time.Time) bool { return c.Published && !now.Before(c.OpensAt) }

// Validate checks a call by itself: texts, kind, times, money, criteria, eligibility and
// form. Status draft keeps it unpublished; any other opens it. Its programme and
// categories are checked by the store, which knows them (CallEligibility.Categories
// against the organisation's list).
func (c *Call) Validate() error {
	pr := Problems{}
	for _, lang := range Langs {
		pr.Add("title_"+lang, CheckText(Names(c.CallTitles).get(lang), true, MaxName, false))
		pr.Add("text_"+lang, CheckText(Names(c.CallTexts).get(lang), true, MaxLong, true))
	}
	if !oneOf(c.Kind, CallKinds) {
		pr.Add("kind", "field.choose")
	}
	if c.ProgramID == 0 {
		pr.Add("program_id", "field.required")
	}
	switch {
	case c.Status == CallDraft:
		c.Published = false
	case oneOf(c.Status, CallStatuses):
		c.Published = true
	default:
		pr.Add("status", "field.choose")
	}
	// A call opens and closes on a minute, as the page's form writes times: seconds would
	// make a call saved by the API look changed (and locked) when saved again on the page.
	c.OpensAt, c.ClosesAt = c.OpensAt.UTC().Truncate(time.Minute), c.ClosesAt.UTC().Truncate(time.Minute)
	switch {
	case c.OpensAt.IsZero():
		pr.Add("opens_at", "field.required")
	case c.ClosesAt.IsZero():
		pr.Add("closes_at", "field.required")
	case !c.ClosesAt.After(c.OpensAt):
		pr.Add("closes_at", "call.closes_before_opens")
	}
	for _, r := range c.Regions {
		if _, ok := geo.LookupRegion(r); !ok {
			pr.Add("regions", "field.choose")
		}
	}
	c.Regions = sortedUnique(c.Regions)
	c.checkMoney(pr)
	c.checkCriteria(pr)
	c.Eligibility.check(pr, c.Budget.Currency)
	if c.Form == nil {
		c.Form = DefaultCallForm(c.Kind)
	}
	checkCallForm(pr, c.Form)
	if c.Published && len(c.Criteria) == 0 {
		pr.Add("criteria", "call.no_criteria")
	}
	if c.Published && len(c.Form) == 0 {
		pr.Add("form", "call.no_fields")
	}
	return pr.Err()
}

// checkMoney checks the budget, the award and the number of awards: all in one currency,
// positive, and no award over the budget.
func (c *Call) checkMoney(pr Problems) {
	cur := c.Budget.Currency
	if !oneOf(cur, CallCurrencies) {
		pr.Add("budget.currency", "field.choose")
	}
	checkAmount(pr, "budget", c.Budget, cur)
	checkAmount(pr, "award_amount", c.AwardAmount, cur)
	if c.AwardMin != nil {
		checkAmount(pr, "award_min", *c.AwardMin, cur)
		if pr["award_min.amount"] == "" && pr["award_amount.amount"] == "" && c.AwardMin.Amount > c.AwardAmount.Amount {
			pr.Add("award_min.amount", "call.award_range")
		}
	}
	if pr["award_amount.amount"] == "" && pr["budget.amount"] == "" && c.AwardAmount.Amount > c.Budget.Amount {
		pr.Add("award_amount.amount", "call.award_over_budget")
	}
	if c.Awards < 1 || c.Awards > MaxCallAwards {
		pr.Add("awards", "call.awards_range")
	}
}

func checkAmount(pr Problems, field string, m Money, currency string) {
	if m.Currency != currency && field != "budget" {
		pr.Add(field+".currency", "call.currency_other")
	}
	if m.Amount < 1 || m.Amount > MaxMinorUnits {
		pr.Add(field+".amount", "delivery.amount_range")
	}
}

// checkCriteria checks each criterion and that the weights sum to 100 %.
func (c *Call) checkCriteria(pr Problems) {
	if c.Criteria == nil {
		c.Criteria = []CallCriterion{}
	}
	if len(c.Criteria) > MaxCriteria {
		pr.Add("criteria", "call.too_many_criteria")
	}
	seen, sum := map[string]bool{}, 0
	for i, cr := range c.Criteria {
		at := "criteria[" + strconv.Itoa(i) + "]."
		switch {
		case !code.MatchString(cr.Code):
			pr.Add(at+"code", "call.code")
		case seen[cr.Code]:
			pr.Add(at+"code", "call.code_taken")
		}
		seen[cr.Code] = true
		for _, lang := range Langs {
			pr.Add(at+"name_"+lang, CheckText(Names(cr.CallCriterionNames).get(lang), true, MaxName, false))
		}
		if cr.Weight < 1 || cr.Weight > 100 {
			pr.Add(at+"weight", "call.weight_range")
		}
		if cr.Max < 1 || cr.Max > MaxCriterionMax {
			pr.Add(at+"max", "call.max_range")
		}
		sum += cr.Weight
	}
	if len(c.Criteria) > 0 && sum != 100 {
		pr.Add("criteria", "call.weights_sum")
	}
}

// Locked names the first field of a started call that differs from old: once women may
// apply, what they were told — who may apply, the form, how they are scored, the award and
// the opening — stands. Titles, texts, the closing time (to extend a call), the budget and
// the number of awards may still change. It returns "" when nothing locked changed.
func (c Call) Locked(old Call) string {
	switch {
	case c.Kind != old.Kind:
		return "kind"
	case c.ProgramID != old.ProgramID:
		return "program_id"
	case !c.Published:
		return "status"
	case !c.OpensAt.Equal(old.OpensAt):
		return "opens_at"
	case !sameJSON(c.Regions, old.Regions):
		return "regions"
	case c.Budget.Currency != old.Budget.Currency:
		return "budget.currency"
	case c.AwardAmount != old.AwardAmount || !sameJSON(c.AwardMin, old.AwardMin):
		return "award_amount"
	case !sameJSON(c.Criteria, old.Criteria):
		return "criteria"
	case !sameJSON(c.Eligibility, old.Eligibility):
		return "eligibility"
	case !sameJSON(c.Form, old.Form):
		return "form"
	}
	return ""
}
