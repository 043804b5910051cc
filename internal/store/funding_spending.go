package store

import (
	"context"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// AddSpending records money paid from one of an award's budget lines. Spending more than
// a line planned is allowed (the budget is the donor's to revise, not the store's to
// refuse) and flagged as overspent. The award's version moves on: what it reads as spent
// changed.
func (funding *Funding) AddSpending(ctx context.Context, a *birge.Actor, fundingID int64, sp birge.Spending) (birge.Spending, error) {
	s := funding.s
	err := s.tx(ctx, func(c q) error {
		f, err := funding.lockManaged(ctx, c, a, fundingID)
		if err != nil {
			return err
		}
		if err := sp.Validate(f, a.Today(s.now())); err != nil {
			return err
		}
		for _, l := range f.BudgetLines { // a line's total stays a number its sum can hold
			if l.ID == sp.LineID && l.Spent.Amount > birge.MaxMinorUnits-sp.Amount.Amount {
				return birge.Problems{"amount.amount": "delivery.amount_range"}.Err()
			}
		}
		sp.ID, sp.FundingID, sp.RecordedBy, sp.CreatedAt = 0, f.ID, a.UserID, s.now()
		if err := c.row(ctx, `INSERT INTO funding_spending (funding_id, line_id, amount, currency, spent_on, note,
			recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, sp.FundingID, sp.LineID,
			sp.Amount.Amount, sp.Amount.Currency, sp.Date, sp.Note, nullID(sp.RecordedBy), sp.CreatedAt).Scan(&sp.ID); err != nil {
			return err
		}
		if err := funding.touch(ctx, c, f); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntitySpending, entityID: sp.ID,
			orgID: f.OrgID, changes: birge.Diff(nil, map[string]any{"funding_id": f.ID, "budget_line_id": sp.LineID,
				"amount": sp.Amount.Amount, "currency": sp.Amount.Currency, "date": sp.Date, "note": sp.Note})})
	})
	return sp, err
}

// lockManaged locks an award the actor manages and reads it under the lock.
func (funding *Funding) lockManaged(ctx context.Context, c q, a *birge.Actor, id int64) (birge.Funding, error) {
	if err := lockRow(ctx, c, "funding", id); err != nil {
		return birge.Funding{}, err
	}
	return funding.get(ctx, c, a, birge.PermFundingManage, id)
}

// touch gives an award a new version after a change to what it holds.
func (funding *Funding) touch(ctx context.Context, c q, f birge.Funding) error {
	_, err := c.exec(ctx, `UPDATE funding SET updated_at = ? WHERE id = ?`, nextVersion(funding.s.now(), f.UpdatedAt), f.ID)
	return err
}

// SpendingRow is spending as an award's page lists it, with who recorded it.
type SpendingRow struct {
	birge.Spending
	Line, RecordedByName string
}

// Spending lists what was spent from an award, newest first.
func (funding *Funding) Spending(ctx context.Context, a *birge.Actor, fundingID int64) ([]SpendingRow, error) {
	c := funding.s.read()
	if _, err := funding.get(ctx, c, a, birge.PermFundingView, fundingID); err != nil {
		return nil, err
	}
	rows, err := c.query(ctx, `SELECT s.id, s.funding_id, s.line_id, s.amount, s.currency, s.spent_on, s.note,
		COALESCE(s.recorded_by, 0), s.created_at, l.name, COALESCE(u.name, '')
		FROM funding_spending s JOIN funding_lines l ON l.id = s.line_id LEFT JOIN users u ON u.id = s.recorded_by
		WHERE s.funding_id = ? ORDER BY s.spent_on DESC, s.id DESC`, fundingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SpendingRow
	for rows.Next() {
		var r SpendingRow
		if err := rows.Scan(&r.ID, &r.FundingID, &r.LineID, &r.Amount.Amount, &r.Amount.Currency, &r.Date, &r.Note,
			&r.RecordedBy, &r.CreatedAt, &r.Line, &r.RecordedByName); err != nil {
			return nil, err
		}
		r.CreatedAt = r.CreatedAt.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddDeadline adds something due to the donor.
func (funding *Funding) AddDeadline(ctx context.Context, a *birge.Actor, fundingID int64, d birge.Deadline) (birge.Deadline, error) {
	s := funding.s
	err := s.tx(ctx, func(c q) error {
		f, err := funding.lockManaged(ctx, c, a, fundingID)
		if err != nil {
			return err
		}
		if err := d.Validate(); err != nil {
			return err
		}
		if err := c.row(ctx, `INSERT INTO funding_deadlines (funding_id, due_on, what, submitted_on) VALUES (?, ?, ?, ?)
			RETURNING id`, f.ID, d.DueOn, d.What, d.SubmittedOn).Scan(&d.ID); err != nil {
			return err
		}
		if err := funding.touch(ctx, c, f); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityDeadline, entityID: d.ID,
			orgID: f.OrgID, changes: birge.Diff(nil, map[string]any{"funding_id": f.ID, "due_on": d.DueOn,
				"what": d.What, "submitted_on": d.SubmittedOn})})
	})
	return d, err
}

// MarkSubmitted records the day what was due was sent, not after today.
func (funding *Funding) MarkSubmitted(ctx context.Context, a *birge.Actor, fundingID, deadlineID int64, on string) error {
	s := funding.s
	return s.tx(ctx, func(c q) error {
		f, err := funding.lockManaged(ctx, c, a, fundingID)
		if err != nil {
			return err
		}
		for _, d := range f.Deadlines {
			if d.ID != deadlineID {
				continue
			}
			if problem := birge.CheckPastDate(on, a.Today(s.now())); problem != "" {
				return birge.Problems{"submitted_on": problem}.Err()
			}
			if d.SubmittedOn == on {
				return nil
			}
			if _, err := c.exec(ctx, `UPDATE funding_deadlines SET submitted_on = ? WHERE id = ?`, on, d.ID); err != nil {
				return err
			}
			if err := funding.touch(ctx, c, f); err != nil {
				return err
			}
			return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityDeadline, entityID: d.ID,
				orgID: f.OrgID, changes: birge.Diff(map[string]any{"submitted_on": d.SubmittedOn}, map[string]any{"submitted_on": on})})
		}
		return birge.ErrNotFound
	})
}

// DueDays is how far ahead the deadlines page looks.
const DueDays = 30

// DueItem is a deadline not yet submitted, with its award.
type DueItem struct {
	birge.Deadline
	FundingID int64
	OrgID     int64
	Donor     string
	Reference string
	Overdue   bool
	DaysLeft  int // negative when overdue
}

// Due lists what is due to donors by DueDays after today (the user's day), overdue
// first, across the organisations whose funding the actor sees (or orgID's alone).
func (funding *Funding) Due(ctx context.Context, a *birge.Actor, orgID int64, today time.Time) ([]DueItem, error) {
	w, err := fundingScope(a, birge.PermFundingView)
	if err != nil {
		return nil, err
	}
	if orgID != 0 {
		w.add("f.org_id = ?", orgID)
	}
	w.add("d.submitted_on = ''")
	w.add("d.due_on <= ?", today.AddDate(0, 0, DueDays).Format(time.DateOnly))
	rows, err := funding.s.read().query(ctx, `SELECT d.id, d.due_on, d.what, f.id, f.org_id, f.donor, f.reference
		FROM funding_deadlines d JOIN funding f ON f.id = d.funding_id`+w.sql()+` ORDER BY d.due_on, d.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DueItem
	for rows.Next() {
		var it DueItem
		if err := rows.Scan(&it.ID, &it.DueOn, &it.What, &it.FundingID, &it.OrgID, &it.Donor, &it.Reference); err != nil {
			return nil, err
		}
		due, err := time.Parse(time.DateOnly, it.DueOn)
		if err != nil {
			return nil, err
		}
		it.DaysLeft = int(due.Sub(today).Hours() / 24)
		it.Overdue = it.DaysLeft < 0
		out = append(out, it)
	}
	return out, rows.Err()
}
