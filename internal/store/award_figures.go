package store

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// CallFigures are a call's figures: counts and money, never an applicant (call.figures).
type CallFigures struct {
	CallID int64  `json:"call_id"`
	OrgID  int64  `json:"organization_id"`
	Kind   string `json:"kind"`
	birge.CallTitles
	// Funnel counts the stages applications reached: every submitted one was submitted;
	// an eligible, shortlisted, awarded or rejected one (a rejection is a decision after
	// review) was found eligible; a shortlisted or awarded one was shortlisted.
	Submitted   int `json:"submitted"`
	Eligible    int `json:"eligible"`
	Shortlisted int `json:"shortlisted"`
	Awarded     int `json:"awarded"`
	// ByRegion and ByCategory count submitted applications by her region and by her
	// registry categories (never the sensitive ones, which are sealed).
	ByRegion   []FigureCount `json:"by_region"`
	ByCategory []FigureCount `json:"by_category"`
	Awards     int           `json:"awards"` // awards made, every scholarship period one
	Money      birge.Money   `json:"money_awarded"`
	Paid       birge.Money   `json:"money_paid"`
	// Reported12 businesses reported on at 12 months, Operating12 of them still operating.
	Reported12  int `json:"reported_12"`
	Operating12 int `json:"operating_12"`
}

// FigureCount is a count under a code (a region, a category).
type FigureCount struct {
	Code  string `json:"code"`
	Count int    `json:"count"`
}

// Figures returns a call's figures to those who hold call.figures in its organisation.
func (awards *Awards) Figures(ctx context.Context, a *birge.Actor, callID int64) (CallFigures, error) {
	c := awards.s.read()
	f := CallFigures{CallID: callID, ByRegion: []FigureCount{}, ByCategory: []FigureCount{}}
	var currency string
	t := &f.CallTitles
	err := c.row(ctx, `SELECT org_id, kind, currency, title_kk, title_ru, title_ky, title_en FROM calls WHERE id = ?`, callID).
		Scan(&f.OrgID, &f.Kind, &currency, &t.KK, &t.RU, &t.KY, &t.EN)
	org := f.OrgID
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return f, birge.ErrNotFound
	case err != nil:
		return f, err
	case !a.CanIn(birge.PermCallFigures, org):
		if a.CanIn(birge.PermCallView, org) {
			return f, birge.ErrForbidden
		}
		return f, birge.ErrNotFound
	}
	f.Money, f.Paid = birge.Money{Currency: currency}, birge.Money{Currency: currency}
	if err := c.row(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN status IN ('eligible', 'shortlisted', 'awarded', 'rejected') THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status IN ('shortlisted', 'awarded') THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = 'awarded' THEN 1 ELSE 0 END), 0)
		FROM applications WHERE call_id = ? AND submitted_at IS NOT NULL`, callID).
		Scan(&f.Submitted, &f.Eligible, &f.Shortlisted, &f.Awarded); err != nil {
		return f, err
	}
	counts := func(query string, into *[]FigureCount) error {
		return each(ctx, c, query, []any{callID}, func(r *sql.Rows) error {
			var fc FigureCount
			err := r.Scan(&fc.Code, &fc.Count)
			*into = append(*into, fc)
			return err
		})
	}
	if err := counts(`SELECT region, COUNT(*) FROM applications WHERE call_id = ? AND submitted_at IS NOT NULL
		GROUP BY region ORDER BY region`, &f.ByRegion); err != nil {
		return f, err
	}
	if err := counts(`SELECT pc.code, COUNT(*) FROM applications a JOIN person_categories pc ON pc.person_id = a.person_id
		WHERE a.call_id = ? AND a.submitted_at IS NOT NULL GROUP BY pc.code ORDER BY pc.code`, &f.ByCategory); err != nil {
		return f, err
	}
	if err := c.row(ctx, `SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM awards WHERE call_id = ?`, callID).
		Scan(&f.Awards, &f.Money.Amount); err != nil {
		return f, err
	}
	if err := c.row(ctx, `SELECT COALESCE(SUM(p.award_amount), 0) FROM award_payments p JOIN awards w ON w.id = p.award_id
		WHERE w.call_id = ?`, callID).Scan(&f.Paid.Amount); err != nil {
		return f, err
	}
	err = c.row(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN f.operating THEN 1 ELSE 0 END), 0)
		FROM award_followups f JOIN awards w ON w.id = f.award_id WHERE w.call_id = ? AND f.months = 12`, callID).
		Scan(&f.Reported12, &f.Operating12)
	return f, err
}

