package demo

import (
	"context"
	"fmt"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// aeif is Mama Pro's award from the Alumni Engagement Innovation Fund: US$18,870 for
// its trainings (seed 001), with a budget, a few payments — childcare a little over its
// line, so that the page shows an overrun — and the reports due to the embassy.
var aeif = birge.Funding{Donor: "U.S. Department of State — Alumni Engagement Innovation Fund (AEIF)",
	DonorKind: "government", Reference: "AEIF-2026-KZ-018", Amount: birge.Money{Amount: 1887000, Currency: "USD"},
	StartsOn: "2026-02-01", EndsOn: "2027-01-31",
	BudgetLines: []birge.BudgetLine{
		{Name: "Trainers' fees", Planned: birge.Money{Amount: 720000}},
		{Name: "Venue and equipment", Planned: birge.Money{Amount: 450000}},
		{Name: "Training materials", Planned: birge.Money{Amount: 237000}},
		{Name: "Childcare during trainings", Planned: birge.Money{Amount: 300000}},
		{Name: "Monitoring and reporting", Planned: birge.Money{Amount: 180000}},
	},
	Deadlines: []birge.Deadline{
		{DueOn: "2026-08-15", What: "Interim narrative and financial report", SubmittedOn: "2026-08-12"},
		{DueOn: "2026-12-15", What: "Quarterly financial report"},
		{DueOn: "2027-03-02", What: "Final narrative and financial report"},
	}}

// aeifSpending is what was paid, by line (in the order above).
var aeifSpending = []struct {
	line   int
	amount int64
	date   string
	note   string
}{
	{0, 360000, "2026-05-29", "Тренеры: первый поток (февраль–май)"},
	{1, 310000, "2026-02-10", "Ноутбуки и проектор"},
	{2, 95000, "2026-03-02", "Раздаточные материалы"},
	{3, 180000, "2026-05-29", "Няни: первый поток"},
	{3, 135050, "2026-10-30", "Няни: второй поток"},
}

// loadFunding records Mama Pro's AEIF award, funding its skills programme.
func loadFunding(ctx context.Context, st *store.Store, sys *birge.Actor, orgIDs, programIDs map[string]int64) error {
	f := aeif
	f.OrgID = orgIDs["mamapro"]
	f.BudgetLines = append([]birge.BudgetLine(nil), aeif.BudgetLines...)
	f.ProgramIDs = []int64{programIDs["mamapro-skills"]}
	promised, err := st.Indicators.Defined(ctx, sys, programIDs["mamapro-skills"])
	if err != nil {
		return err
	}
	for _, in := range promised {
		f.IndicatorIDs = append(f.IndicatorIDs, in.ID)
	}
	created, err := st.Funding.Create(ctx, sys, f)
	if err != nil {
		return fmt.Errorf("funding AEIF: %w", err)
	}
	for _, sp := range aeifSpending {
		if _, err := st.Funding.AddSpending(ctx, sys, created.ID, birge.Spending{LineID: created.BudgetLines[sp.line].ID,
			Amount: birge.Money{Amount: sp.amount, Currency: "USD"}, Date: sp.date, Note: sp.note}); err != nil {
			return fmt.Errorf("funding AEIF, spending: %w", err)
		}
	}
	return nil
}
