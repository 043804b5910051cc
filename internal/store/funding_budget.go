package store

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// check validates an award against the database: its programmes must be its
// organisation's, its lines and deadlines (when it is saved over old) must be its own,
// a line money was spent from stays, and so does the currency of money spent.
func (funding *Funding) check(ctx context.Context, c q, f *birge.Funding, old *birge.Funding) error {
	pr := birge.Problems{}
	if err := f.Validate(); err != nil {
		pr = birge.AsError(err).Fields
	}
	for _, id := range f.ProgramIDs {
		var org int64
		if err := c.row(ctx, `SELECT org_id FROM programs WHERE id = ?`, id).Scan(&org); err != nil || org != f.OrgID {
			pr.Add("program_ids", "field.choose")
		}
	}
	for _, id := range f.IndicatorIDs {
		var program int64
		if err := c.row(ctx, `SELECT program_id FROM indicators WHERE id = ?`, id).Scan(&program); err != nil ||
			!slices.Contains(f.ProgramIDs, program) {
			pr.Add("indicator_ids", "funding.indicator_not_funded")
		}
	}
	slices.SortStableFunc(f.Deadlines, func(x, y birge.Deadline) int { return strings.Compare(x.DueOn, y.DueOn) })
	var oldLines []birge.BudgetLine
	var oldDeadlines []birge.Deadline
	if old != nil {
		oldLines, oldDeadlines = old.BudgetLines, old.Deadlines
	}
	kept := map[int64]bool{}
	for i, l := range f.BudgetLines {
		if l.ID == 0 {
			continue
		}
		j := slices.IndexFunc(oldLines, func(o birge.BudgetLine) bool { return o.ID == l.ID })
		if j < 0 || kept[l.ID] {
			pr.Add("budget_lines["+strconv.Itoa(i)+"].id", "field.choose")
			continue
		}
		kept[l.ID] = true
		f.BudgetLines[i].SetSpent(oldLines[j].Spent.Amount)
	}
	spent := false
	for _, o := range oldLines {
		spent = spent || o.Spent.Amount != 0
		if !kept[o.ID] && o.Spent.Amount != 0 {
			pr.Add("budget_lines", "funding.line_has_spending")
		}
	}
	if old != nil && spent && f.Amount.Currency != old.Amount.Currency {
		pr.Add("amount.currency", "funding.currency_fixed")
	}
	seen := map[int64]bool{}
	for i, d := range f.Deadlines {
		if d.ID != 0 && (seen[d.ID] || !slices.ContainsFunc(oldDeadlines, func(o birge.Deadline) bool { return o.ID == d.ID })) {
			pr.Add("deadlines["+strconv.Itoa(i)+"].id", "field.choose")
		}
		seen[d.ID] = true
	}
	return pr.Err()
}

// write saves an award's programmes, lines and deadlines over those of old (checked).
func (funding *Funding) write(ctx context.Context, c q, f, old birge.Funding) error {
	if _, err := c.exec(ctx, `DELETE FROM funding_programs WHERE funding_id = ?`, f.ID); err != nil {
		return err
	}
	for _, id := range f.ProgramIDs {
		if _, err := c.exec(ctx, `INSERT INTO funding_programs (funding_id, program_id) VALUES (?, ?)`, f.ID, id); err != nil {
			return err
		}
	}
	if _, err := c.exec(ctx, `DELETE FROM funding_indicators WHERE funding_id = ?`, f.ID); err != nil {
		return err
	}
	for _, id := range f.IndicatorIDs {
		if _, err := c.exec(ctx, `INSERT INTO funding_indicators (funding_id, indicator_id) VALUES (?, ?)`, f.ID, id); err != nil {
			return err
		}
	}
	keep := map[int64]bool{}
	for _, l := range f.BudgetLines {
		var err error
		if l.ID == 0 {
			_, err = c.exec(ctx, `INSERT INTO funding_lines (funding_id, name, planned) VALUES (?, ?, ?)`,
				f.ID, l.Name, l.Planned.Amount)
		} else {
			keep[l.ID] = true
			_, err = c.exec(ctx, `UPDATE funding_lines SET name = ?, planned = ? WHERE id = ? AND funding_id = ?`,
				l.Name, l.Planned.Amount, l.ID, f.ID)
		}
		if err != nil {
			return err
		}
	}
	for _, l := range old.BudgetLines {
		if !keep[l.ID] {
			if _, err := c.exec(ctx, `DELETE FROM funding_lines WHERE id = ?`, l.ID); err != nil {
				return err
			}
		}
	}
	keep = map[int64]bool{}
	for _, d := range f.Deadlines {
		var err error
		if d.ID == 0 {
			_, err = c.exec(ctx, `INSERT INTO funding_deadlines (funding_id, due_on, what, submitted_on) VALUES (?, ?, ?, ?)`,
				f.ID, d.DueOn, d.What, d.SubmittedOn)
		} else {
			keep[d.ID] = true
			_, err = c.exec(ctx, `UPDATE funding_deadlines SET due_on = ?, what = ?, submitted_on = ? WHERE id = ? AND funding_id = ?`,
				d.DueOn, d.What, d.SubmittedOn, d.ID, f.ID)
		}
		if err != nil {
			return err
		}
	}
	for _, d := range old.Deadlines {
		if !keep[d.ID] {
			if _, err := c.exec(ctx, `DELETE FROM funding_deadlines WHERE id = ?`, d.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
