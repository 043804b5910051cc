package birge

import (
	"math/bits"
	"slices"
	"strconv"
	"time"
)

// CallEligibility is who may apply to a call. Each rule left at its zero value asks
// nothing. The store checks Categories against the organisation's list.
type CallEligibility struct {
	Categories []string `json:"categories"` // she is in at least one of them; none: anyone
	RuralOnly  bool     `json:"rural_only"` // she lives in a village
	AgeMin     int      `json:"age_min"`    // in years on the day she applies; 0: no bound
	AgeMax     int      `json:"age_max"`    // 0: no bound
	// IncomePerMember: the household's monthly income per member must be below it.
	IncomePerMember *Money `json:"income_per_member_below"`
	NoEarlierAward  bool   `json:"no_earlier_award"` // none from the call's programme before
}

// MaxAge bounds the age rules; MaxHousehold the members of a household.
const (
	MaxAge       = 120
	MaxHousehold = 100
)

func (e *CallEligibility) check(pr Problems, currency string) {
	e.Categories = sortedUnique(e.Categories)
	if e.AgeMin < 0 || e.AgeMin > MaxAge {
		pr.Add("eligibility.age_min", "call.age_range")
	}
	if e.AgeMax < 0 || e.AgeMax > MaxAge {
		pr.Add("eligibility.age_max", "call.age_range")
	}
	if e.AgeMax != 0 && e.AgeMax < e.AgeMin {
		pr.Add("eligibility.age_max", "call.age_max_below_min")
	}
	if e.IncomePerMember != nil {
		checkAmount(pr, "eligibility.income_per_member_below", *e.IncomePerMember, currency)
	}
}

// ApplicantFacts are what the eligibility rules look at, as the application says them.
type ApplicantFacts struct {
	BirthDate  string // YYYY-MM-DD; empty when she did not say
	Region     string // a code of internal/geo
	Rural      bool
	Categories []string
	// HouseholdIncome is the household's monthly income; nil when she did not say.
	HouseholdIncome  *Money
	HouseholdMembers int
	EarlierAward     bool // an award from the call's programme before
}

// EligibilityReason is why an applicant is not eligible: a catalog key and the values of
// its placeholders, to be shown to her and the officer in their language.
type EligibilityReason struct {
	Key    string            `json:"key"`
	Params map[string]string `json:"params"`
}

// CheckEligibility checks an applicant against a call's rules on the day she applies
// (her day): none when she may apply, else every reason she may not, in the order of the
// rules. Something the rules need and she did not say is a reason too: a rule is never
// passed by silence.
func CheckEligibility(c Call, f ApplicantFacts, today time.Time) []EligibilityReason {
	out := []EligibilityReason{}
	add := func(key string, params ...string) {
		p := map[string]string{}
		for i := 0; i+1 < len(params); i += 2 {
			p[params[i]] = params[i+1]
		}
		out = append(out, EligibilityReason{Key: key, Params: p})
	}
	e := c.Eligibility
	if len(c.Regions) > 0 && !slices.Contains(c.Regions, f.Region) {
		add("call.reason.region")
	}
	if e.RuralOnly && !f.Rural {
		add("call.reason.rural")
	}
	if len(e.Categories) > 0 && !slices.ContainsFunc(f.Categories, func(c string) bool { return slices.Contains(e.Categories, c) }) {
		add("call.reason.category")
	}
	if e.AgeMin > 0 || e.AgeMax > 0 {
		age, ok := ageOn(f.BirthDate, today)
		switch {
		case !ok:
			add("call.reason.age_unknown")
		case e.AgeMin > 0 && age < e.AgeMin:
			add("call.reason.too_young", "min", strconv.Itoa(e.AgeMin))
		case e.AgeMax > 0 && age > e.AgeMax:
			add("call.reason.too_old", "max", strconv.Itoa(e.AgeMax))
		}
	}
	if lim := e.IncomePerMember; lim != nil {
		switch {
		case f.HouseholdIncome == nil || f.HouseholdMembers < 1 || f.HouseholdMembers > MaxHousehold:
			add("call.reason.income_unknown")
		case f.HouseholdIncome.Currency != lim.Currency:
			add("call.reason.income_currency", "currency", lim.Currency)
		case !below(f.HouseholdIncome.Amount, f.HouseholdMembers, lim.Amount):
			add("call.reason.income_above", "amount", strconv.FormatInt(lim.Amount, 10), "currency", lim.Currency)
		}
	}
	if e.NoEarlierAward && f.EarlierAward {
		add("call.reason.earlier_award")
	}
	return out
}

// below reports whether income shared by members is below limit per member: income <
// limit × members, multiplied in 128 bits so that no amount wraps round.
func below(income int64, members int, limit int64) bool {
	if income < 0 {
		return true
	}
	hi, lo := bits.Mul64(uint64(limit), uint64(members))
	return hi > 0 || uint64(income) < lo
}
