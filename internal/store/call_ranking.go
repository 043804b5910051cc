package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// Ranking, decisions and fairness of a call (decision 0036).

// reviewedStatuses are the applications a ranking holds: those reviewed and those a
// decision has moved on from there.
var reviewedStatuses = []any{birge.AppEligible, birge.AppAwarded, birge.AppShortlisted, birge.AppRejected}

// Ranking returns a call's applications in rank order (birge.Rank), for those who see the
// call.
func (calls *Calls) Ranking(ctx context.Context, a *birge.Actor, callID int64) ([]birge.Ranked, error) {
	c := calls.s.read()
	if _, err := calls.get(ctx, c, a, birge.PermCallView, callID); err != nil {
		return nil, err
	}
	return ranking(ctx, c, callID)
}

// ranking reads a call's applications with their reviews summed up by the database, in
// one query on the indexes: ten thousand applications of three reviews come back as ten
// thousand rows.
func ranking(ctx context.Context, c q, callID int64) ([]birge.Ranked, error) {
	rows, err := c.query(ctx, `SELECT a.id, a.reference, a.status, a.submitted_at, COALESCE(r.n, 0),
		COALESCE(r.total, 0), COALESCE(r.least, 0), COALESCE(r.most, 0), COALESCE(r.lead, 0)
		FROM applications a LEFT JOIN (SELECT application_id, COUNT(*) AS n, SUM(score) AS total, MIN(score) AS least,
			MAX(score) AS most, SUM(lead) AS lead FROM application_reviews WHERE call_id = ? AND status = ?
			GROUP BY application_id) r ON r.application_id = a.id
		WHERE a.call_id = ? AND a.status IN (?, ?, ?, ?)`,
		append([]any{callID, birge.AssignmentReviewed, callID}, reviewedStatuses...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	items := []birge.Ranked{}
	for rows.Next() {
		var in birge.RankInput
		var submitted sql.NullTime
		if err := rows.Scan(&in.ApplicationID, &in.Reference, &in.Status, &submitted, &in.Reviews,
			&in.Sum, &in.Min, &in.Max, &in.Lead); err != nil {
			return nil, err
		}
		in.SubmittedAt = submitted.Time
		items = append(items, birge.NewRanked(in))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	birge.Rank(items)
	return items, nil
}

// Decide works out a call's decision from its ranking (birge.Propose) for its officers
// (call.manage). Unconfirmed it only answers what the decision would be, so an officer may
// move applications in or out and look again; confirmed, it sets every ranked
// application's status — awarded, shortlisted, rejected — in one transaction with one
// audit entry, and from then on the call's reviews stand.
func (calls *Calls) Decide(ctx context.Context, a *birge.Actor, callID int64, req birge.DecisionRequest) (birge.Decision, error) {
	s := calls.s
	var out birge.Decision
	decide := func(c q) error {
		if req.Confirm {
			if err := lockRow(ctx, c, "calls", callID); err != nil {
				return err
			}
		}
		call, err := calls.get(ctx, c, a, birge.PermCallManage, callID)
		if err != nil {
			return err
		}
		if done, err := decided(ctx, c, callID); err != nil || done {
			return cmpErr(err, errDecided)
		}
		ranked, err := ranking(ctx, c, callID)
		if err != nil {
			return err
		}
		if out, err = birge.Propose(ranked, call, req); err != nil || !req.Confirm {
			return err
		}
		for _, set := range []struct {
			status string
			ids    []int64
		}{{birge.AppAwarded, out.Awarded}, {birge.AppShortlisted, out.Shortlisted}, {birge.AppRejected, out.Rejected}} {
			for chunk := range slices.Chunk(set.ids, 500) {
				args := []any{set.status, s.now()}
				for _, id := range chunk {
					args = append(args, id)
				}
				if _, err := c.exec(ctx, `UPDATE applications SET status = ?, updated_at = ? WHERE id IN (`+
					placeholders(len(chunk))+`)`, args...); err != nil {
					return err
				}
			}
		}
		if _, err := c.exec(ctx, `INSERT INTO call_decisions (call_id, shortlist, decided_by, decided_at) VALUES (?, ?, ?, ?)`,
			callID, req.Shortlist, userOrNull(a), s.now()); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityDecision, entityID: callID,
			orgID: call.OrgID, changes: birge.Diff(nil, map[string]any{"awarded": idList(out.Awarded),
				"shortlisted": idList(out.Shortlisted), "rejected": len(out.Rejected), "included": idList(req.Include),
				"excluded": idList(req.Exclude), "total": out.Total.Amount})})
	}
	if !req.Confirm { // a proposal reads, and takes no writer's turn
		return out, decide(s.read())
	}
	return out, s.tx(ctx, decide)
}

// Decided reports whether a call's decision is confirmed, for those who see the call.
func (calls *Calls) Decided(ctx context.Context, a *birge.Actor, callID int64) (bool, error) {
	c := calls.s.read()
	if _, err := calls.get(ctx, c, a, birge.PermCallView, callID); err != nil {
		return false, err
	}
	return decided(ctx, c, callID)
}

func idList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// Letter is what a decision letter says to an applicant: her call, her reference, the
// decision, and the reviewers' comments as feedback — never who wrote them — in her
// language.
type Letter struct {
	Language   string
	Reference  string
	Status     string
	CallTitles birge.CallTitles
	Feedback   []string
}

// Letter returns the decision letter of an application, for the officers of its call,
// once the call's decision is confirmed.
func (calls *Calls) Letter(ctx context.Context, a *birge.Actor, appID int64) (Letter, error) {
	c := calls.s.read()
	r, err := loadApplication(ctx, c, appID)
	if err != nil {
		return Letter{}, err
	}
	call, err := calls.get(ctx, c, a, birge.PermCallManage, r.CallID)
	if err != nil {
		return Letter{}, err
	}
	if done, err := decided(ctx, c, r.CallID); err != nil || !done {
		return Letter{}, cmpErr(err, &birge.Error{Kind: birge.KindConflict, Key: "decision.not_made"})
	}
	reviews, err := calls.reviews(ctx, c, `r.application_id = ?`, appID)
	if err != nil {
		return Letter{}, err
	}
	l := Letter{Language: r.Language, Reference: r.Reference, Status: r.Status, CallTitles: call.CallTitles, Feedback: []string{}}
	for _, v := range reviews {
		if strings.TrimSpace(v.Comment) != "" {
			l.Feedback = append(l.Feedback, v.Comment)
		}
	}
	return l, nil
}

// userOrNull is the acting user's id, or NULL for the system (a command, the demo).
func userOrNull(a *birge.Actor) any {
	if a.UserID == 0 {
		return nil
	}
	return a.UserID
}
