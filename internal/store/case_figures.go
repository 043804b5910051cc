package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// Figures counts a centre's families of a period (decision 0027): those taken in from
// from to to (days, inclusive; either empty is open). It needs case.figures in the
// centre: counts and workers' numbers, never a family's name, so analysts see them too.
// A centre out of sight is not found; one seen without the permission is forbidden.
func (cases *Cases) Figures(ctx context.Context, a *birge.Actor, centerID int64, from, to string) (birge.CaseFigures, error) {
	f := birge.CaseFigures{CenterID: centerID, From: from, To: to, Outcomes: map[string]int{},
		SessionsByType: map[string]int{}, Caseload: []birge.WorkerCaseload{}}
	if err := birge.ValidatePeriod(from, to); err != nil {
		return f, err
	}
	c := cases.s.read()
	var orgID int64
	var zone string
	err := c.row(ctx, `SELECT org_id, time_zone FROM centers WHERE id = ?`, centerID).Scan(&orgID, &zone)
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && !a.Can(birge.PermCenterView, orgID, centerID)):
		return f, birge.ErrNotFound
	case err != nil:
		return f, err
	case !a.Can(birge.PermCaseFigures, orgID, centerID):
		return f, birge.ErrForbidden
	}
	// The period as conditions on cases k, which every query below shares.
	period, args := `k.center_id = ?`, []any{centerID}
	if from != "" {
		period, args = period+` AND k.intake_date >= ?`, append(args, from)
	}
	if to != "" {
		period, args = period+` AND k.intake_date <= ?`, append(args, to)
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		loc = time.UTC
	}
	if err := cases.countFamilies(ctx, c, &f, loc, period, args); err != nil {
		return f, err
	}
	return f, cases.countSessions(ctx, c, &f, period, args)
}

// countFamilies reads the period's families: how many, how they ended, which were at
// risk and of those which got a safety plan and a referral, each worker's part, and how long each waited from intake to the first session
// it came to, that session's day taken in the centre's time zone (loc). The first
// session is one seek of case_sessions_figures a family, not a grouping of its sessions.
func (cases *Cases) countFamilies(ctx context.Context, c q, f *birge.CaseFigures, loc *time.Location, period string, args []any) error {
	rows, err := c.query(ctx, `SELECT k.risk, k.outcome, k.status, k.psychologist_id, k.mediator_id, k.intake_date,
		(SELECT MIN(s.starts_at) FROM case_sessions s WHERE s.case_id = k.id AND s.attendance = 'came'),
		k.risk <> 'none' AND EXISTS (SELECT 1 FROM safety_plans p WHERE p.case_id = k.id),
		k.risk <> 'none' AND EXISTS (SELECT 1 FROM referrals r WHERE r.case_id = k.id)
		FROM cases k WHERE `+period, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var waits []int
	load := map[int64]*birge.WorkerCaseload{}
	for rows.Next() {
		k := birge.Case{}
		var psych, med sql.NullInt64
		var first timeValue
		var plan, referral bool
		if err := rows.Scan(&k.Risk, &k.Outcome, &k.Status, &psych, &med, &k.IntakeDate, &first, &plan, &referral); err != nil {
			return err
		}
		if !first.t.IsZero() {
			in, err := time.ParseInLocation(time.DateOnly, k.IntakeDate, loc)
			if err != nil {
				return err
			}
			t := first.t.In(loc)
			day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
			waits = append(waits, max(0, int(day.Sub(in).Hours()/24+0.5)))
		}
		k.PsychologistID, k.MediatorID = psych.Int64, med.Int64
		f.Families++
		if k.AtRisk() {
			f.Flagged++
		}
		if plan {
			f.FlaggedWithPlan++
		}
		if referral {
			f.FlaggedWithReferral++
		}
		if k.Status == birge.CaseClosed {
			f.Closed++
			f.Outcomes[k.Outcome]++
		}
		// A withdrawn application on a case at risk is recorded, never a success.
		switch {
		case k.Outcome == birge.CaseReconciledWithdrawn && k.AtRisk():
			f.WithdrawnAtRisk++
		case k.Outcome == birge.CaseReconciledWithdrawn:
			f.Withdrawn++
		}
		for _, id := range k.Assigned() {
			w := load[id]
			if w == nil {
				w = &birge.WorkerCaseload{WorkerID: id}
				load[id] = w
			}
			w.Families++
			if k.Status != birge.CaseClosed {
				w.Open++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	f.WithdrawnShare = birge.Share(f.Withdrawn, f.Families)
	f.MedianWaitDays, f.Waited = birge.Median(waits), len(waits)
	for _, w := range load {
		f.Caseload = append(f.Caseload, *w)
	}
	slices.SortFunc(f.Caseload, func(a, b birge.WorkerCaseload) int { return int(a.WorkerID - b.WorkerID) })
	return nil
}

// countSessions counts the sessions the period's families came to, by type.
func (cases *Cases) countSessions(ctx context.Context, c q, f *birge.CaseFigures, period string, args []any) error {
	rows, err := c.query(ctx, `SELECT s.type, COUNT(*) FROM cases k JOIN case_sessions s ON s.case_id = k.id
		AND s.attendance = 'came' WHERE `+period+` GROUP BY s.type`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var typ string
		var n int
		if err := rows.Scan(&typ, &n); err != nil {
			return err
		}
		f.SessionsByType[typ] = n
	}
	return rows.Err()
}

// timeValue scans an instant that an aggregate returns, or none (NULL): a time from
// PostgreSQL, the text the SQLite driver wrote (an aggregate loses the column's declared
// type).
type timeValue struct{ t time.Time }

func (v *timeValue) Scan(src any) error {
	switch x := src.(type) {
	case nil:
		v.t = time.Time{}
		return nil
	case time.Time:
		v.t = x
		return nil
	case []byte:
		src = string(x)
	}
	s, ok := src.(string)
	if !ok {
		return errors.New("store: not an instant")
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999 -0700 MST", "2006-01-02 15:04:05.999999999-07:00",
		time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			v.t = t
			return nil
		}
	}
	return errors.New("store: an instant in no known form: " + s)
}