// MayCallFigures reports whether the actor may see a call's figures in an organisation.
func MayCallFigures(a *birge.Actor, orgID int64) bool { return a.CanIn(birge.PermCallFigures, orgID) }

// FollowUpDue is a follow-up report an award waits for.
type FollowUpDue struct {
	AwardID   int64  `json:"award_id"`
	CallID    int64  `json:"call_id"`
	Reference string `json:"reference"`
	Months    int    `json:"months"`
	Due       string `json:"due"` // YYYY-MM-DD
	Overdue   bool   `json:"overdue"`
}

// FollowUpSoon is how far ahead a follow-up is listed before it falls due.
const FollowUpSoon = 30

// FollowUpsDue lists the follow-ups of the awards the actor manages (of every call but
// scholarships, or of one call) that fall due within FollowUpSoon days or are overdue,
// most overdue first.
func (awards *Awards) FollowUpsDue(ctx context.Context, a *birge.Actor, callID int64) ([]FollowUpDue, error) {
	all, orgs := callOrgs(a, birge.PermCallManage)
	if !all && len(orgs) == 0 {
		return nil, birge.ErrForbidden
	}
	w := where{}
	w.add("c.kind <> ?", "scholarship")
	if !all {
		w.conds = append(w.conds, "w.org_id IN ("+placeholders(len(orgs))+")")
		for _, id := range orgs {
			w.args = append(w.args, id)
		}
	}
	if callID != 0 {
		w.add("w.call_id = ?", callID)
	}
	type pending struct {
		FollowUpDue
		agreed string
	}
	var list []pending
	reported := map[[2]int64]bool{}
	c := awards.s.read()
	err := each(ctx, c, `SELECT w.id, w.call_id, a.reference, w.agreed_on`+awardsFrom+` JOIN calls c ON c.id = w.call_id`+
		w.sql()+` ORDER BY w.id`, w.args, func(r *sql.Rows) error {
		var p pending
		err := r.Scan(&p.AwardID, &p.CallID, &p.Reference, &p.agreed)
		list = append(list, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = each(ctx, c, `SELECT f.award_id, f.months FROM award_followups f JOIN awards w ON w.id = f.award_id
		JOIN calls c ON c.id = w.call_id`+w.sql(), w.args, func(r *sql.Rows) error {
		var k [2]int64
		err := r.Scan(&k[0], &k[1])
		reported[k] = true
		return err
	})
	if err != nil {
		return nil, err
	}
	today := a.Today(awards.s.now())
	soon := today.AddDate(0, 0, FollowUpSoon).Format(time.DateOnly)
	out := []FollowUpDue{}
	for _, p := range list {
		for _, months := range birge.FollowUpMonths {
			due := birge.FollowUpDue(p.agreed, months)
			if reported[[2]int64{p.AwardID, int64(months)}] || due > soon {
				continue
			}
			d := p.FollowUpDue
			d.Months, d.Due, d.Overdue = months, due, due < today.Format(time.DateOnly)
			out = append(out, d)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Due < out[j].Due })
	return out, nil
}

// FigureCalls lists the calls whose figures the actor may see, by id: for analysts, who
// see no call itself.
func (awards *Awards) FigureCalls(ctx context.Context, a *birge.Actor) ([]birge.Call, error) {
	all, orgs := callOrgs(a, birge.PermCallFigures)
	if !all && len(orgs) == 0 {
		return nil, birge.ErrForbidden
	}
	w := where{}
	if !all {
		w.conds = append(w.conds, "c.org_id IN ("+placeholders(len(orgs))+")")
		for _, id := range orgs {
			w.args = append(w.args, id)
		}
	}
	return awards.s.Calls.listWhere(ctx, w, 0, 0)
}
