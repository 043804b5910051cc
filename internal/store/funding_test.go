package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// unwomen is an award to the Family Preservation Centre, whose analyst and
// coordinator read it: 5,000,000 tenge in two lines and two reports.
func unwomen(orgID int64) birge.Funding {
	return birge.Funding{OrgID: orgID, Donor: "UN Women Kazakhstan", DonorKind: "un_agency", Reference: "KAZ-2026-014",
		Amount: birge.Money{Amount: 500_000_000, Currency: "KZT"}, StartsOn: "2026-03-01", EndsOn: "2027-02-28",
		BudgetLines: []birge.BudgetLine{
			{Name: "Психологтардың еңбекақысы", Planned: birge.Money{Amount: 300_000_000, Currency: "KZT"}},
			{Name: "Жол шығыстары", Planned: birge.Money{Amount: 150_000_000}}},
		Deadlines: []birge.Deadline{{DueOn: "2027-01-20", What: "Аралық есеп"}, {DueOn: "2027-03-15", What: "Қорытынды есеп"}}}
}

func (fx *peopleFixture) fpcOrg() int64 { return fx.aktobe.OrgID }

func TestFundingValidation(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		bad := unwomen(fx.fpcOrg())
		bad.Donor, bad.DonorKind, bad.Reference, bad.EndsOn = "", "bank", "a\x00b", "2026-01-01"
		bad.Amount.Currency, bad.BudgetLines[1].Name = "RUB", "x\ny"
		bad.Deadlines[0].What, bad.Deadlines[1].DueOn = "", "soon"
		bad.ProgramIDs = []int64{999999}
		before, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM funding`)
		_, err := st.Funding.Create(ctx, fx.fpcAdmin, bad)
		want := map[string]string{"donor": "field.required", "donor_kind": "field.choose",
			"reference": "field.invalid_chars", "ends_on": "program.ends_before_start", "amount.currency": "field.choose",
			"budget_lines[0].planned.currency": "funding.currency_other", "budget_lines[1].name": "field.single_line",
			"deadlines[0].what": "field.required", "deadlines[1].due_on": "field.date", "program_ids": "field.choose"}
		got := birge.AsError(err).Fields
		for f, key := range want {
			if got[f] != key {
				t.Errorf("%s: %q, want %q (all: %v)", f, got[f], key, got)
			}
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM funding`); n != before {
			t.Errorf("a refused award was saved")
		}
		over := unwomen(fx.fpcOrg())
		over.BudgetLines[0].Planned.Amount = 400_000_000
		if _, err := st.Funding.Create(ctx, fx.fpcAdmin, over); birge.AsError(err).Fields["budget_lines"] != "funding.budget_over_award" {
			t.Errorf("a budget over the award: %v", err)
		}
		// A programme of another organisation is not the award's to fund.
		mama, _ := st.Programs.List(ctx, fx.admin, store.ProgramFilter{})
		other := unwomen(fx.fpcOrg())
		for _, p := range mama {
			if p.OrgID != fx.fpcOrg() {
				other.ProgramIDs = []int64{p.ID}
			}
		}
		if _, err := st.Funding.Create(ctx, fx.fpcAdmin, other); birge.AsError(err).Fields["program_ids"] != "field.choose" {
			t.Errorf("another organisation's programme: %v", err)
		}
	})
}

