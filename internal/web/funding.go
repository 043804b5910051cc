package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// fundingRow is an award as the list shows it.
type fundingRow struct {
	birge.Funding
	Amount    string
	Overspent bool
}

// fundingList shows the awards the user may see.
func (s *Server) fundingList(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	list, err := s.store.Funding.List(r.Context(), info.Actor, store.FundingFilter{})
	if err != nil {
		return err
	}
	rows := make([]fundingRow, len(list))
	for i, f := range list {
		rows[i] = fundingRow{Funding: f, Amount: moneyText(info.P, f.Amount)}
		for _, l := range f.BudgetLines {
			rows[i].Overspent = rows[i].Overspent || l.Overspent
		}
	}
	orgs, err := s.fundingOrgs(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "funding/list", newForm(), map[string]any{"Awards": rows, "CanCreate": len(orgs) > 0})
}

// fundingOrgs are the organisations whose funding the user may manage.
func (s *Server) fundingOrgs(r *http.Request) ([]birge.Organization, error) {
	a := request.From(r.Context()).Actor
	orgs, err := s.store.ListOrgs(r.Context(), a)
	var out []birge.Organization
	for _, o := range orgs {
		if s.store.Funding.MayManage(a, o.ID) {
			out = append(out, o)
		}
	}
	return out, err
}

// lineRow is a budget line as the award's page shows it, its amounts written out.
type lineRow struct {
	birge.BudgetLine
	PlannedText, SpentText, RemainingText, OverText string
}

// spendingView is spending as the award's page lists it.
type spendingView struct {
	store.SpendingRow
	AmountText string
}

func (s *Server) fundingShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderFunding(w, r, http.StatusOK, newForm(), 0)
}

