package birge

import (
	"reflect"
	"testing"
	"time"
)

func validCall() Call {
	opens := time.Date(2026, 12, 1, 4, 0, 0, 0, time.UTC)
	return Call{OrgID: 1, Kind: "business_grant", ProgramID: 7,
		CallTitles: CallTitles{KK: "Ауыл әйелдеріне грант", RU: "Гранты для сельских женщин", KY: "Айыл аялдарына грант", EN: "Grants for rural women"},
		CallTexts:  CallTexts{KK: "Өтінім беріңіз", RU: "Подайте заявку", KY: "Арыз бериңиз", EN: "Apply"},
		OpensAt:    opens, ClosesAt: opens.AddDate(0, 1, 0), Regions: []string{"KZ15"},
		Budget: Money{Amount: 20_000_000, Currency: "USD"}, AwardAmount: Money{Amount: 400_000, Currency: "USD"}, Awards: 50,
		Criteria: []CallCriterion{
			{Code: "rural_problem", CallCriterionNames: CallCriterionNames{KK: "Ауыл мәселесі", RU: "Проблема села", KY: "Айыл көйгөйү", EN: "Rural problem"}, Weight: 30, Max: 10},
			{Code: "income", CallCriterionNames: CallCriterionNames{KK: "Табыс", RU: "Доход", KY: "Киреше", EN: "Income"}, Weight: 30, Max: 10},
			{Code: "feasibility", CallCriterionNames: CallCriterionNames{KK: "Жүзеге асуы", RU: "Реализуемость", KY: "Ишке ашуусу", EN: "Feasibility"}, Weight: 25, Max: 10},
			{Code: "commitment", CallCriterionNames: CallCriterionNames{KK: "Ниет", RU: "Приверженность", KY: "Ниет", EN: "Commitment"}, Weight: 15, Max: 10},
		},
		Status: CallOpen}
}

func TestCallValidate(t *testing.T) {
	c := validCall()
	if err := c.Validate(); err != nil {
		t.Fatalf("valid call refused: %v", AsError(err).Fields)
	}
	if !c.Published || len(c.Form) < 7 {
		t.Fatalf("published %v, form of %d fields", c.Published, len(c.Form))
	}
	for _, tc := range []struct {
		name, field, key string
		change           func(*Call)
	}{
		{"weights under 100", "criteria", "call.weights_sum", func(c *Call) { c.Criteria[0].Weight = 29 }},
		{"weights over 100", "criteria", "call.weights_sum", func(c *Call) { c.Criteria[3].Weight = 16 }},
		{"weight zero", "criteria[1].weight", "call.weight_range", func(c *Call) { c.Criteria[1].Weight = 0 }},
		{"scale zero", "criteria[2].max", "call.max_range", func(c *Call) { c.Criteria[2].Max = 0 }},
		{"criterion code twice", "criteria[1].code", "call.code_taken", func(c *Call) { c.Criteria[1].Code = "rural_problem" }},
		{"criterion code shape", "criteria[0].code", "call.code", func(c *Call) { c.Criteria[0].Code = "Rural Problem" }},
		{"criterion without Kyrgyz", "criteria[0].name_ky", "field.required", func(c *Call) { c.Criteria[0].CallCriterionNames.KY = " " }},
		{"open without criteria", "criteria", "call.no_criteria", func(c *Call) { c.Criteria = nil }},
		{"title missing", "title_kk", "field.required", func(c *Call) { c.CallTitles.KK = "" }},
		{"unknown kind", "kind", "field.choose", func(c *Call) { c.Kind = "loan" }},
		{"no programme", "program_id", "field.required", func(c *Call) { c.ProgramID = 0 }},
		{"unknown status", "status", "field.choose", func(c *Call) { c.Status = "paused" }},
		{"closes before opens", "closes_at", "call.closes_before_opens", func(c *Call) { c.ClosesAt = c.OpensAt }},
		{"unknown region", "regions", "field.choose", func(c *Call) { c.Regions = []string{"XX99"} }},
		{"euro", "budget.currency", "field.choose", func(c *Call) { c.Budget.Currency, c.AwardAmount.Currency = "EUR", "EUR" }},
		{"award in another currency", "award_amount.currency", "call.currency_other", func(c *Call) { c.AwardAmount.Currency = "KZT" }},
		{"award over budget", "award_amount.amount", "call.award_over_budget", func(c *Call) { c.AwardAmount.Amount = c.Budget.Amount + 1 }},
		{"range upside down", "award_min.amount", "call.award_range", func(c *Call) { c.AwardMin = &Money{Amount: 500_000, Currency: "USD"} }},
		{"no awards", "awards", "call.awards_range", func(c *Call) { c.Awards = 0 }},
		{"ages upside down", "eligibility.age_max", "call.age_max_below_min", func(c *Call) { c.Eligibility.AgeMin, c.Eligibility.AgeMax = 30, 18 }},
		{"income limit in som", "eligibility.income_per_member_below.currency", "call.currency_other", func(c *Call) {
			c.Eligibility.IncomePerMember = &Money{Amount: 100, Currency: "KGS"}
		}},
		{"field code twice", "form[1].code", "call.code_taken", func(c *Call) { c.Form = DefaultCallForm("business_grant"); c.Form[1].Code = "idea" }},
		{"field without English", "form[0].label_en", "field.required", func(c *Call) { c.Form = DefaultCallForm("business_grant"); c.Form[0].EN = "" }},
		{"unknown field type", "form[0].type", "field.choose", func(c *Call) { c.Form = DefaultCallForm("business_grant"); c.Form[0].Type = "image" }},
		{"choice of one", "form[0].options", "call.options_few", func(c *Call) {
			c.Form = DefaultCallForm("business_grant")
			c.Form[0].Type, c.Form[0].Options = "choice", []CallOption{{Code: "yes", CallLabels: CallLabels{KK: "Иә", RU: "Да", KY: "Ооба", EN: "Yes"}}}
		}},
		{"options of a text", "form[0].options", "call.options_not_choice", func(c *Call) {
			c.Form = DefaultCallForm("business_grant")
			c.Form[0].Options = []CallOption{{Code: "yes", CallLabels: CallLabels{KK: "Иә", RU: "Да", KY: "Ооба", EN: "Yes"}}}
		}},
		{"open with an empty form", "form", "call.no_fields", func(c *Call) { c.Form = []CallField{} }},
	} {
		c := validCall()
		tc.change(&c)
		err := c.Validate()
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		if got := AsError(err).Fields[tc.field]; got != tc.key {
			t.Errorf("%s: %s = %q, want %q (all: %v)", tc.name, tc.field, got, tc.key, AsError(err).Fields)
		}
	}
	d := validCall()
	d.Status, d.Criteria = CallDraft, nil
	if err := d.Validate(); err != nil || d.Published {
		t.Errorf("a draft without criteria: %v, published %v", err, d.Published)
	}
}

