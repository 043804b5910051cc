package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// Funding is the store's view for the organisation's donor funding: awards, their budget
// lines, spending and deadlines. Funding is the organisation's, not a centre's: a grant
// of funding.view or funding.manage on the organisation or any of its centres covers all
// of it (Actor.CanIn).
type Funding struct{ s *Store }

const fundingColumns = `f.id, f.org_id, f.donor, f.donor_kind, f.reference, f.amount, f.currency,
	f.starts_on, f.ends_on, f.created_at, f.updated_at`

func scanFunding(row interface{ Scan(...any) error }) (birge.Funding, error) {
	var f birge.Funding
	err := row.Scan(&f.ID, &f.OrgID, &f.Donor, &f.DonorKind, &f.Reference, &f.Amount.Amount, &f.Amount.Currency,
		&f.StartsOn, &f.EndsOn, &f.CreatedAt, &f.UpdatedAt)
	f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
	return f, err
}

// fundingFields are what an award's audit entries record: its budget and deadlines as
// one line each, so that a change to either reads as before and after.
func fundingFields(f birge.Funding) map[string]any {
	ids := make([]string, len(f.ProgramIDs))
	for i, id := range f.ProgramIDs {
		ids[i] = itoa(int(id))
	}
	indicators := make([]string, len(f.IndicatorIDs))
	for i, id := range f.IndicatorIDs {
		indicators[i] = itoa(int(id))
	}
	var lines, deadlines []string
	for _, l := range f.BudgetLines {
		lines = append(lines, fmt.Sprintf("%s: %d", l.Name, l.Planned.Amount))
	}
	for _, d := range f.Deadlines {
		deadlines = append(deadlines, strings.TrimSpace(d.DueOn+" "+d.What+" "+d.SubmittedOn))
	}
	return map[string]any{"donor": f.Donor, "donor_kind": f.DonorKind, "reference": f.Reference,
		"amount": f.Amount.Amount, "currency": f.Amount.Currency, "starts_on": f.StartsOn, "ends_on": f.EndsOn,
		"program_ids": strings.Join(ids, ","), "indicator_ids": strings.Join(indicators, ","), "budget_lines": strings.Join(lines, "; "),
		"deadlines": strings.Join(deadlines, "; ")}
}

// FundingFilter narrows a list of awards.
type FundingFilter struct {
	OrgID int64
	After int64 // page: awards with id > After
	Limit int   // 0: all
}

// fundingScope limits an awards query (alias f) to the organisations where the actor
// holds perm, on the organisation itself or on one of its centres.
func fundingScope(a *birge.Actor, perm birge.Permission) (where, error) {
	scope := a.ScopeOf(perm)
	w := where{}
	switch {
	case scope.Empty():
		return w, birge.ErrForbidden
	case scope.All:
		return w, nil
	}
	var ors []string
	if len(scope.Orgs) > 0 {
		ors = append(ors, "f.org_id IN ("+placeholders(len(scope.Orgs))+")")
		for _, id := range scope.Orgs {
			w.args = append(w.args, id)
		}
	}
	if len(scope.Centers) > 0 {
		ors = append(ors, "f.org_id IN (SELECT org_id FROM centers WHERE id IN ("+placeholders(len(scope.Centers))+"))")
		for _, id := range scope.Centers {
			w.args = append(w.args, id)
		}
	}
	w.conds = append(w.conds, "("+strings.Join(ors, " OR ")+")")
	return w, nil
}

