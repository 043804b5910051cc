package store

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

// SourceCase marks an outcome written by closing a family case; its source_id is the
// case.
const SourceCase = "case"

// CloseWithOutcome closes a case with its outcome (decision 0027): it needs case.manage in the
// case's centre. In the same transaction it records the outcome in each partner's life
// (st.Outcomes.recordIn, source "case"), keeps the closing in the case's history, the
// mediated agreement sealed with the first partner's key, and audits it under that key.
func (cases *Cases) CloseWithOutcome(ctx context.Context, a *birge.Actor, id int64, cl birge.CaseClosing) (birge.Case, error) {
	s := cases.s
	cl.Action, cl.Reason = birge.ActionCaseClose, ""
	return cases.closingAction(ctx, a, id, func(c q, k birge.Case) (map[string]birge.Change, birge.CaseClosing, error) {
		if k.Status == birge.CaseClosed {
			return nil, cl, &birge.Error{Kind: birge.KindConflict, Key: "case.closed"}
		}
		if err := cl.ValidateClose(k, a.Today(s.now())); err != nil {
			return nil, cl, err
		}
		if _, err := c.exec(ctx, `UPDATE cases SET status = ?, outcome = ?, closed_on = ?, updated_at = ? WHERE id = ?`,
			birge.CaseClosed, cl.Outcome, cl.ClosedOn, nextVersion(s.now(), k.UpdatedAt), k.ID); err != nil {
			return nil, cl, err
		}
		// Closed, it has no sessions to come.
		if err := s.Sessions.cancelAhead(ctx, c, a, k.ID, func(birge.Session) bool { return true }); err != nil {
			return nil, cl, err
		}
		kind := birge.CaseOutcomeKind(cl.Outcome, k.AtRisk())
		for _, partner := range k.PartnerIDs {
			_, err := s.Outcomes.recordIn(ctx, c, a, birge.Outcome{PersonID: partner, Date: cl.ClosedOn, Kind: kind,
				Source: SourceCase, SourceID: k.ID})
			var e *birge.Error
			if errors.As(err, &e) && e.Kind == birge.KindInvalid {
				// The organisation retired the kind this outcome records: said on the outcome.
				return nil, cl, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid",
					Fields: birge.Problems{"outcome": "case.outcome_kind_retired"}}
			}
			if err != nil {
				return nil, cl, err
			}
		}
		changes := map[string]birge.Change{"status": {Before: k.Status, After: birge.CaseClosed},
			"outcome": {After: cl.Outcome}, "closed_on": {After: cl.ClosedOn}}
		if cl.Satisfaction != nil {
			changes["satisfaction"] = birge.Change{After: int64(*cl.Satisfaction)}
		}
		if cl.Agreement != "" {
			changes["agreement"] = birge.Change{After: cl.Agreement}
		}
		return changes, cl, nil
	})
}

// Reopen takes a closed case back into work with a written reason; it needs case.manage.
// Its closings stay in its history; the outcomes its last closing recorded are deleted
// (audited), since the case has not ended after all: a case closed again records its
// outcome again, and no figure counts one family twice.
func (cases *Cases) Reopen(ctx context.Context, a *birge.Actor, id int64, reason string) (birge.Case, error) {
	s := cases.s
	cl := birge.CaseClosing{Action: birge.ActionCaseReopen, Reason: reason}
	return cases.closingAction(ctx, a, id, func(c q, k birge.Case) (map[string]birge.Change, birge.CaseClosing, error) {
		if err := cl.ValidateReopen(); err != nil {
			return nil, cl, err
		}
		if k.Status != birge.CaseClosed {
			return nil, cl, &birge.Error{Kind: birge.KindConflict, Key: "case.not_closed"}
		}
		if _, err := c.exec(ctx, `UPDATE cases SET status = ?, outcome = '', closed_on = '', updated_at = ? WHERE id = ?`,
			birge.CaseActive, nextVersion(s.now(), k.UpdatedAt), k.ID); err != nil {
			return nil, cl, err
		}
		if err := cases.dropOutcomes(ctx, c, a, k.ID); err != nil {
			return nil, cl, err
		}
		return map[string]birge.Change{"status": {Before: k.Status, After: birge.CaseActive},
			"outcome": {Before: k.Outcome}, "closed_on": {Before: k.ClosedOn}, "reopen_reason": {After: reason}}, cl, nil
	})
}