func TestDefaultCallForms(t *testing.T) {
	for kind, want := range map[string][]string{
		"business_grant": {"idea", "problem", "market", "costs", "own_contribution", "monthly_income", "jobs"},
		"scholarship":    {"child_name", "school", "olympiads", "exam_results", "household_members", "household_income"},
	} {
		form := DefaultCallForm(kind)
		pr := Problems{}
		checkCallForm(pr, form)
		if len(pr) > 0 {
			t.Errorf("%s: the default form is invalid: %v", kind, pr)
		}
		codes := map[string]bool{}
		for _, f := range form {
			codes[f.Code] = true
		}
		for _, c := range want {
			if !codes[c] {
				t.Errorf("%s: no field %q", kind, c)
			}
		}
		form[0].Code = "changed"
		if DefaultCallForm(kind)[0].Code == "changed" {
			t.Errorf("%s: a call's form shares the default's memory", kind)
		}
	}
}

func TestCallStatus(t *testing.T) {
	opens := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	closes := opens.AddDate(0, 1, 0)
	for _, tc := range []struct {
		published bool
		now       time.Time
		want      string
	}{
		{false, opens.AddDate(0, 0, 5), CallDraft},
		{true, opens.Add(-time.Second), CallScheduled},
		{true, opens, CallOpen},
		{true, closes.Add(-time.Second), CallOpen},
		{true, closes, CallClosed},
	} {
		if got := CallStatus(tc.published, opens, closes, tc.now); got != tc.want {
			t.Errorf("published %v at %v: %s, want %s", tc.published, tc.now, got, tc.want)
		}
	}
}

func TestCallLocked(t *testing.T) {
	old := validCall()
	if err := old.Validate(); err != nil {
		t.Fatal(err)
	}
	same := func() Call {
		c := old
		c.Criteria = append([]CallCriterion(nil), old.Criteria...)
		c.Form = DefaultCallForm(old.Kind)
		return c
	}
	for field, change := range map[string]func(*Call){
		"criteria":    func(c *Call) { c.Criteria[0].Weight, c.Criteria[1].Weight = 25, 35 },
		"form":        func(c *Call) { c.Form = c.Form[1:] },
		"eligibility": func(c *Call) { c.Eligibility.RuralOnly = true },
		"opens_at":    func(c *Call) { c.OpensAt = c.OpensAt.Add(time.Hour) },
		"status":      func(c *Call) { c.Published = false },
		"regions":     func(c *Call) { c.Regions = []string{"KZ15", "KZ75"} },
	} {
		c := same()
		change(&c)
		if got := c.Locked(old); got != field {
			t.Errorf("changing %s: locked %q", field, got)
		}
	}
	c := same()
	c.ClosesAt, c.CallTitles.EN, c.Awards = c.ClosesAt.AddDate(0, 0, 7), "Extended", 60
	if got := c.Locked(old); got != "" {
		t.Errorf("extending the call, retitling it and adding awards: locked %q", got)
	}
}