// List returns the awards the actor may see, by id, each with its budget and deadlines.
func (funding *Funding) List(ctx context.Context, a *birge.Actor, flt FundingFilter) ([]birge.Funding, error) {
	w, err := fundingScope(a, birge.PermFundingView)
	if err != nil {
		return nil, err
	}
	if flt.OrgID != 0 {
		w.add("f.org_id = ?", flt.OrgID)
	}
	if flt.After != 0 {
		w.add("f.id > ?", flt.After)
	}
	limit := ""
	if flt.Limit > 0 {
		limit = " LIMIT " + itoa(flt.Limit)
	}
	c := funding.s.read()
	rows, err := c.query(ctx, `SELECT `+fundingColumns+` FROM funding f`+w.sql()+` ORDER BY f.id`+limit, w.args...)
	if err != nil {
		return nil, err
	}
	var out []birge.Funding
	for rows.Next() {
		f, err := scanFunding(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := funding.details(ctx, c, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Get returns an award the actor may see, or ErrNotFound.
func (funding *Funding) Get(ctx context.Context, a *birge.Actor, id int64) (birge.Funding, error) {
	return funding.get(ctx, funding.s.read(), a, birge.PermFundingView, id)
}

// get loads an award on whose organisation the actor holds perm: one seen but not
// managed is forbidden, one out of sight not found.
func (funding *Funding) get(ctx context.Context, c q, a *birge.Actor, perm birge.Permission, id int64) (birge.Funding, error) {
	f, err := scanFunding(c.row(ctx, `SELECT `+fundingColumns+` FROM funding f WHERE f.id = ?`, id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return f, birge.ErrNotFound
	case err != nil:
		return f, err
	case !a.CanIn(birge.PermFundingView, f.OrgID):
		return birge.Funding{}, birge.ErrNotFound
	case !a.CanIn(perm, f.OrgID):
		return birge.Funding{}, birge.ErrForbidden
	}
	return f, funding.details(ctx, c, &f)
}

// MayManage reports whether the actor may record and edit the organisation's funding.
func (funding *Funding) MayManage(a *birge.Actor, orgID int64) bool {
	return a.CanIn(birge.PermFundingManage, orgID)
}

// details reads an award's programmes, budget lines (with what was spent on each) and
// deadlines.
func (funding *Funding) details(ctx context.Context, c q, f *birge.Funding) error {
	f.BudgetLines, f.Deadlines = []birge.BudgetLine{}, []birge.Deadline{}
	var err error
	if f.ProgramIDs, err = ids(ctx, c, `SELECT program_id FROM funding_programs WHERE funding_id = ? ORDER BY program_id`, f.ID); err != nil {
		return err
	}
	if f.IndicatorIDs, err = ids(ctx, c, `SELECT indicator_id FROM funding_indicators WHERE funding_id = ? ORDER BY indicator_id`, f.ID); err != nil {
		return err
	}
	rows, err := c.query(ctx, `SELECT l.id, l.name, l.planned, COALESCE(SUM(s.amount), 0) FROM funding_lines l
		LEFT JOIN funding_spending s ON s.line_id = l.id WHERE l.funding_id = ? GROUP BY l.id, l.name, l.planned
		ORDER BY l.id`, f.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		l := birge.BudgetLine{Planned: birge.Money{Currency: f.Amount.Currency}}
		var spent int64
		if err := rows.Scan(&l.ID, &l.Name, &l.Planned.Amount, &spent); err != nil {
			rows.Close()
			return err
		}
		l.SetSpent(spent)
		f.BudgetLines = append(f.BudgetLines, l)
	}
	rows.Close()
	rows, err = c.query(ctx, `SELECT id, due_on, what, submitted_on FROM funding_deadlines WHERE funding_id = ?
		ORDER BY due_on, id`, f.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d birge.Deadline
		if err := rows.Scan(&d.ID, &d.DueOn, &d.What, &d.SubmittedOn); err != nil {
			return err
		}
		f.Deadlines = append(f.Deadlines, d)
	}
	return rows.Err()
}

// Create records an award of an organisation, with its budget and deadlines.
func (funding *Funding) Create(ctx context.Context, a *birge.Actor, f birge.Funding) (birge.Funding, error) {
	if !a.CanIn(birge.PermFundingManage, f.OrgID) {
		if a.CanIn(birge.PermFundingView, f.OrgID) {
			return f, birge.ErrForbidden
		}
		return f, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid",
			Fields: birge.Problems{"organization_id": "field.choose"}}
	}
	s := funding.s
	f.CreatedAt, f.UpdatedAt = s.now(), s.now()
	for i := range f.BudgetLines {
		f.BudgetLines[i].ID = 0
	}
	for i := range f.Deadlines {
		f.Deadlines[i].ID = 0
	}
	var out birge.Funding
	err := s.tx(ctx, func(c q) error {
		if err := funding.check(ctx, c, &f, nil); err != nil {
			return err
		}
		if err := c.row(ctx, `INSERT INTO funding (org_id, donor, donor_kind, reference, amount, currency, starts_on,
			ends_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			f.OrgID, f.Donor, f.DonorKind, f.Reference, f.Amount.Amount, f.Amount.Currency, f.StartsOn, f.EndsOn,
			f.CreatedAt, f.UpdatedAt).Scan(&f.ID); err != nil {
			return err
		}
		if err := funding.write(ctx, c, f, birge.Funding{}); err != nil {
			return err
		}
		var err error
		if out, err = funding.get(ctx, c, a, birge.PermFundingView, f.ID); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityFunding, entityID: f.ID,
			orgID: f.OrgID, changes: birge.Diff(nil, fundingFields(out))})
	})
	return out, err
}

// Update saves changes to an award: its fields, programmes, budget lines (matched by
// id: a new one has none; one left out is removed, unless money was spent from it) and
// deadlines. It never moves to another organisation, and its currency is fixed once
// money was spent. Saving it unchanged writes nothing.
func (funding *Funding) Update(ctx context.Context, a *birge.Actor, f birge.Funding) (birge.Funding, error) {
	s := funding.s
	var out birge.Funding
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "funding", f.ID); err != nil {
			return err
		}
		old, err := funding.get(ctx, c, a, birge.PermFundingManage, f.ID)
		if err != nil {
			return err
		}
		if err := sameVersion(f.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		f.OrgID, f.CreatedAt, f.UpdatedAt = old.OrgID, old.CreatedAt, nextVersion(s.now(), old.UpdatedAt)
		if err := funding.check(ctx, c, &f, &old); err != nil {
			return err
		}
		changes := birge.Diff(fundingFields(old), fundingFields(f))
		if len(changes) == 0 {
			out = old
			return nil
		}
		if _, err := c.exec(ctx, `UPDATE funding SET donor = ?, donor_kind = ?, reference = ?, amount = ?, currency = ?,
			starts_on = ?, ends_on = ?, updated_at = ? WHERE id = ?`, f.Donor, f.DonorKind, f.Reference,
			f.Amount.Amount, f.Amount.Currency, f.StartsOn, f.EndsOn, f.UpdatedAt, f.ID); err != nil {
			return err
		}
		if err := funding.write(ctx, c, f, old); err != nil {
			return err
		}
		if out, err = funding.get(ctx, c, a, birge.PermFundingView, f.ID); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityFunding, entityID: f.ID,
			orgID: f.OrgID, changes: changes})
	})
	return out, err
}