func TestFundingSpendingAndOverrun(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		f, err := st.Funding.Create(ctx, fx.fpcAdmin, unwomen(fx.fpcOrg()))
		if err != nil {
			t.Fatal(err)
		}
		fees, travel := f.BudgetLines[0], f.BudgetLines[1]
		if travel.Planned.Currency != "KZT" || len(f.Deadlines) != 2 {
			t.Fatalf("created: %+v", f)
		}
		spend := func(line int64, amount int64, cur string) error {
			_, err := st.Funding.AddSpending(ctx, fx.fpcAdmin, f.ID, birge.Spending{LineID: line,
				Amount: birge.Money{Amount: amount, Currency: cur}, Date: "2026-06-01", Note: "Шілде"})
			return err
		}
		// Three payments from travel, the last over its plan: allowed, flagged.
		for _, a := range []int64{100_000_033, 49_999_967, 1_250_050} {
			if err := spend(travel.ID, a, "KZT"); err != nil {
				t.Fatal(err)
			}
		}
		if err := spend(fees.ID, 120_000_001, "KZT"); err != nil {
			t.Fatal(err)
		}
		if err := spend(fees.ID, 100, "USD"); birge.AsError(err).Fields["amount.currency"] != "funding.currency_other" {
			t.Errorf("spending in dollars from a tenge award: %v", err)
		}
		if err := spend(999999, 100, "KZT"); birge.AsError(err).Fields["budget_line_id"] != "field.choose" {
			t.Errorf("spending from no line: %v", err)
		}
		f, _ = st.Funding.Get(ctx, fx.analyst, f.ID)
		fees, travel = f.BudgetLines[0], f.BudgetLines[1]
		if travel.Spent.Amount != 151_250_050 || travel.Remaining.Amount != -1_250_050 || !travel.Overspent {
			t.Errorf("travel: %+v, want 151 250 050 spent, -1 250 050 remaining, overspent", travel)
		}
		if fees.Spent.Amount != 120_000_001 || fees.Remaining.Amount != 179_999_999 || fees.Overspent {
			t.Errorf("fees: %+v", fees)
		}
		if fees.Spent.Amount+fees.Remaining.Amount != fees.Planned.Amount {
			t.Errorf("spent and remaining do not sum to the plan")
		}
		list, err := st.Funding.Spending(ctx, fx.analyst, f.ID)
		if err != nil || len(list) != 4 || list[0].Line == "" {
			t.Errorf("spending listed: %v, %v", list, err)
		}
		// A line money was spent from stays; its currency too.
		g := f
		g.BudgetLines = g.BudgetLines[:1]
		if _, err := st.Funding.Update(ctx, fx.fpcAdmin, g); birge.AsError(err).Fields["budget_lines"] != "funding.line_has_spending" {
			t.Errorf("removing a line with spending: %v", err)
		}
		g = f
		g.Amount.Currency = "USD"
		if _, err := st.Funding.Update(ctx, fx.fpcAdmin, g); birge.AsError(err).Fields["amount.currency"] != "funding.currency_fixed" {
			t.Errorf("changing the currency after spending: %v", err)
		}
	})
}

func TestFundingUpdateAndPermissions(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		f, err := st.Funding.Create(ctx, fx.fpcAdmin, unwomen(fx.fpcOrg()))
		if err != nil {
			t.Fatal(err)
		}
		// Unchanged, it writes nothing.
		same, err := st.Funding.Update(ctx, fx.fpcAdmin, f)
		if err != nil || !same.UpdatedAt.Equal(f.UpdatedAt) {
			t.Errorf("unchanged save: %v, %v → %v", err, f.UpdatedAt, same.UpdatedAt)
		}
		g := f
		g.Reference = "KAZ-2026-014/A"
		g.BudgetLines = append(g.BudgetLines[1:], birge.BudgetLine{Name: "Мониторинг", Planned: birge.Money{Amount: 10_000_000, Currency: "KZT"}})
		g.Deadlines = g.Deadlines[:1]
		g, err = st.Funding.Update(ctx, fx.fpcAdmin, g)
		if err != nil || g.Reference != "KAZ-2026-014/A" || len(g.BudgetLines) != 2 || g.BudgetLines[0].ID != f.BudgetLines[1].ID || len(g.Deadlines) != 1 {
			t.Fatalf("update: %+v, %v", g, err)
		}
		if _, err := st.Funding.Update(ctx, fx.fpcAdmin, f); err != birge.ErrChangedMeanwhile {
			t.Errorf("saving over an older version: %v", err)
		}
		// The coordinator and the analyst read; neither writes. Mama Pro's trainer sees nothing.
		if _, err := st.Funding.Get(ctx, fx.coord, f.ID); err != nil {
			t.Errorf("coordinator reads: %v", err)
		}
		if _, err := st.Funding.AddSpending(ctx, fx.analyst, f.ID, birge.Spending{LineID: g.BudgetLines[0].ID,
			Amount: birge.Money{Amount: 1, Currency: "KZT"}, Date: "2026-06-01"}); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("analyst records spending: %v", err)
		}
		if _, err := st.Funding.Update(ctx, fx.coord, g); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("coordinator edits: %v", err)
		}
		if _, err := st.Funding.Get(ctx, fx.trainer, f.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("trainer reads: %v", err)
		}
		if _, err := st.Funding.List(ctx, fx.trainer, store.FundingFilter{}); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("trainer lists: %v", err)
		}
		if _, err := st.Funding.Create(ctx, fx.analyst, unwomen(fx.fpcOrg())); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("analyst creates: %v", err)
		}
		if l, err := st.Funding.List(ctx, fx.analyst, store.FundingFilter{}); err != nil || len(l) != 1 || l[0].ID != f.ID {
			t.Errorf("analyst's list: %v, %v (Mama Pro's award is not FPC's)", l, err)
		}
		// Marking a deadline submitted, and the audit trail.
		if err := st.Funding.MarkSubmitted(ctx, fx.fpcAdmin, f.ID, g.Deadlines[0].ID, "2099-01-01"); birge.AsError(err).Fields["submitted_on"] == "" {
			t.Errorf("submitted in the future: %v", err)
		}
		if err := st.Funding.MarkSubmitted(ctx, fx.fpcAdmin, f.ID, g.Deadlines[0].ID, "2026-12-30"); err != nil {
			t.Fatal(err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'funding_deadline' AND entity_id = ?`, g.Deadlines[0].ID); n != 1 {
			t.Errorf("%d audit entries for the deadline, want 1", n)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'funding' AND entity_id = ?`, f.ID); n != 2 {
			t.Errorf("%d audit entries for the award, want 2 (created, updated)", n)
		}
	})
}