func TestCheckEligibility(t *testing.T) {
	today := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	c := validCall()
	c.Regions = []string{"KZ15", "KZ75"}
	c.Eligibility = CallEligibility{Categories: []string{"low_income", "single_mother"}, RuralOnly: true, AgeMin: 18, AgeMax: 45,
		IncomePerMember: &Money{Amount: 5_000_000, Currency: "USD"}, NoEarlierAward: true}
	ok := ApplicantFacts{BirthDate: "1990-06-15", Region: "KZ15", Rural: true, Categories: []string{"rural", "single_mother"},
		HouseholdIncome: &Money{Amount: 19_999_999, Currency: "USD"}, HouseholdMembers: 4}
	if got := CheckEligibility(c, ok, today); len(got) != 0 {
		t.Fatalf("an eligible applicant: %v", got)
	}
	reason := func(key string, params ...string) []EligibilityReason {
		p := map[string]string{}
		for i := 0; i+1 < len(params); i += 2 {
			p[params[i]] = params[i+1]
		}
		return []EligibilityReason{{Key: key, Params: p}}
	}
	for _, tc := range []struct {
		name   string
		change func(*ApplicantFacts)
		want   []EligibilityReason
	}{
		{"another region", func(f *ApplicantFacts) { f.Region = "KZ47" }, reason("call.reason.region")},
		{"no region", func(f *ApplicantFacts) { f.Region = "" }, reason("call.reason.region")},
		{"a town", func(f *ApplicantFacts) { f.Rural = false }, reason("call.reason.rural")},
		{"none of the categories", func(f *ApplicantFacts) { f.Categories = []string{"rural"} }, reason("call.reason.category")},
		{"17 the day before her birthday", func(f *ApplicantFacts) { f.BirthDate = "2009-01-01" }, reason("call.reason.too_young", "min", "18")},
		{"18 on her birthday", func(f *ApplicantFacts) { f.BirthDate = "2008-12-31" }, nil},
		{"45 until the day she turns 46", func(f *ApplicantFacts) { f.BirthDate = "1981-01-01" }, nil},
		{"46", func(f *ApplicantFacts) { f.BirthDate = "1980-12-31" }, reason("call.reason.too_old", "max", "45")},
		{"age not given", func(f *ApplicantFacts) { f.BirthDate = "" }, reason("call.reason.age_unknown")},
		{"born tomorrow", func(f *ApplicantFacts) { f.BirthDate = "2027-01-01" }, reason("call.reason.age_unknown")},
		{"income exactly at the limit", func(f *ApplicantFacts) { f.HouseholdIncome = &Money{Amount: 20_000_000, Currency: "USD"} },
			reason("call.reason.income_above", "amount", "5000000", "currency", "USD")},
		{"income not given", func(f *ApplicantFacts) { f.HouseholdIncome = nil }, reason("call.reason.income_unknown")},
		{"no members", func(f *ApplicantFacts) { f.HouseholdMembers = 0 }, reason("call.reason.income_unknown")},
		{"income in tenge", func(f *ApplicantFacts) { f.HouseholdIncome = &Money{Amount: 1, Currency: "KZT"} },
			reason("call.reason.income_currency", "currency", "USD")},
		{"a huge income does not wrap round", func(f *ApplicantFacts) {
			f.HouseholdIncome = &Money{Amount: MaxMinorUnits, Currency: "USD"}
			f.HouseholdMembers = MaxHousehold
		}, reason("call.reason.income_above", "amount", "5000000", "currency", "USD")},
		{"an earlier award", func(f *ApplicantFacts) { f.EarlierAward = true }, reason("call.reason.earlier_award")},
	} {
		f := ok
		tc.change(&f)
		got := CheckEligibility(c, f, today)
		if len(tc.want) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	// Every rule broken at once: every reason, in the order of the rules.
	all := CheckEligibility(c, ApplicantFacts{Region: "KZ47", EarlierAward: true}, today)
	var keys []string
	for _, r := range all {
		keys = append(keys, r.Key)
	}
	want := []string{"call.reason.region", "call.reason.rural", "call.reason.category", "call.reason.age_unknown",
		"call.reason.income_unknown", "call.reason.earlier_award"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("every rule broken: %v, want %v", keys, want)
	}
	// A call with no rules takes anyone.
	if got := CheckEligibility(Call{}, ApplicantFacts{}, today); len(got) != 0 {
		t.Errorf("no rules: %v", got)
	}
}
