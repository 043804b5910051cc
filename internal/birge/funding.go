package birge

import (
	"strconv"
	"strings"
	"time"
)

// Funding is an award an organisation received from a donor: Mama Pro's US$18,870 from
// the AEIF. Its budget lines say what it pays for; spending is recorded against a line;
// deadlines say what the donor expects and when (decision 0021).
type Funding struct {
	ID         int64   `json:"id"`
	OrgID      int64   `json:"organization_id"`
	Donor      string  `json:"donor"`
	DonorKind  string  `json:"donor_kind"`
	Reference  string  `json:"reference"`
	Amount     Money   `json:"amount"`
	StartsOn   string  `json:"starts_on"` // YYYY-MM-DD
	EndsOn     string  `json:"ends_on"`   // YYYY-MM-DD
	ProgramIDs []int64 `json:"program_ids"`
	// IndicatorIDs are the indicators of its programmes that it promised the donor.
	IndicatorIDs []int64      `json:"indicator_ids"`
	BudgetLines  []BudgetLine `json:"budget_lines"`
	Deadlines    []Deadline   `json:"deadlines"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

// BudgetLine is what part of an award pays for. Its name is one text, as the budget was
// agreed with the donor (decision 0021). Spent, Remaining and Overspent are counted from
// the spending recorded against it, never written.
type BudgetLine struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Planned   Money  `json:"planned"`
	Spent     Money  `json:"spent"`
	Remaining Money  `json:"remaining"` // negative when overspent
	Overspent bool   `json:"overspent"`
}

// Spending is money paid from one budget line.
type Spending struct {
	ID         int64     `json:"id"`
	FundingID  int64     `json:"funding_id"`
	LineID     int64     `json:"budget_line_id"`
	Amount     Money     `json:"amount"`
	Date       string    `json:"date"` // YYYY-MM-DD
	Note       string    `json:"note"`
	RecordedBy int64     `json:"recorded_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// Deadline is a report (or anything else) due to the donor.
type Deadline struct {
	ID          int64  `json:"id"`
	DueOn       string `json:"due_on"`       // YYYY-MM-DD
	What        string `json:"what"`         // the interim report, the final financial report
	SubmittedOn string `json:"submitted_on"` // YYYY-MM-DD, or empty while it is due
}

// DonorKinds are the kinds of donor, in display order.
var DonorKinds = []string{"government", "un_agency", "embassy", "foundation", "company", "individual"}

// FundingCurrencies are those an award is made in.
var FundingCurrencies = []string{"KZT", "KGS", "USD", "EUR"}

// Validate checks an award: its texts, dates, amount and budget. Budget lines are in the
// award's currency (a line that names none takes it) and together plan no more than the
// award. Programmes are checked by the store, which knows them.
func (f *Funding) Validate() error {
	pr := Problems{}
	pr.Add("donor", CheckText(f.Donor, true, MaxName, false))
	if !oneOf(f.DonorKind, DonorKinds) {
		pr.Add("donor_kind", "field.choose")
	}
	pr.Add("reference", CheckText(f.Reference, false, MaxShort, false))
	if !oneOf(f.Amount.Currency, FundingCurrencies) {
		pr.Add("amount.currency", "field.choose")
	}
	if f.Amount.Amount < 1 || f.Amount.Amount > MaxMinorUnits {
		pr.Add("amount.amount", "delivery.amount_range")
	}
	pr.Add("starts_on", checkDay(f.StartsOn))
	pr.Add("ends_on", checkDay(f.EndsOn))
	if pr["starts_on"] == "" && pr["ends_on"] == "" && f.EndsOn < f.StartsOn {
		pr.Add("ends_on", "program.ends_before_start")
	}
	var planned int64
	for i := range f.BudgetLines {
		l := &f.BudgetLines[i]
		at := "budget_lines[" + strconv.Itoa(i) + "]."
		pr.Add(at+"name", CheckText(l.Name, true, MaxName, false))
		if l.Planned.Currency == "" {
			l.Planned.Currency = f.Amount.Currency
		}
		switch {
		case l.Planned.Currency != f.Amount.Currency:
			pr.Add(at+"planned.currency", "funding.currency_other")
		case l.Planned.Amount < 1 || l.Planned.Amount > MaxMinorUnits:
			pr.Add(at+"planned.amount", "delivery.amount_range")
		case planned <= MaxMinorUnits: // past that it is over any award: never wraps round
			planned += l.Planned.Amount
		}
	}
	if len(f.BudgetLines) > MaxBudgetLines {
		pr.Add("budget_lines", "funding.too_many_lines")
	}
	if planned > f.Amount.Amount && pr["amount.amount"] == "" {
		pr.Add("budget_lines", "funding.budget_over_award")
	}
	for i := range f.Deadlines {
		if err := f.Deadlines[i].Validate(); err != nil {
			for field, key := range AsError(err).Fields {
				pr.Add("deadlines["+strconv.Itoa(i)+"]."+field, key)
			}
		}
	}
	f.ProgramIDs, f.IndicatorIDs = sortedUnique(f.ProgramIDs), sortedUnique(f.IndicatorIDs)
	return pr.Err()
}

// MaxBudgetLines bounds an award's budget: a donor's budget has tens of lines.
const MaxBudgetLines = 200

// Validate checks a deadline by itself, its problems keyed by field.
func (d *Deadline) Validate() error {
	pr := Problems{}
	pr.Add("due_on", checkDay(d.DueOn))
	pr.Add("what", CheckText(d.What, true, MaxName, false))
	if d.SubmittedOn != "" {
		pr.Add("submitted_on", checkDay(d.SubmittedOn))
	}
	return pr.Err()
}

// Validate checks spending against its award: a day not after today (the user's day,
// Actor.Today), a positive amount in the award's currency, and a note.
func (s *Spending) Validate(award Funding, today time.Time) error {
	pr := Problems{}
	pr.Add("date", CheckPastDate(s.Date, today))
	switch {
	case s.Amount.Currency != award.Amount.Currency:
		pr.Add("amount.currency", "funding.currency_other")
	case s.Amount.Amount < 1 || s.Amount.Amount > MaxMinorUnits:
		pr.Add("amount.amount", "delivery.amount_range")
	}
	found := false
	for _, l := range award.BudgetLines {
		found = found || l.ID == s.LineID
	}
	if !found {
		pr.Add("budget_line_id", "field.choose")
	}
	pr.Add("note", CheckText(s.Note, false, MaxLong, true))
	return pr.Err()
}

func checkDay(s string) string {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "field.date"
	}
	return ""
}

// ParseMinorUnits reads an amount typed in whole units with up to two decimals ("18 870",
// "1250,50", "99.9") as minor units. Every currency of FundingCurrencies has a hundred
// minor units to the whole one.
func ParseMinorUnits(s string) (int64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(strings.TrimSpace(s))
	whole, frac, _ := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	if len(frac) > 2 || whole == "" || strings.ContainsAny(whole+frac, "+-") {
		return 0, false
	}
	frac += strings.Repeat("0", 2-len(frac))
	w, err1 := strconv.ParseInt(whole, 10, 64)
	m, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || w > MaxMinorUnits/100 {
		return 0, false
	}
	return w*100 + m, true
}

// SetSpent fills a line's spent, remaining and overspent from the total of its spending.
func (l *BudgetLine) SetSpent(spent int64) {
	cur := l.Planned.Currency
	l.Spent = Money{Amount: spent, Currency: cur}
	l.Remaining = Money{Amount: l.Planned.Amount - spent, Currency: cur}
	l.Overspent = spent > l.Planned.Amount
}