// The deadlines page at a fixed day: overdue, due within 30 days, later, submitted.
func TestFundingDue(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		f := unwomen(fx.fpcOrg())
		f.Deadlines = []birge.Deadline{{DueOn: "2026-12-20", What: "overdue"}, {DueOn: "2027-01-01", What: "today"},
			{DueOn: "2027-01-31", What: "in 30 days"}, {DueOn: "2027-02-01", What: "later"},
			{DueOn: "2026-11-01", What: "sent", SubmittedOn: "2026-10-30"}}
		f, err := st.Funding.Create(ctx, fx.fpcAdmin, f)
		if err != nil {
			t.Fatal(err)
		}
		today := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
		due, err := st.Funding.Due(ctx, fx.analyst, 0, today)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range due {
			got = append(got, d.What)
			if d.Overdue != (d.What == "overdue") || d.FundingID != f.ID {
				t.Errorf("%s: overdue %v, award %d", d.What, d.Overdue, d.FundingID)
			}
		}
		if len(got) != 3 || got[0] != "overdue" || got[1] != "today" || got[2] != "in 30 days" || due[0].DaysLeft != -12 {
			t.Errorf("due: %v (%+v)", got, due)
		}
		if _, err := st.Funding.Due(ctx, fx.trainer, 0, today); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("trainer's deadlines: %v", err)
		}
	})
}

// TestFundingBudgetNeverWraps: lines whose planned amounts add up past what a sum holds
// are over the award, never a negative total under it; a budget has at most 200 lines.
func TestFundingBudgetNeverWraps(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		award := unwomen(fx.fpcOrg())
		award.Amount.Amount = 10000
		award.BudgetLines = nil
		for range 10 {
			award.BudgetLines = append(award.BudgetLines, birge.BudgetLine{Name: "Қате", Planned: birge.Money{Amount: birge.MaxMinorUnits}})
		}
		if _, err := st.Funding.Create(ctx, fx.fpcAdmin, award); birge.AsError(err).Fields["budget_lines"] != "funding.budget_over_award" {
			t.Errorf("ten lines of the largest amount for 100 tenge: %v, want funding.budget_over_award", err)
		}
		award.Amount.Amount, award.BudgetLines = birge.MaxMinorUnits, nil
		for range birge.MaxBudgetLines + 1 {
			award.BudgetLines = append(award.BudgetLines, birge.BudgetLine{Name: "Жол", Planned: birge.Money{Amount: 1}})
		}
		if _, err := st.Funding.Create(ctx, fx.fpcAdmin, award); birge.AsError(err).Fields["budget_lines"] != "funding.too_many_lines" {
			t.Errorf("201 lines: %v, want funding.too_many_lines", err)
		}
	})
}