// renderFunding draws an award's page: its budget with what was spent and what remains
// (an overspent line said in words, not by colour alone), the spending form, the
// spending so far and the deadlines with their "mark submitted" forms. submitting is the
// deadline whose form f holds, if any.
func (s *Server) renderFunding(w http.ResponseWriter, r *http.Request, status int, f *form, submitting int64) error {
	info := request.From(r.Context())
	ctx, a := r.Context(), info.Actor
	award, err := s.store.Funding.Get(ctx, a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	o, err := s.store.GetOrg(ctx, a, award.OrgID)
	if err != nil {
		return err
	}
	spending, err := s.store.Funding.Spending(ctx, a, award.ID)
	if err != nil {
		return err
	}
	var lines []lineRow
	var lineOpts []option
	total := birge.BudgetLine{Planned: birge.Money{Currency: award.Amount.Currency}}
	var spentTotal int64
	for _, l := range award.BudgetLines {
		row := lineRow{BudgetLine: l, PlannedText: moneyText(info.P, l.Planned), SpentText: moneyText(info.P, l.Spent),
			RemainingText: moneyText(info.P, l.Remaining)}
		if l.Overspent {
			row.OverText = info.P.T("funding.overspent_by", "amount", moneyText(info.P, birge.Money{Amount: -l.Remaining.Amount, Currency: l.Remaining.Currency}))
		}
		lines = append(lines, row)
		lineOpts = append(lineOpts, option{strconv.FormatInt(l.ID, 10), l.Name})
		total.Planned.Amount += l.Planned.Amount
		if spentTotal <= birge.MaxMinorUnits { // each line's spending is bounded, so this never wraps round
			spentTotal += l.Spent.Amount
		}
	}
	total.SetSpent(spentTotal)
	views := make([]spendingView, len(spending))
	for i, sp := range spending {
		views[i] = spendingView{SpendingRow: sp, AmountText: moneyText(info.P, sp.Amount)}
	}
	programs := map[int64]string{}
	if !a.ScopeOf(birge.PermProgramView).Empty() {
		list, err := s.store.Programs.List(ctx, a, store.ProgramFilter{})
		if err != nil {
			return err
		}
		for _, p := range list {
			programs[p.ID] = p.Names.In(info.Lang)
		}
	}
	var funded []option
	var targets []indicatorRow
	for _, id := range award.ProgramIDs {
		name, ok := programs[id]
		if !ok {
			continue
		}
		funded = append(funded, option{strconv.FormatInt(id, 10), name})
		p, err := s.store.Programs.Get(ctx, a, id)
		if err != nil {
			return err
		}
		rows, err := s.indicatorRows(r, p)
		if err != nil {
			return err
		}
		for _, row := range rows {
			if slices.Contains(award.IndicatorIDs, row.ID) {
				row.Program = name
				targets = append(targets, row)
			}
		}
	}
	for _, k := range []string{"date", "submitted_on"} {
		if f.get(k) == "" {
			f.Values[k] = s.today(r)
		}
	}
	spent := f.field(info.P, "spent", "funding.spent_amount")
	spent.Label += " (" + award.Amount.Currency + ")"
	return s.render(w, r, status, "funding/show", f, map[string]any{"Award": award, "Org": o,
		"SpentField": spent, "Today": s.today(r),
		"Amount": moneyText(info.P, award.Amount), "Lines": lines, "LineOptions": lineOpts, "Programs": funded, "Targets": targets,
		"Total": lineRow{BudgetLine: total, PlannedText: moneyText(info.P, total.Planned),
			SpentText: moneyText(info.P, total.Spent), RemainingText: moneyText(info.P, total.Remaining)},
		"Spending": views, "CanManage": s.store.Funding.MayManage(a, award.OrgID), "Submitting": submitting})
}

// fundingSpend records spending from the award's page; the amount is typed in whole
// units with up to two decimals.
func (s *Server) fundingSpend(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	ctx, a, id := r.Context(), request.From(r.Context()).Actor, pathInt(r, "id")
	award, err := s.store.Funding.Get(ctx, a, id)
	if err != nil {
		return err
	}
	amount, ok := birge.ParseMinorUnits(f.get("spent"))
	if !ok {
		amount = -1
	}
	_, err = s.store.Funding.AddSpending(ctx, a, id, birge.Spending{LineID: f.int64("budget_line_id"),
		Amount: birge.Money{Amount: amount, Currency: award.Amount.Currency}, Date: f.get("date"), Note: f.get("note")})
	if err != nil {
		if f.fail(err) {
			moveError(f, "amount.amount", "spent")
			moveError(f, "amount.currency", "spent")
			if !ok {
				f.Errors["spent"] = "funding.amount_format"
			}
			return s.renderFunding(w, r, http.StatusUnprocessableEntity, f, 0)
		}
		return err
	}
	return redirect(w, r, "/funding/"+strconv.FormatInt(id, 10)+"#budget", "flash.saved")
}

// moveError shows the error of a store's field next to the form's field of another name.
func moveError(f *form, from, to string) {
	if key, ok := f.Errors[from]; ok {
		delete(f.Errors, from)
		if f.Errors[to] == "" {
			f.Errors[to] = key
		}
	}
}

// fundingAddDeadline adds a deadline from the award's page.
func (s *Server) fundingAddDeadline(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	if _, err := s.store.Funding.AddDeadline(r.Context(), request.From(r.Context()).Actor, id,
		birge.Deadline{DueOn: f.get("due_on"), What: f.get("what")}); err != nil {
		if f.fail(err) {
			return s.renderFunding(w, r, http.StatusUnprocessableEntity, f, 0)
		}
		return err
	}
	return redirect(w, r, "/funding/"+strconv.FormatInt(id, 10)+"#deadlines", "flash.saved")
}

// fundingSubmitted marks a deadline submitted on the day given.
func (s *Server) fundingSubmitted(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id, did := pathInt(r, "id"), pathInt(r, "deadline")
	if err := s.store.Funding.MarkSubmitted(r.Context(), request.From(r.Context()).Actor, id, did, f.get("submitted_on")); err != nil {
		if f.fail(err) {
			return s.renderFunding(w, r, http.StatusUnprocessableEntity, f, did)
		}
		return err
	}
	return redirect(w, r, "/funding/"+strconv.FormatInt(id, 10)+"#deadlines", "flash.saved")
}

// fundingDue is the page of what is due to donors across the user's organisations:
// overdue first, then what falls due in the next store.DueDays days of the user's today.
func (s *Server) fundingDue(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	today := info.Actor.Today(s.store.Now())
	items, err := s.store.Funding.Due(r.Context(), info.Actor, 0, today)
	if err != nil {
		return err
	}
	var overdue, soon []store.DueItem
	for _, it := range items {
		if it.Overdue {
			overdue = append(overdue, it)
		} else {
			soon = append(soon, it)
		}
	}
	return s.render(w, r, http.StatusOK, "funding/due", newForm(), map[string]any{"Overdue": overdue, "Soon": soon,
		"Today": today.Format(time.DateOnly), "Days": store.DueDays})
}