// closingAction runs a closing or a reopening under the case's lock, with case.manage:
// change updates the case and returns what changed and the history's row. The entry,
// sealed with the first partner's key, is written before the sealed row, as for
// screenings: it locks the organisation's audit chain, under which her key is made once.
func (cases *Cases) closingAction(ctx context.Context, a *birge.Actor, id int64,
	change func(q, birge.Case) (map[string]birge.Change, birge.CaseClosing, error)) (birge.Case, error) {
	var out birge.Case
	err := cases.s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "cases", id); err != nil {
			return err
		}
		k, err := cases.get(ctx, c, a, birge.PermCaseManage, id)
		if err != nil {
			return err
		}
		changes, cl, err := change(c, k)
		if err != nil {
			return err
		}
		first := k.PartnerIDs[0]
		changes["person_id"] = birge.Change{Before: first, After: first}
		if err := cases.s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityCase, entityID: k.ID,
			orgID: k.OrgID, centerID: k.CenterID, changes: changes}); err != nil {
			return err
		}
		if err := cases.writeClosing(ctx, c, a, k.ID, first, cl); err != nil {
			return err
		}
		out, err = cases.get(ctx, c, a, birge.PermCaseView, id)
		return err
	})
	return out, err
}

// writeClosing adds a closing or reopening to the case's history, its agreement and
// reason sealed with the first partner's key.
func (cases *Cases) writeClosing(ctx context.Context, c q, a *birge.Actor, caseID, first int64, cl birge.CaseClosing) error {
	aead, err := cases.s.personKey(ctx, c, first)
	if err != nil {
		return err
	}
	seal := func(text string) string {
		if text == "" {
			return ""
		}
		return sealWith(aead, text)
	}
	var satisfaction any
	if cl.Satisfaction != nil {
		satisfaction = *cl.Satisfaction
	}
	_, err = c.exec(ctx, `INSERT INTO case_closings (case_id, action, outcome, closed_on, satisfaction, agreement, reason,
		key_person_id, done_by, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, caseID, cl.Action, cl.Outcome, cl.ClosedOn,
		satisfaction, seal(cl.Agreement), seal(cl.Reason), first, nullID(a.UserID), cases.s.now())
	return err
}

// dropOutcomes deletes the outcomes a case's closing recorded, each deletion audited
// under her key.
func (cases *Cases) dropOutcomes(ctx context.Context, c q, a *birge.Actor, caseID int64) error {
	rows, err := c.query(ctx, `SELECT `+outcomeColumns+outcomesFrom+` WHERE o.source = ? AND o.source_id = ?`, SourceCase, caseID)
	if err != nil {
		return err
	}
	var list []birge.Outcome
	for rows.Next() {
		o, err := scanOutcome(rows)
		if err != nil {
			rows.Close()
			return err
		}
		list = append(list, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, o := range list {
		if _, err := c.exec(ctx, `DELETE FROM outcomes WHERE id = ?`, o.ID); err != nil {
			return err
		}
		if err := cases.s.audit(ctx, c, a, event{action: birge.ActionDelete, entity: birge.EntityOutcome, entityID: o.ID,
			orgID: o.OrgID, centerID: o.CenterID, changes: birge.Diff(outcomeFields(o), nil)}); err != nil {
			return err
		}
	}
	return nil
}

// Closings returns a case's history of closings and reopenings, oldest first, to those
// who see the case; the agreement and reason open with the first partner's key, and are
// empty once she is anonymised.
func (cases *Cases) Closings(ctx context.Context, a *birge.Actor, id int64) ([]birge.CaseClosing, error) {
	c := cases.s.read()
	if _, err := cases.get(ctx, c, a, birge.PermCaseView, id); err != nil {
		return nil, err
	}
	rows, err := c.query(ctx, `SELECT id, action, outcome, closed_on, satisfaction, agreement, reason, key_person_id,
		done_by, done_at FROM case_closings WHERE case_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	type sealed struct {
		agreement, reason string
		key               int64
	}
	out, seals := []birge.CaseClosing{}, []sealed{}
	for rows.Next() {
		var cl birge.CaseClosing
		var se sealed
		var satisfaction, by sql.NullInt64
		if err := rows.Scan(&cl.ID, &cl.Action, &cl.Outcome, &cl.ClosedOn, &satisfaction, &se.agreement, &se.reason,
			&se.key, &by, &cl.At); err != nil {
			rows.Close()
			return nil, err
		}
		if satisfaction.Valid {
			n := int(satisfaction.Int64)
			cl.Satisfaction = &n
		}
		cl.By, cl.At = by.Int64, cl.At.UTC()
		out, seals = append(out, cl), append(seals, se)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	keys := map[int64]cipher.AEAD{} // each partner's key loaded once
	for i, se := range seals {
		if se.agreement == "" && se.reason == "" {
			continue
		}
		aead, ok := keys[se.key]
		if !ok {
			if aead, err = cases.s.loadPersonKey(ctx, c, se.key); err != nil {
				return nil, err
			}
			keys[se.key] = aead
		}
		if aead == nil {
			continue
		}
		for _, f := range []struct {
			sealed string
			into   *string
		}{{se.agreement, &out[i].Agreement}, {se.reason, &out[i].Reason}} {
			if f.sealed == "" {
				continue
			}
			if *f.into, err = openWith(aead, f.sealed); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
